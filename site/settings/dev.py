"""Development: debug on, embedded SQLite, console email, a fixed throwaway key."""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

DEBUG = True
# Only for development; production refuses to start without its own SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
# Templates and content change under the developer's hands: no page cache unless asked.
HADAF_PAGE_CACHE_SECONDS = int(os.environ.get("HADAF_PAGE_CACHE_SECONDS", "0"))
