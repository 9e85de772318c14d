"""Who is calling the partner API: the partner site (API key) and for whom (OAuth token).

``X-Hadaf-Key`` identifies the partner site; ``Authorization: Bearer <token>`` is the
access token a participant granted that site at /oauth/authorize/. A token issued to
another partner site's application is refused.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader

from . import keys, oauth
from .errors import ApiError

KEY_HEADER = "X-Hadaf-Key"


class PartnerKeyAuth(APIKeyHeader):
    """The ``X-Hadaf-Key`` header: a usable key of an active partner site."""

    param_name = KEY_HEADER

    def authenticate(self, request, key):
        partner_key = authenticate_key(key)
        request.partner_key = partner_key
        return partner_key


def authenticate_key(text, now=None):
    """The usable :class:`PartnerKey` for ``text``; raises :class:`ApiError` (401) if none."""
    now = now or timezone.now()
    if not text:
        raise ApiError(
            401, "missing_key", _("Send your partner API key in the X-Hadaf-Key header.")
        )
    partner_key = keys.find_key(text)
    if partner_key is None:
        raise ApiError(401, "invalid_key", _("This API key is not valid."))
    if partner_key.revoked_at is not None:
        raise ApiError(401, "key_revoked", _("This API key has been revoked."))
    if partner_key.expires_at is not None and partner_key.expires_at <= now:
        raise ApiError(401, "key_expired", _("This API key has expired."))
    if not partner_key.site.is_active:
        raise ApiError(401, "site_inactive", _("This partner site is not active."))
    keys.touch(partner_key, now)
    return partner_key


def require_key_scope(request, scope):
    if not request.partner_key.has_scope(scope):
        raise ApiError(
            403,
            "insufficient_key_scope",
            _("This API key may not do this; ask for the “%(scope)s” scope.") % {"scope": scope},
        )


def bearer_token(request):
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return ""
    return token.strip()


def participant_for(request, scope=None, required=True):
    """The participant who authorized the calling partner site, from the bearer token.

    Args:
        request: a request already authenticated with :class:`PartnerKeyAuth`.
        scope: the OAuth scope the participant must have granted (``None``: any).
        required: whether a missing token is an error (else ``None`` is returned).

    Raises:
        ApiError: 401 for a missing, unknown or expired token or a token of another
        partner site; 403 when the participant did not grant ``scope``.
    """
    text = bearer_token(request)
    if not text:
        if not required:
            return None
        raise ApiError(
            401,
            "missing_token",
            _("Send the participant's access token: Authorization: Bearer <token>."),
        )
    token = oauth.find_access_token(text)
    site = request.partner_key.site
    if token is None or token.user is None:
        raise ApiError(401, "invalid_token", _("This access token is not valid or has expired."))
    if site.application_id is None or token.application_id != site.application_id:
        raise ApiError(
            401, "token_of_another_site", _("This access token was not issued to your site.")
        )
    if not token.user.is_active:
        raise ApiError(401, "invalid_token", _("This access token is not valid or has expired."))
    if scope and not token.allow_scopes([scope]):
        raise ApiError(
            403,
            "insufficient_token_scope",
            _("The participant has not allowed your site to do this."),
        )
    return token.user
