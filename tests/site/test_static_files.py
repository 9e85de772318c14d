"""Production static files: hashed names, compressed copies, served by whitenoise."""

import json

from django.conf import settings

from tests.helpers import project_env, run_manage


def test_whitenoise_is_in_the_middleware_right_after_security():
    middleware = settings.MIDDLEWARE
    whitenoise_at = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert middleware[whitenoise_at - 1] == "django.middleware.security.SecurityMiddleware"


def test_production_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    env = project_env(
        DJANGO_SETTINGS_MODULE="site.settings.production",
        SECRET_KEY="collectstatic-test-key-" + "y" * 40,
        ALLOWED_HOSTS="hadaf.example.org",
        STATIC_ROOT=str(tmp_path),
    )
    result = run_manage("collectstatic", "--noinput", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/hadaf.css"]
    assert hashed != "css/hadaf.css" and hashed.startswith("css/hadaf.")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / (hashed + ".gz")).exists()
    assert (tmp_path / (hashed + ".br")).exists()
