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
    "participation.measurement",
    "participation.drafts",
    "participation.ideas",
    "participation.opinions",
    "participation.incentives",
    "participation.organizations",
    "participation.dashboard",
    "participation.impact",
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
    # django-ninja's templates and static files: its API docs pages load Swagger UI from
    # here, not from a CDN (/api/v3/docs/, /api/hadaf/v1/docs/).
    "ninja",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cross-origin API calls from partner sites, allowed per key (participation/partners).
    "corsheaders.middleware.CorsMiddleware",
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
    # Django's, with the length in the reader's digits (participation/people).
    {"NAME": "participation.people.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- Accounts (participation/people; docs/security.md) -----------------------------------
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
# Email and password, or a mobile number and a one-time code by text message (allauth's
# phone support; the adapter stores the number on User.phone, participation/phones.py).
# "phone" is optional here because email sign-up doesn't ask for it; the phone sign-up
# form (/accounts/signup/phone/) asks only for it, and the login-by-code page only for it.
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Codes: six digits, single use, five minutes, three wrong tries; "send again" three times.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 3
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 3
# The text-message gateway for the codes (participation/people/sms.py): SMS_BACKEND etc.
HADAF_SMS = environment.sms()
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
    "request_login_code": "participation.people.forms.RequestLoginCodeForm",
    "confirm_login_code": "participation.people.forms.ConfirmLoginCodeForm",
    "verify_phone": "participation.people.forms.VerifyPhoneForm",
    "change_phone": "participation.people.forms.ChangePhoneForm",
}
# allauth's limits live in the cache (Redis in production, shared by every process; while
# Redis is unreachable, counted in each process's memory: site/cache.py, docs/deploy.md).
# Whole campuses sign up from one NAT address: the small limits are per browser and the
# address's are soft (a challenge), in participation/protection/limits.py; allauth's
# per-IP limits are only a backstop far above those. Per-address ("key") limits keep
# anyone from mail-bombing an inbox. Failed logins are axes' job.
ACCOUNT_RATE_LIMITS = {
    "signup": "100/m/ip,1000/h/ip",
    "reset_password": "100/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "100/m/ip",
    "login": "600/m/ip",
    "login_failed": None,
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    # Text messages cost money and reach a person's phone: per number ("key", canonical
    # +989…), 3 in 5 minutes and 10 a day, whether the number has an account or not; per
    # address, enough for a campus NAT, not for a script walking through numbers.
    "request_login_code": "30/m/ip,300/h/ip,3/5m/key,10/d/key",
    "verify_phone": "30/m/ip,300/h/ip,3/5m/key,10/d/key",
    "change_phone": "3/m/user,10/d/user",
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
# The read API (site/api.py): at most this many items per request; a larger ?limit= is capped.
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
# Public results are a snapshot taken again after this many submissions changed (0: the
# threshold above), so comparing two versions never isolates one answer (docs/privacy.md).
HADAF_RESULTS_BATCH = int(os.environ.get("HADAF_RESULTS_BATCH", "0"))
# A page submitted for approval is approved (and published) by someone other than its
# submitter (participation/submissions/approval.py); "0" lets a moderator approve their own.
HADAF_APPROVAL_BY_ANOTHER_PERSON = os.environ.get("HADAF_APPROVAL_BY_ANOTHER_PERSON", "1") != "0"
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
# Readers' API (/api/v2/, site/api.py): rich text as HTML with links resolved, and how long
# anonymous reads may be kept (Cache-Control max-age; also on the server, under the page
# cache's generation, never longer than HADAF_PAGE_CACHE_SECONDS).
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
HADAF_API_CACHE_SECONDS = int(os.environ.get("HADAF_API_CACHE_SECONDS", "60"))

# Partner sites (participation/partners, docs/partners.md): /api/hadaf/v1/ with a key per
# partner site; participants authorize a site with OAuth 2 (authorization code + PKCE) at
# /oauth/authorize/. Cross-origin calls are allowed per key by a django-cors-headers signal
# (participation/partners/cors.py), so no origin is listed here; these headers only say
# what a preflight may ask for and what a browser may read.
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-hadaf-key",
)
CORS_EXPOSE_HEADERS = ("idempotent-replayed",)
OAUTH2_PROVIDER = {
    "SCOPES": {
        "responses": _("Submit your answers to surveys on your behalf"),
        "comments": _("Post your comments on draft regulations on your behalf"),
        "statements": _("Vote on statements and add your own on your behalf"),
    },
    "DEFAULT_SCOPES": ["responses", "comments"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 60 * 60,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    # A partner asks again each time unless the participant already granted these scopes.
    "REQUEST_APPROVAL_PROMPT": "auto",
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grant, S256 PKCE only,
    # tokens only in the Authorization header, `iss` in the authorization response,
    # tokens stored hashed, a replayed refresh token revokes its family; and `check
    # --deploy` fails on a configuration that would weaken any of this.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# Named because PartnerSite links to it (django-oauth-toolkit's swappable model).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# ---- Security headers (site/security_headers.py, django-csp) ----------------------------
# Content Security Policy (django-csp 4). The public site loads everything from its own
# origin (scripts, styles and fonts are in static/, nothing from a CDN): no inline script or
# style, no plugins, no framing by other sites. Images and media may also come from the
# media storage's host (S3); video blocks frame the video sites in CSP_FRAME_ORIGINS.
# Paths that need more get their own directives (site/security_headers.py): the Wagtail
# admin runs inline scripts and styles, the API docs' Swagger UI sets inline styles, and
# the OAuth consent form redirects to the partner's site. CSP_REPORT_ONLY=1 sends the
# policies as Content-Security-Policy-Report-Only instead (to try a change on a live site);
# CSP_REPORT_URI collects violations in either mode.
_CSP_SELF, _CSP_NONE, _CSP_UNSAFE_INLINE = "'self'", "'none'", "'unsafe-inline'"


def _csp_media_origins():
    """Where uploaded images and media come from besides our origin: CSP_MEDIA_ORIGINS and S3."""
    origins = environment.env_list("CSP_MEDIA_ORIGINS")
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        origins.append(f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}")
    elif os.environ.get("AWS_S3_ENDPOINT_URL"):
        origins.append(os.environ["AWS_S3_ENDPOINT_URL"])
    elif os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        origins.append(f"https://{os.environ['AWS_STORAGE_BUCKET_NAME']}.s3.amazonaws.com")
    return origins


_CSP_MEDIA_ORIGINS = _csp_media_origins()
CSP_PUBLIC_DIRECTIVES = {
    "default-src": [_CSP_SELF],
    "script-src": [_CSP_SELF],
    "style-src": [_CSP_SELF],
    "img-src": [_CSP_SELF, "data:", *_CSP_MEDIA_ORIGINS],
    "media-src": [_CSP_SELF, *_CSP_MEDIA_ORIGINS],
    "font-src": [_CSP_SELF],
    "connect-src": [_CSP_SELF],
    "frame-src": environment.env_list(
        "CSP_FRAME_ORIGINS",
        default=(
            "https://www.aparat.com",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
        ),
    ),
    "frame-ancestors": [_CSP_NONE],
    "form-action": [_CSP_SELF],
    "base-uri": [_CSP_SELF],
    "object-src": [_CSP_NONE],
    "report-uri": environment.env_list("CSP_REPORT_URI") or None,
}
CSP_ADMIN_DIRECTIVES = {
    **CSP_PUBLIC_DIRECTIVES,
    # Wagtail's widgets (date choosers, inline panels) and our report pages inline code.
    "script-src": [_CSP_SELF, _CSP_UNSAFE_INLINE],
    "style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE],
    "img-src": [_CSP_SELF, "data:", "blob:", *_CSP_MEDIA_ORIGINS],
    "font-src": [_CSP_SELF, "data:"],
    # Embed previews show the video site; the live preview frames the admin itself.
    "frame-src": [_CSP_SELF, "https:"],
    "frame-ancestors": [_CSP_SELF],
}
CSP_API_DOCS_DIRECTIVES = {
    **CSP_PUBLIC_DIRECTIVES,
    # Swagger UI (django-ninja, served from static/) sets style attributes; its icons are
    # data: URIs. Its scripts stay 'self'.
    "style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE],
}
CSP_OAUTH_DIRECTIVES = {
    **CSP_PUBLIC_DIRECTIVES,
    # The consent form's answer redirects to the partner's registered redirect URI, which
    # browsers check against form-action.
    "form-action": [_CSP_SELF, "https:"],
}
# (regular expression on the path, directives); the first match wins.
HADAF_CSP_PATH_DIRECTIVES = [
    (r"/admin/", CSP_ADMIN_DIRECTIVES),
    (r"/api/(?:[^/]+/)+docs(?:/|$)", CSP_API_DOCS_DIRECTIVES),
    (r"/oauth/", CSP_OAUTH_DIRECTIVES),
]
if environment.env_bool("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_PUBLIC_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_PUBLIC_DIRECTIVES}
# The other headers (production.py sets HSTS and the cookie flags): no MIME sniffing, the
# full address only to our own pages, no framing (with CSP's frame-ancestors), and a
# browsing context of our own (no window.opener from another site).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The language cookie (set by /i18n/setlang/): no script reads it; Secure in production.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Editors' documents are downloads, never pages of our origin: every type (PDF and text
# included, which Wagtail would show inline) goes out as an attachment, through Django's
# view (so with these headers and the collection's privacy) even when S3 stores them.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# No Gravatar avatars in the admin: nothing is loaded from another site (CSP, and editors'
# email hashes stay here).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for a newer version (upgrades are ours).
WAGTAIL_ENABLE_UPDATE_CHECK = False


# ---- Rate limits and spam (participation/protection) ------------------------------------
# Limits per account, per browser and (soft, with a challenge) per address on every
# public form: participation/protection/limits.py. False turns them off (most tests).
HADAF_RATE_LIMITS = os.environ.get("HADAF_RATE_LIMITS", "1") != "0"
# A form sent sooner than this many seconds after it was drawn is asked the challenge
# (0 turns the check off).
HADAF_MIN_FILL_SECONDS = float(os.environ.get("HADAF_MIN_FILL_SECONDS", "3"))
# Anonymous-verified responses are mixed (and their awards made) in batches of at least this
# many, so no id, time or place on disk says which account gave which answers
# (participation/submissions/mixing.py, docs/privacy.md).
HADAF_ANONYMOUS_BATCH = int(os.environ.get("HADAF_ANONYMOUS_BATCH", "10"))
