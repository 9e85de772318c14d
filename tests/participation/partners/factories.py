"""Partner sites, keys and participants' OAuth tokens for the partner API tests."""

import datetime
import secrets

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, set_token_value

from participation.partners import keys, oauth
from participation.partners.choices import KeyScope
from participation.partners.models import PartnerKey, PartnerSite
from tests.participation.factories import valid_answers

ALL_KEY_SCOPES = [scope.value for scope in KeyScope]
ORIGIN = "https://partner.example.ac.ir"


def make_partner(name="دانشگاه نمونه", *, scopes=None, origins=ORIGIN, **key_fields):
    """A partner site with its OAuth application and one key; returns (site, key, key text)."""
    site = PartnerSite.objects.create(
        name=name,
        website="https://partner.example.ac.ir",
        redirect_uris="https://partner.example.ac.ir/hadaf/callback",
    )
    oauth.sync_application(site)
    key = PartnerKey(
        site=site,
        name="production",
        scopes=ALL_KEY_SCOPES if scopes is None else scopes,
        allowed_origins=origins,
        **key_fields,
    )
    return site, key, keys.issue_key(key)


def grant_token(site, user, scope="responses comments", expires_in=3600):
    """An access token ``user`` granted ``site`` (as the token endpoint would issue)."""
    text = secrets.token_urlsafe(30)
    token = get_access_token_model()(
        user=user,
        application=site.application,
        scope=scope,
        expires=timezone.now() + datetime.timedelta(seconds=expires_in),
    )
    set_token_value(token, text)  # stored hashed, as the token endpoint does
    token.save()
    return text


def headers(key_text, token=None, **extra):
    """Test-client keyword arguments sending the key, the token and other headers."""
    result = {"HTTP_X_HADAF_KEY": key_text}
    if token:
        result["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for name, value in extra.items():
        result["HTTP_" + name.upper().replace("-", "_")] = value
    return result


def json_answers():
    """The survey factory's valid answers as the API takes them (no signed start time)."""
    answers = {name: value for name, value in valid_answers().items() if name != "started_at"}
    answers[next(name for name in answers if answers[name] == "on")] = True
    return answers
