"""``site/`` is importable as ``site`` through manage.py, pytest and gunicorn alike."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tests.helpers import PROJECT_ROOT, project_env, run_manage


def test_pytest_loads_the_project_settings():
    import site

    assert settings.SETTINGS_MODULE == "site.settings.test"
    assert settings.ROOT_URLCONF == "site.urls"
    # The standard library's functions stay available to tools that use them.
    assert callable(site.getsitepackages)
    assert str(PROJECT_ROOT / "site") in site.__path__


def test_activate_is_idempotent():
    import site
    import site_package

    site_package.activate()
    site_package.activate()
    assert site.__path__.count(str(PROJECT_ROOT / "site")) == 1


def test_manage_py_loads_the_dev_settings():
    script = "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    result = run_manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "site.settings.dev"


def test_plain_python_without_activation_cannot_import_site_settings():
    """The problem the mechanism solves: the standard library owns the name ``site``."""
    result = subprocess.run(
        [sys.executable, "-c", "import site.settings"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "not a package" in result.stderr


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(
    shutil.which("gunicorn", path=str(PROJECT_ROOT / ".venv/bin")) is None
    and shutil.which("gunicorn") is None,
    reason="gunicorn not installed",
)
def test_gunicorn_serves_the_project_with_production_settings(tmp_path):
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(PROJECT_ROOT / ".venv/bin")) or "gunicorn"
    env = project_env(
        SECRET_KEY="gunicorn-test-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    server = subprocess.Popen(
        [gunicorn, "--config", "gunicorn.conf.py"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = json.load(response)
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
        assert body is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert body["checks"]["database"] is True
    finally:
        server.terminate()
        server.wait(timeout=10)
