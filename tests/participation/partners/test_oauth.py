"""A participant authorizes a partner site: authorization code with PKCE, then a submission."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from participation.submissions.models import Submission

from .factories import headers, json_answers

pytestmark = pytest.mark.django_db

REDIRECT_URI = "https://partner.example.ac.ir/hadaf/callback"


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_params(site, challenge, scope="responses comments"):
    return {
        "response_type": "code",
        "client_id": site.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def test_the_consent_page_is_persian_rtl_and_names_the_site(client, partner, participant):
    site, _key, _text = partner
    client.force_login(participant)
    _verifier, challenge = pkce_pair()
    response = client.get("/oauth/authorize/", authorize_params(site, challenge))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    assert site.name in html
    assert "site-header" in html  # the site's own theme, not the toolkit's bare page
    assert "cdn." not in html


def test_signing_in_comes_first(client, partner):
    site, _key, _text = partner
    _verifier, challenge = pkce_pair()
    response = client.get("/oauth/authorize/", authorize_params(site, challenge))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_without_pkce_no_code_is_issued(client, partner, participant):
    site, _key, _text = partner
    client.force_login(participant)
    params = authorize_params(site, "")
    del params["code_challenge"], params["code_challenge_method"]
    response = client.get("/oauth/authorize/", params)
    location = response.get("Location", "")
    assert "code=" not in location


def test_the_whole_flow_ends_in_one_stored_response(client, partner, participant, survey):
    site, _key, key_text = partner
    verifier, challenge = pkce_pair()
    client.force_login(participant)
    params = authorize_params(site, challenge)
    response = client.post(
        "/oauth/authorize/", {**params, "allow": "Authorize", "redirect_uri": REDIRECT_URI}
    )
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    client.logout()

    token_response = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
            "client_id": site.client_id,
            "code_verifier": verifier,
        },
    )
    assert token_response.status_code == 200, token_response.content
    access_token = token_response.json()["access_token"]

    response = client.post(
        f"/api/hadaf/v1/calls/{survey.pk}/responses/",
        json.dumps({"answers": json_answers()}),
        content_type="application/json",
        **headers(key_text, access_token),
    )
    assert response.status_code == 201, response.content
    assert Submission.objects.get().participant == participant


def test_a_wrong_code_verifier_gets_no_token(client, partner, participant):
    site, _key, _text = partner
    _verifier, challenge = pkce_pair()
    client.force_login(participant)
    response = client.post(
        "/oauth/authorize/", {**authorize_params(site, challenge), "allow": "Authorize"}
    )
    code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    client.logout()
    token_response = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": site.client_id,
            "code_verifier": "not-the-verifier-" + "x" * 40,
        },
    )
    assert token_response.status_code == 400
