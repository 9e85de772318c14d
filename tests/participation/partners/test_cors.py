"""CORS on the partner API: a browser origin is allowed only by the calling key's list."""

import pytest

from participation.partners import keys

from .factories import ORIGIN, headers, make_partner

pytestmark = pytest.mark.django_db

ALLOW_ORIGIN = "access-control-allow-origin"


def preflight(client, url, origin):
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-hadaf-key, idempotency-key, content-type",
    )


def test_a_preflight_is_allowed_for_an_origin_on_a_usable_keys_list(client, partner, survey):
    url = f"/api/hadaf/v1/calls/{survey.pk}/responses/"
    response = preflight(client, url, ORIGIN)
    assert response[ALLOW_ORIGIN] == ORIGIN
    assert "x-hadaf-key" in response["access-control-allow-headers"]
    assert "idempotency-key" in response["access-control-allow-headers"]
    assert ALLOW_ORIGIN not in preflight(client, url, "https://evil.example")


def test_a_revoked_keys_origins_no_longer_pass_preflight(client, partner, survey, participant):
    _site, key, _text = partner
    keys.revoke(key, participant)
    url = f"/api/hadaf/v1/calls/{survey.pk}/responses/"
    assert ALLOW_ORIGIN not in preflight(client, url, ORIGIN)


def test_a_request_is_allowed_only_for_its_own_keys_origins(client, partner, survey):
    _site, _key, key_text = partner
    _other_site, _other, other_text = make_partner("دانشگاه دیگر", origins="https://other.ac.ir")
    url = f"/api/hadaf/v1/calls/{survey.pk}/"
    own = client.get(url, HTTP_ORIGIN=ORIGIN, **headers(key_text))
    assert own[ALLOW_ORIGIN] == ORIGIN
    assert "idempotent-replayed" in own["access-control-expose-headers"].lower()
    # The other site's origin with this site's key: no CORS header, the browser blocks it.
    assert ALLOW_ORIGIN not in client.get(
        url, HTTP_ORIGIN="https://other.ac.ir", **headers(key_text)
    )
    assert ALLOW_ORIGIN not in client.get(url, HTTP_ORIGIN=ORIGIN, **headers(other_text))


def test_other_paths_get_no_cors_from_partner_keys(client, partner, home_page):
    assert ALLOW_ORIGIN not in client.get("/api/v3/pages/", HTTP_ORIGIN=ORIGIN)
    assert ALLOW_ORIGIN not in preflight(client, "/admin/", ORIGIN)
