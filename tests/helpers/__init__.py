"""Run the project's entry points in a subprocess, as a developer or server would."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def project_env(**overrides):
    """The current environment without Django/DB variables, plus ``overrides``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "PYTHONPATH",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def run_manage(*args, env=None, timeout=120):
    """Run ``python manage.py <args>`` from the project root and return the result."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env or project_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
