"""Settings shared by every environment. Secrets and hosts come from the environment."""

import datetime
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from . import environment

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = environment.env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = environment.env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pages",
    "participation.people",
    "participation.submissions",
    "participation.results",
    "participation.surveys",
    "participation.drafts",
    "participation.ideas",
    "participation.incentives",
    "participation.organizations",
    "participation.dashboard",
    "participation.privacy",
    "participation.partners",
    "participation.audit",
    "participation.protection",
    # Connects the page cache's invalidation signals in every process.
    "site.page_cache.PageCacheConfig",
    "wagtail_localize",
    # Replaces wagtail.locales: locale management that knows about translations.
    "wagtail_localize.locales",
    "wagtail.api.v2",
    # OpenAPI 3.1 at /api/v3/ (django-ninja).
    "wagtail.api.v3",
    # Partner sites: per-key CORS and OAuth 2 authorization (participation/partners).
    "corsheaders",
    "oauth2_provider",
    "rest_framework",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # The database task backend's table and its `db_worker` command (production).
    "django_tasks_db",
    # Accounts: sign-up, email verification, login, password reset (participation/people).
    "allauth",
    "allauth.account",
    # Locks out repeated failed sign-ins, on our login form and the Wagtail admin's.
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a dropped database connection becomes a 503 page, whatever raised it.
    "site.db_errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin API calls from partner sites, allowed per key (participation/partners).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a cached page for an anonymous visitor costs no database work.
    "site.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "site.security_headers.NoStoreMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site.urls"
WSGI_APPLICATION = "site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "participation.dashboard.context_processors.unread_notifications",
            ],
        },
    },
]

# Database, cache and email: see environment.py for the variables and defaults.
DATABASES = {"default": environment.database(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": environment.cache()}
_email = environment.email()
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hadaf <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- Accounts (participation/people; README "Accounts") ----------------------------------
# Participants sign up and sign in with allauth at /accounts/… (/en/accounts/… in
# English); editors may also use the Wagtail admin's own login at /admin/login/.
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while its email and IP address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_profile"
# Private (view-restricted) pages send visitors to the same sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# One password reset for everyone, editors included: /accounts/password/reset/, which is
# rate-limited and never says whether an address has an account. Wagtail's own is off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
ACCOUNT_ADAPTER = "participation.people.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Neither sign-up nor password reset nor login tells whether an address has an account:
# an address already registered gets an email saying so, and the page is the same.
ACCOUNT_PREVENT_ENUMERATION = True
# One address per account; a new one replaces it once confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the email address asks for the password again (account/reauthenticate.html).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The emails and pages say "three days" (templates/account/).
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {
    "login": "participation.people.forms.LoginForm",
    "signup": "participation.people.forms.SignupForm",
    "add_email": "participation.people.forms.AddEmailForm",
    "change_password": "participation.people.forms.ChangePasswordForm",
    "set_password": "participation.people.forms.SetPasswordForm",
    "reset_password": "participation.people.forms.ResetPasswordForm",
    "reset_password_from_key": "participation.people.forms.ResetPasswordKeyForm",
    "reauthenticate": "participation.people.forms.ReauthenticateForm",
}
# allauth's limits live in the cache (Redis in production, shared by every process).
# Whole campuses sign up from one NAT address, so per-IP limits stay generous; per-address
# ("key") limits keep anyone from mail-bombing an inbox. Failed logins are axes' job.
ACCOUNT_RATE_LIMITS = {
    "signup": "20/m/ip,200/h/ip",
    "reset_password": "20/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": None,
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# How many reverse proxies of ours stand before the app (X-Forwarded-For is trusted that
# far); 0 reads REMOTE_ADDR. Used by axes, allauth and django-ratelimit alike.
HADAF_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "participation.people.throttling.client_ip"

# django-axes: 5 failed sign-ins for one email from one IP address lock that pair out for
# 15 minutes, on /accounts/login/ and /admin/login/ alike (AccessAttempt rows in the
# database, so every process agrees).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "participation.people.throttling.attempt_username"
AXES_CLIENT_IP_CALLABLE = "participation.people.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "participation.people.throttling.locked_out"
AXES_RESET_ON_SUCCESS = True
# The lockout ends 15 minutes after the last counted failure, however often one retries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Privacy: no row per successful sign-in (IP address and browser); failures are kept.
AXES_DISABLE_ACCESS_LOG = True

# Persian first. Persian pages are served without a prefix (/calls/...), the
# English translation under /en/ (see site/urls.py).
LANGUAGE_CODE = "fa"
LANGUAGES = [
    ("fa", _("Persian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail_admin"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# Wagtail content is one page tree per locale, translated with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = _("Hadaf")
WAGTAILADMIN_USER_LOGIN_FORM = "participation.people.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The read API (site/api.py): at most this many items per request, whatever ?limit= says.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Wagtail's page editor posts many fields; StreamField-heavy calls exceed Django's 1000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Public results hide any group or cell of fewer respondents than this (editors see all).
# Generated responses per demo survey (seed_demo).
HADAF_DEMO_RESPONSES = int(os.environ.get("HADAF_DEMO_RESPONSES", "300"))
HADAF_RESULTS_MIN_GROUP = int(os.environ.get("HADAF_RESULTS_MIN_GROUP", "5"))
# Whole pages for anonymous visitors, in the cache above (site/page_cache.py); 0 turns it
# off. Pages whose numbers change without publishing (comment counts, live results) are
# kept for the shorter time.
HADAF_PAGE_CACHE_SECONDS = int(os.environ.get("HADAF_PAGE_CACHE_SECONDS", "300"))
HADAF_PAGE_CACHE_DYNAMIC_SECONDS = int(os.environ.get("HADAF_PAGE_CACHE_DYNAMIC_SECONDS", "30"))

# Background work: notification emails; Wagtail's search and reference index updates,
# file deletions and front-end cache purges. The embedded default runs each task at once,
# after the transaction that queued it commits; production stores tasks in the database
# for `manage.py db_worker` (docs/deploy.md). TASKS_BACKEND overrides either.
TASKS = environment.tasks(environment.IMMEDIATE_TASKS_BACKEND)

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# "private" holds files never served by a URL (idea attachments), outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = environment.storages(
    media_root=MEDIA_ROOT,
    private_root=PRIVATE_MEDIA_ROOT,
    static_backend="django.contrib.staticfiles.storage.StaticFilesStorage",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per background task is noise with the immediate backend.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint and fontTools log every step of a certificate's layout at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# ---- Headless API and partner sites (site/api.py, participation/partners) ---------------

# ---- Security headers (site/security_headers.py, django-csp) ----------------------------

# ---- Rate limits and spam (participation/protection) ------------------------------------
