"""The production profile: settings, the database task backend and ``make serve-prod``.

The settings and the task worker are checked on the test database. The last tests
start ``bin/serve_prod.py`` for real against the local PostgreSQL and Redis, on a
free port and a throwaway database, and are skipped only when either is unreachable.
"""

import http.cookiejar
import importlib.util
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from site.settings import environment
from tests.helpers import PROJECT_ROOT, project_env, run_manage

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "site.settings.production",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-0123456789abcdef",
    "ALLOWED_HOSTS": "hadaf.example.org",
    "DATABASE_URL": "postgres://hadaf@db.internal:5432/hadaf",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "TASKS_BACKEND": "",
    "AWS_STORAGE_BUCKET_NAME": "",
}
POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


def production_settings(**overrides):
    """The production settings' values that matter here, read in a fresh process."""
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'tasks': s.TASKS['default']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'], "
        "'storages': s.STORAGES, 'media_root': str(s.MEDIA_ROOT), "
        "'session_engine': s.SESSION_ENGINE, 'debug': s.DEBUG}))"
    )
    result = run_manage("shell", "-c", script, env=project_env(**{**PRODUCTION_ENV, **overrides}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_uses_the_database_task_backend_redis_and_private_storage(tmp_path):
    private = tmp_path / "private"
    values = production_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=private)
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["cache"] == "site.cache.ResilientRedisCache"
    # Sessions in the database only: an unreachable Redis signs no one out (finding 8).
    assert values["session_engine"] == "django.contrib.sessions.backends.db"
    assert values["debug"] is False
    storages = values["storages"]
    assert storages["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert storages["default"]["OPTIONS"]["location"] == str(tmp_path / "media")
    assert storages["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["OPTIONS"]["location"] == str(private)
    assert not private.is_relative_to(values["media_root"])


def test_tasks_backend_variable_overrides_the_production_default():
    values = production_settings(TASKS_BACKEND=environment.IMMEDIATE_TASKS_BACKEND)
    assert values["tasks"] == environment.IMMEDIATE_TASKS_BACKEND


def test_production_refuses_private_files_inside_media_root(tmp_path):
    env = project_env(
        **PRODUCTION_ENV, MEDIA_ROOT=tmp_path, PRIVATE_MEDIA_ROOT=tmp_path / "private"
    )
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT" in result.stderr


def test_filesystem_storages_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    storages = environment.storages(tmp_path / "media", tmp_path / "private", "static.Backend")
    assert storages["default"]["OPTIONS"] == {"location": str(tmp_path / "media")}
    assert storages["private"]["OPTIONS"]["location"] == str(tmp_path / "private")
    assert storages["private"]["OPTIONS"]["file_permissions_mode"] == 0o600
    assert storages["staticfiles"] == {"BACKEND": "static.Backend"}


def test_s3_storages_when_a_bucket_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "hadaf-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-access-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret-key")
    monkeypatch.delenv("AWS_PRIVATE_STORAGE_BUCKET_NAME", raising=False)
    storages = environment.storages(tmp_path / "media", tmp_path / "private", "static.Backend")
    media, private = storages["default"], storages["private"]
    assert media["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["location"] == "media" and private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert media["OPTIONS"]["file_overwrite"] is private["OPTIONS"]["file_overwrite"] is False
    # Keys stay out of the settings: django-storages reads them from the environment.
    assert "access_key" not in private["OPTIONS"] and "secret_key" not in private["OPTIONS"]

    from storages.backends.s3 import S3Storage

    # Signing is local: no request reaches the endpoint.
    signed = S3Storage(**private["OPTIONS"]).url("ideas/1/plan.pdf")
    assert signed.startswith("http://127.0.0.1:9000/hadaf-media/private/ideas/1/plan.pdf?")
    query = parse_qs(urlsplit(signed).query)
    assert "Signature" in query or "X-Amz-Signature" in query
    # Short-lived: five minutes (signature version 2 gives the end, version 4 the length).
    lifetime = query["X-Amz-Expires"][0] if "X-Amz-Expires" in query else None
    assert lifetime == "300" or 250 < int(query["Expires"][0]) - time.time() <= 300
    public = S3Storage(**media["OPTIONS"]).url("images/photo.jpg")
    assert public == "http://127.0.0.1:9000/hadaf-media/media/images/photo.jpg"


def test_private_files_cannot_live_inside_media_root(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        environment.storages(tmp_path, tmp_path / "private", "static.Backend")
    with pytest.raises(ImproperlyConfigured):
        environment.storages(tmp_path, tmp_path, "static.Backend")


# The database backend and its worker, on the test database.


@task()
def send_probe_mail(address):
    """A task like the decision notices: send one email."""
    send_mail("Probe", "Sent by the worker.", None, [address])
    return address


def run_worker_once():
    """``manage.py db_worker --batch``: run every queued task, then exit."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
        stdout=io.StringIO(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_is_stored_as_a_row_and_run_by_the_worker(monkeypatch):
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    with override_settings(TASKS=environment.tasks(environment.DATABASE_TASKS_BACKEND)):
        result = send_probe_mail.enqueue("sara.ahmadi@hadaf.test")
        row = DBTaskResult.objects.get(id=result.id)
        assert row.status == "READY"
        assert row.task_path == "tests.site.test_production_profile.send_probe_mail"
        assert mail.outbox == []  # nothing is sent in the request's process

        run_worker_once()

        result.refresh()
        assert result.status == "SUCCESSFUL" and result.return_value == "sara.ahmadi@hadaf.test"
        assert [message.to for message in mail.outbox] == [["sara.ahmadi@hadaf.test"]]


@pytest.mark.django_db(transaction=True)
def test_decision_notices_go_through_the_worker(monkeypatch):
    from participation.drafts.notifications import send_decision_notice

    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    with override_settings(TASKS=environment.tasks(environment.DATABASE_TASKS_BACKEND)):
        result = send_decision_notice.enqueue(0)  # no such comment: the task says so
        assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
        run_worker_once()
        result.refresh()
        assert result.status == "SUCCESSFUL" and result.return_value is False


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_recorded_not_retried(monkeypatch):
    """django-tasks-db has no automatic retries (docs/deploy.md says what to do)."""
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    with (
        override_settings(
            TASKS=environment.tasks(environment.DATABASE_TASKS_BACKEND),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=9,  # discard: no SMTP server answers
            EMAIL_TIMEOUT=2,
        ),
    ):
        result = send_probe_mail.enqueue("sara.ahmadi@hadaf.test")
        run_worker_once()
        result.refresh()
        assert result.status == "FAILED"
        assert result.errors and "ConnectionRefusedError" in result.errors[0].exception_class_path
        run_worker_once()  # a second pass leaves the failed task alone
        result.refresh()
        assert result.status == "FAILED" and result.attempts == 1

    # Once mail works again, docs/deploy.md's recipe queues the failed tasks afresh.
    with override_settings(TASKS=environment.tasks(environment.DATABASE_TASKS_BACKEND)):
        for row in DBTaskResult.objects.failed():
            row.task.enqueue(*row.task_result.args, **row.task_result.kwargs)
            row.delete()
        run_worker_once()
        assert not DBTaskResult.objects.failed().exists()
        assert DBTaskResult.objects.successful().count() == 1
        assert [message.to for message in mail.outbox] == [["sara.ahmadi@hadaf.test"]]


# bin/serve_prod.py: its pieces, then the real thing.


def load_serve_prod():
    spec = importlib.util.spec_from_file_location("serve_prod", PROJECT_ROOT / "bin/serve_prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_serve_prod_fills_loopback_defaults_and_keeps_what_is_given(tmp_path):
    serve_prod = load_serve_prod()
    key_file = tmp_path / "secret_key"
    given = {"SECRET_KEY_FILE": str(key_file), "DATABASE_URL": "postgres://me@db/hadaf"}
    env = serve_prod.profile_environment(given, "127.0.0.1:8123")
    assert env["DATABASE_URL"] == "postgres://me@db/hadaf"
    assert env["DJANGO_SETTINGS_MODULE"] == "site.settings.production"
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert (env["SECURE_SSL_REDIRECT"], env["SECURE_COOKIES"]) == ("0", "0")
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
    assert len(env["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # The same key next time: sessions survive a restart.
    assert (
        serve_prod.profile_environment(given, "127.0.0.1:8123")["SECRET_KEY"] == (env["SECRET_KEY"])
    )


def test_serve_prod_keeps_https_settings_when_not_on_loopback(tmp_path):
    serve_prod = load_serve_prod()
    env = serve_prod.profile_environment({"SECRET_KEY": "given"}, "0.0.0.0:8000")  # noqa: S104
    assert "SECURE_SSL_REDIRECT" not in env and "SECURE_COOKIES" not in env
    assert env["SECRET_KEY"] == "given"
    assert serve_prod.health_url("0.0.0.0:8000") == "http://127.0.0.1:8000/healthz"  # noqa: S104
    assert serve_prod.health_url("[::1]:8000") == "http://[::1]:8000/healthz"
    assert serve_prod.health_url("unix:/run/hadaf.sock") is None


def reachable(address):
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drop_database(name):
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=POSTGRES[0], port=POSTGRES[1], user="postgres", dbname="postgres", autocommit=True
    ) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def serveprod_site(tmp_path_factory):
    """A database name that does not exist yet (dropped afterwards) and a folder.

    ``prepared`` turns true once a run has migrated the database and collected the
    static files into the folder, so later runs may skip that (``--no-setup``).
    """
    if not reachable(POSTGRES):
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 (serve-prod runs on PostgreSQL)")
    if not reachable(REDIS):
        pytest.skip("no Redis on 127.0.0.1:6379 (serve-prod uses it as the cache)")
    name = f"hadaf_serveprod_test_{os.getpid()}"
    drop_database(name)
    yield {"database": name, "folder": tmp_path_factory.mktemp("serveprod"), "prepared": False}
    drop_database(name)


class ServeProd:
    """``bin/serve_prod.py`` running in a subprocess, its output in a file."""

    def __init__(self, site, tmp_path, **env):
        folder = site["folder"]
        self.port = free_port()
        self.output = tmp_path / "serve-prod.log"
        self.static_root = folder / "static"
        self.key_file = folder / "secret_key"
        self.env = project_env(
            **{
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{site['database']}",
                "REDIS_URL": "redis://127.0.0.1:6379/14",
                "STATIC_ROOT": self.static_root,
                "MEDIA_ROOT": folder / "media",
                "PRIVATE_MEDIA_ROOT": folder / "private",
                "SECRET_KEY_FILE": self.key_file,
                "GUNICORN_WORKERS": "1",
                "TASKS_BACKEND": "",
                **env,
            }
        )
        argv = [sys.executable, "bin/serve_prod.py", "--bind", f"127.0.0.1:{self.port}"]
        if site["prepared"]:
            argv.append("--no-setup")  # collectstatic alone takes half a minute
        with self.output.open("w") as log:
            self.process = subprocess.Popen(
                argv,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self):
        return self.output.read_text(encoding="utf-8", errors="replace")

    def get(self, path):
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()

    def wait_until_healthy(self, timeout=900):
        # Generous: a first run migrates and collects the static files, minutes on a busy
        # machine. Only a guard against hanging for ever, not a measure of speed.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve-prod exited ({self.process.returncode}):\n{self.log()}")
            try:
                status, _, body = self.get("/healthz")
                return status, json.loads(body)
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"/healthz did not answer in {timeout} s:\n{self.log()}")

    def pids(self):
        """{name: pid} of the processes serve-prod started, from its output."""
        found = {}
        for line in self.log().splitlines():
            if line.startswith("serve-prod: started "):
                name, pid = line.split()[2], line.split("(pid ")[1].split(")")[0]
                found[name] = int(pid)
        return found

    def stop(self, timeout=60):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"serve-prod did not stop in {timeout} s:\n{self.log()}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def command_line(pid):
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_prod_serves_runs_tasks_and_stops_on_sigterm(serveprod_site, tmp_path):
    serveprod_site["prepared"] = False
    server = ServeProd(serveprod_site, tmp_path)
    pids = {}
    try:
        status, health = server.wait_until_healthy()
        assert status == 200 and health == {
            "status": "ok",
            "checks": {"database": True, "cache": True},
        }, server.log()
        assert f"created the database {serveprod_site['database']}" in server.log()
        serveprod_site["prepared"] = True
        assert stat.S_IMODE(server.key_file.stat().st_mode) == 0o600

        # whitenoise serves the collected file under its content-hashed name.
        manifest = json.loads((server.static_root / "staticfiles.json").read_text())
        hashed = manifest["paths"]["css/hadaf.css"]
        assert hashed.startswith("css/hadaf.") and hashed != "css/hadaf.css"
        status, headers, body = server.get(f"/static/{hashed}")
        assert status == 200 and body
        assert "immutable" in headers["Cache-Control"]

        pids = server.pids()
        assert set(pids) == {"gunicorn", "worker"}, server.log()
        assert all(alive(pid) for pid in pids.values())
        assert "gunicorn" in command_line(pids["gunicorn"])
        assert "db_worker" in command_line(pids["worker"])

        # A task queued by the application runs in the worker.
        script = (
            "import time\n"
            "from participation.drafts.notifications import send_decision_notice\n"
            "result = send_decision_notice.enqueue(0)\n"
            "deadline = time.monotonic() + 30\n"
            "while not result.is_finished and time.monotonic() < deadline:\n"
            "    time.sleep(0.2); result.refresh()\n"
            "print(result.status, result.worker_ids)\n"
        )
        env = {
            **server.env,
            "DJANGO_SETTINGS_MODULE": "site.settings.production",
            "SECRET_KEY": server.key_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        result = run_manage("shell", "-c", script, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1].startswith("SUCCESSFUL ['"), result.stdout
    finally:
        code = server.stop()
    assert code == 0, server.log()
    assert not any(alive(pid) for pid in pids.values()), server.log()
    assert "gunicorn stopped" in server.log() and "worker stopped" in server.log()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_prod_stops_gunicorn_when_the_worker_dies(serveprod_site, tmp_path):
    server = ServeProd(serveprod_site, tmp_path)
    try:
        server.wait_until_healthy()
        pids = server.pids()
        os.kill(pids["worker"], signal.SIGKILL)
        code = server.process.wait(timeout=60)
    finally:
        server.stop()
    assert code != 0
    assert "worker exited with status -9; stopping the rest" in server.log()
    assert not alive(pids["gunicorn"]), server.log()


def test_serve_prod_prints_its_environment_for_manage_py(tmp_path):
    result = subprocess.run(
        [sys.executable, "bin/serve_prod.py", "--print-env"],
        cwd=PROJECT_ROOT,
        env=project_env(SECRET_KEY_FILE=tmp_path / "key", DATABASE_URL="postgres://x@db/h"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "export DJANGO_SETTINGS_MODULE=site.settings.production" in result.stdout
    assert "export DATABASE_URL=postgres://x@db/h" in result.stdout
    key = (tmp_path / "key").read_text().strip()
    assert f"export SECRET_KEY={key}" in result.stdout


# Redis unreachable (issue 16, finding 8): the site answers from the database.

CONTENT_SCRIPT = """
import json
from django.urls import reverse
from wagtail.models import Page, Site
from tests.pages.factories import HomePageFactory
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import DEFAULT_PASSWORD, UserFactory, with_confirmed_email

home = HomePageFactory(parent=Page.get_first_root_node(), slug="redis-down-home")
Site.objects.update_or_create(
    is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
)
survey = SurveyCampaignPageFactory(parent=home, slug="redis-down-survey")
user = with_confirmed_email(UserFactory(email="redis.down@university.test"))
print(json.dumps({
    "home": home.url, "survey": survey.url, "email": user.email,
    "password": DEFAULT_PASSWORD, "answers": valid_answers(),
    "login": reverse("account_login"),
}))
"""


class FormFields(HTMLParser):
    """The named ``<input>`` values of a page (hidden fields, the CSRF token)."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") in ("hidden", None):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept, redirects not followed: each answer's own status is seen."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, path, data=None):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            return error.code, error.read().decode(errors="replace")

    def form(self, path):
        status, html = self.request(path)
        assert status == 200, (path, status, html[:2000])
        fields = FormFields()
        fields.feed(html)
        return fields.values


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_with_redis_unreachable_the_site_answers_from_the_database(serveprod_site, tmp_path):
    server = ServeProd(
        serveprod_site,
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/9",  # a closed port
        HADAF_MIN_FILL_SECONDS="0",
    )
    try:
        status, health = server.wait_until_healthy()
        assert status == 200 and health == {
            "status": "degraded",
            "checks": {"database": True, "cache": False},
        }, server.log()
        serveprod_site["prepared"] = True
        env = {
            **server.env,
            "DJANGO_SETTINGS_MODULE": "site.settings.production",
            "SECRET_KEY": server.key_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        result = run_manage("shell", "-c", CONTENT_SCRIPT, env=env)
        assert result.returncode == 0, result.stderr
        content = json.loads(result.stdout.strip().splitlines()[-1])

        browser = Browser(server.port)
        for path in (content["home"], content["survey"], "/api/v2/pages/"):
            status, html = browser.request(path)
            assert status == 200, (path, status, server.log()[-3000:])
        fields = browser.form(content["login"])
        login = {**fields, "login": content["email"], "password": content["password"]}
        status, html = browser.request(content["login"], login)
        assert status == 302, (status, html[:2000], server.log()[-3000:])

        fields = browser.form(content["survey"])
        answers = {**content["answers"], "_step": "1", "_action": "submit"}
        answers["csrfmiddlewaretoken"] = fields["csrfmiddlewaretoken"]
        status, html = browser.request(content["survey"], answers)
        assert status == 302, (status, html[:2000], server.log()[-3000:])

        # Still degraded: the breaker answers, Redis is not waited for.
        status, health = server.wait_until_healthy()
        assert health["status"] == "degraded"
    finally:
        server.stop()
