"""ASGI entry point, for servers such as uvicorn or daphne."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.production")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
