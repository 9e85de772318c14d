"""Security headers the libraries do not set: no-store on private responses, and the
Content Security Policy of the few paths that cannot live with the public site's.

django-csp's ``CSPMiddleware`` sends ``CONTENT_SECURITY_POLICY`` on every response.
This middleware sits inside it (after it in ``MIDDLEWARE``), so it sees each response
first and can hand django-csp another policy for the paths in
``HADAF_CSP_PATH_DIRECTIVES`` (the Wagtail admin, the API docs, the OAuth consent page):
the same mechanism as django-csp's ``@csp_replace`` view decorator, for views we do
not write. A view that set its own policy with a decorator keeps it.

``Cache-Control: private, no-store`` goes on every response that no browser or proxy
should keep: the admin, any answer to a POST (or other unsafe method), any page that
carries a CSRF token (a form) and any page for a signed-in visitor. A view that chose its
own ``Cache-Control`` (the page cache, the read API, file downloads) keeps it.
"""

import re

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.utils.cache import patch_cache_control

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def path_directives(path):
    """The CSP directives for ``path`` when it is not the public site's policy, else None."""
    for pattern, directives in settings.HADAF_CSP_PATH_DIRECTIVES:
        if re.match(pattern, path):
            return directives
    return None


def uses_csrf_token(request):
    """Whether the response carries a CSRF token (a form): Django marks the request so."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")
    )


def is_signed_in(request):
    """Whether the visitor is signed in, without opening a session a request does not have."""
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def must_not_be_stored(request, response):
    """Whether ``response`` is private to its visitor or moment (see the module docstring)."""
    if response.has_header("Cache-Control"):
        return False
    return (
        request.path_info.startswith("/admin/")
        or request.method not in SAFE_METHODS
        or uses_csrf_token(request)
        or is_signed_in(request)
    )


class SecurityHeadersMiddleware:
    """Per-path Content Security Policy and ``Cache-Control: no-store`` (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        self.choose_policy(request, response)
        if must_not_be_stored(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def choose_policy(self, request, response):
        """Give django-csp the directives of ``request``'s path, unless the view chose."""
        # Report-only mode (CSP_REPORT_ONLY) sends only the report-only header.
        suffix = "" if settings.CONTENT_SECURITY_POLICY else "_ro"
        if response.status_code == 500 and not hasattr(response, "_csp_update" + suffix):
            # templates/500.html is standalone, its style inline (static files may be what
            # failed); it shows nothing from the request.
            setattr(response, "_csp_update" + suffix, {"style-src": UNSAFE_INLINE})
        directives = path_directives(request.path_info)
        if directives is None:
            return
        attribute = "_csp_config" + suffix
        if getattr(response, attribute, None) is None:
            setattr(response, attribute, directives)


# The name MIDDLEWARE uses in site/settings/base.py.
NoStoreMiddleware = SecurityHeadersMiddleware
