#!/usr/bin/env python3
"""Run Hadaf's production profile on this machine: gunicorn plus a task worker.

``make serve-prod`` runs this after installing the dependencies
(``.venv/bin/python bin/serve_prod.py --help`` lists the options). It:

1. fills in loopback defaults for whatever the environment leaves unset
   (``DATABASE_URL``, ``REDIS_URL``, ``ALLOWED_HOSTS``, and a ``SECRET_KEY``
   generated once into the untracked file ``.secret_key``);
2. creates the PostgreSQL database if it does not exist;
3. migrates, compiles the message catalogues and collects the static files;
4. starts gunicorn (``gunicorn.conf.py``) and ``manage.py db_worker``, and
   supervises them: when one exits the other is stopped; Ctrl-C or SIGTERM stops
   both gracefully (a second Ctrl-C, or the grace period running out, kills them).

The environment always wins over these defaults; docs/deploy.md lists every variable.
"""

import argparse
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "site.settings.production",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hadaf",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
# This profile speaks plain HTTP on a loopback address with no TLS proxy in front, where
# an HTTPS redirect and secure-only cookies would lock the browser out of the admin. So
# they are switched off here, and only when gunicorn binds to loopback; a real deployment
# keeps the production defaults (both on) behind its TLS-terminating proxy.
LOOPBACK_ONLY_DEFAULTS = {"SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class Stop(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: shut everything down."""


def log(message):
    print(f"serve-prod: {message}", file=sys.stderr, flush=True)


def bind_host(bind):
    """The host part of a gunicorn bind address (``None`` for a Unix socket)."""
    if bind.startswith("unix:"):
        return None
    host = bind.rpartition(":")[0] if ":" in bind else bind
    return host.strip("[]")


def is_loopback(bind):
    """Whether ``bind`` is reachable only from this machine."""
    host = bind_host(bind)
    return host is None or host in LOOPBACK_HOSTS


def secret_key(path):
    """The key kept in ``path``, generated (readable by its owner only) on first use."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
            log(f"{path} was readable by others; now 0600")
        key = path.read_text(encoding="ascii").strip()
        if not key:
            raise SystemExit(
                f"serve-prod: {path} is empty; delete it to generate a new key"
            ) from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    log(f"generated a SECRET_KEY into {path} (mode 0600, never commit it)")
    return key


def profile_environment(environ, bind):
    """The environment for this profile: ``environ`` plus the defaults it lacks."""
    env = dict(environ)
    defaults = dict(DEFAULTS)
    if is_loopback(bind):
        defaults.update(LOOPBACK_ONLY_DEFAULTS)
    for name, value in defaults.items():
        if not env.get(name):
            env[name] = value
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secret_key(env.get("SECRET_KEY_FILE") or PROJECT_ROOT / ".secret_key")
    if not env.get("WAGTAILADMIN_BASE_URL") and bind_host(bind):
        env["WAGTAILADMIN_BASE_URL"] = f"http://{bind}"
    env["GUNICORN_BIND"] = bind
    env["PYTHONUNBUFFERED"] = "1"
    return env


def ensure_database(database_url):
    """Create the PostgreSQL database ``database_url`` names, unless it exists."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(database_url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    params = {
        key: value
        for key, value in {
            "host": config.get("HOST"),
            "port": config.get("PORT"),
            "user": config.get("USER"),
            "password": config.get("PASSWORD"),
            **config.get("OPTIONS", {}),
        }.items()
        if value not in (None, "")
    }
    name = config["NAME"]
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as db:
            if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return
            try:
                db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:
                return
            log(f"created the database {name}")
    except psycopg.OperationalError as error:
        where = f"{params.get('host', 'localhost')}:{params.get('port', 5432)}"
        raise SystemExit(
            f"serve-prod: cannot reach PostgreSQL at {where} ({error}). "
            "Start it, or point DATABASE_URL at one."
        ) from error


def check_redis(redis_url):
    """Warn (only) when the cache is unreachable: pages still render from the database."""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        log(
            f"warning: Redis is unreachable ({error}); serving degraded, without the page "
            "cache and with rate limits counted per process (docs/deploy.md, "
            '"When Redis is down")'
        )


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT_ROOT, env=env, check=True)  # noqa: S603


