"""WSGI entry point. Serve with ``gunicorn`` (see gunicorn.conf.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.production")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
