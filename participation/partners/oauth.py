"""Each partner site's OAuth 2 application (authorization code with PKCE, public client).

Participants authorize a partner site at /oauth/authorize/; the site's API key then
proves which site is calling, and the access token for whom.
"""

import hashlib

from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
)


def redirect_uris_of(site):
    return " ".join(line.strip() for line in site.redirect_uris.splitlines() if line.strip())


def sync_application(site):
    """Create or update ``site``'s OAuth application from its name and redirect addresses."""
    Application = get_application_model()
    application = site.application
    if application is None:
        application = Application(
            client_type=AbstractApplication.CLIENT_PUBLIC,
            authorization_grant_type=AbstractApplication.GRANT_AUTHORIZATION_CODE,
            skip_authorization=False,
        )
    application.name = site.name[:255]
    application.redirect_uris = redirect_uris_of(site)
    application.save()
    if site.application_id != application.pk:
        site.application = application
        site.save(update_fields=["application"])
    return application


def find_access_token(token_text):
    """The unexpired access token whose text is ``token_text``, or ``None``."""
    if not token_text:
        return None
    checksum = hashlib.sha256(token_text.encode()).hexdigest()
    token = (
        get_access_token_model()
        .objects.select_related("user", "application")
        .filter(token_checksum=checksum)
        .first()
    )
    if token is None or token.is_expired():
        return None
    return token