def prepare(env):
    """Database, schema, catalogues and static files, ready for the servers."""
    ensure_database(env["DATABASE_URL"])
    if env.get("REDIS_URL"):
        check_redis(env["REDIS_URL"])
    manage(env, "migrate", "--noinput")
    manage(env, "compile_catalogues", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def commands(task_workers=1, control_socket=None):
    """(name, argv) of every process to supervise."""
    gunicorn = [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    # gunicorn's control socket (for `gunicornc`) defaults to one path per user, which
    # a second gunicorn on the machine (tests, benchmarks) would take over: opt-in only.
    if control_socket:
        gunicorn += ["--control-socket", control_socket]
    else:
        gunicorn.append("--no-control-socket")
    # All queues; one worker per process. Scale out by starting more of them.
    worker = [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    if task_workers == 1:
        return [("gunicorn", gunicorn), ("worker", worker)]
    return [("gunicorn", gunicorn)] + [
        (f"worker-{number}", worker) for number in range(1, task_workers + 1)
    ]


def _die_with_parent():
    """In a child, before exec: get SIGTERM if serve-prod itself is killed (Linux)."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Supervisor:
    """Start processes, watch them, and stop them all when one exits or a signal arrives."""

    def __init__(self, env, grace):
        self.env = env
        self.grace = grace
        self.processes = {}
        self.forced = False

    def start(self, name, argv):
        # A session of its own: Ctrl-C reaches serve-prod only, which stops the
        # children in order rather than all of them at once.
        process = subprocess.Popen(  # noqa: S603
            argv,
            cwd=PROJECT_ROOT,
            env=self.env,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.processes[name] = process
        log(f"started {name} (pid {process.pid}): {' '.join(argv[1:])}")

    def exited(self):
        """(name, return code) of the first process that has exited, or None."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name, process.returncode
        return None

    def watch(self, ready_url=None, ready_timeout=120):
        """Block until a process exits (its exit status, never 0) or ``Stop`` is raised."""
        started = time.monotonic()
        while True:
            ended = self.exited()
            if ended:
                name, code = ended
                log(f"{name} exited with status {code}; stopping the rest")
                return 128 - code if code < 0 else (code or 1)
            if ready_url and _answers(ready_url):
                log(f"ready at {ready_url.removesuffix('healthz')} (Ctrl-C stops)")
                ready_url = None
            elif ready_url and time.monotonic() - started > ready_timeout:
                log(f"warning: {ready_url} has not answered after {ready_timeout} s")
                ready_url = None
            time.sleep(0.5)

    def stop(self):
        """SIGTERM every process still running, wait for them, then SIGKILL the rest."""

        def force(signum, frame):
            self.forced = True

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, force)
        running = {name: p for name, p in self.processes.items() if p.poll() is None}
        for name, process in running.items():
            log(f"stopping {name} (pid {process.pid})")
            process.terminate()
        deadline = time.monotonic() + self.grace
        while any(p.poll() is None for p in running.values()):
            if self.forced or time.monotonic() > deadline:
                for name, process in running.items():
                    if process.poll() is None:
                        log(f"killing {name} (pid {process.pid})")
                        process.kill()
                break
            time.sleep(0.2)
        for name, process in self.processes.items():
            process.wait()
            log(f"{name} stopped (status {process.returncode})")


def health_url(bind):
    """Where to ask gunicorn bound to ``bind`` whether it is ready (None for a socket)."""
    host = bind_host(bind)
    if host is None:
        return None
    if host in {"", "0.0.0.0", "::"}:  # noqa: S104 (all interfaces: ask over loopback)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{bind.rpartition(':')[2]}/healthz"


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="serve-prod", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--bind",
        default=os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000",
        help="gunicorn's address (default: GUNICORN_BIND or 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--task-workers",
        type=int,
        default=int(os.environ.get("TASK_WORKERS", "1")),
        help="db_worker processes to run (default: TASK_WORKERS or 1)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=40.0,
        help="seconds to wait for a graceful stop before killing (default: 40)",
    )
    parser.add_argument(
        "--no-setup",
        action="store_true",
        help="skip creating the database, migrate, catalogues and collectstatic",
    )
    parser.add_argument(
        "--seed", action="store_true", help="load the demo content (seed_demo --force)"
    )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help="print the profile's variables as shell exports and exit (to run manage.py "
        'commands in the same profile: eval "$(.venv/bin/python bin/serve_prod.py --print-env)")',
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    env = profile_environment(os.environ, args.bind)
    if args.print_env:
        names = [*DEFAULTS, *LOOPBACK_ONLY_DEFAULTS, "SECRET_KEY", "WAGTAILADMIN_BASE_URL"]
        for name in names:
            if name in env:
                print(f"export {name}={shlex.quote(env[name])}")
        return 0
    supervisor = Supervisor(env, grace=args.grace)
    status = 0
    try:
        if not args.no_setup:
            prepare(env)
        if args.seed:
            manage(env, "seed_demo", "--force")
        for name, argv_ in commands(args.task_workers, env.get("GUNICORN_CONTROL_SOCKET")):
            supervisor.start(name, argv_)
        status = supervisor.watch(health_url(args.bind))
    except Stop as stop:
        log(f"{stop} received")
    except subprocess.CalledProcessError as error:
        log(f"{' '.join(error.cmd[1:])} failed with status {error.returncode}")
        status = error.returncode or 1
    finally:
        supervisor.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
