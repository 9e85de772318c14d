"""gunicorn configuration: ``gunicorn`` (no arguments) serves the project.

Values come from the environment so one file fits one machine or many.
"""

import multiprocessing
import os

import site_package

site_package.activate()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.production")

wsgi_app = "site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
