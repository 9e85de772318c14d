"""The partner API: submissions through the web form's own rules, and every refusal in JSON."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from participation.drafts.choices import CommentKind
from participation.drafts.models import ClauseComment
from participation.drafts.outline import commentable, outline_of
from participation.partners import keys
from participation.partners.choices import KeyScope
from participation.protection import traps
from participation.questions.forms import sign_started_at
from participation.submissions.models import Answer, Submission
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

from .factories import ALL_KEY_SCOPES, grant_token, headers, json_answers, make_partner

pytestmark = pytest.mark.django_db

ANSWER_ROWS = 16


def post_json(client, url, body, **kwargs):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **kwargs)


def responses_url(page):
    return f"/api/hadaf/v1/calls/{page.pk}/responses/"


def comments_url(page):
    return f"/api/hadaf/v1/calls/{page.pk}/comments/"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["detail"]
    return body


def test_a_body_over_the_size_limit_is_a_json_413_and_stores_nothing(
    client, partner, survey, token, settings
):
    """Found by an attacker: a 4 MB body was a 500 with a traceback (RequestDataTooBig)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    _site, _key, key_text = partner
    body = {"answers": {"interests": ["x" * 40] * 1_000}}
    response = post_json(client, responses_url(survey), body, **headers(key_text, token))
    assert_error(response, 413, "body_too_large")
    assert Submission.objects.count() == 0


# Reading ---------------------------------------------------------------------------


def test_me_names_the_participant_and_the_scopes(client, partner, token, participant):
    _site, _key, key_text = partner
    response = client.get("/api/hadaf/v1/me/", **headers(key_text, token))
    assert response.status_code == 200
    body = response.json()
    assert body["participant"]["name"] == participant.get_full_name()
    assert body["granted_scopes"] == ["comments", "responses"]
    assert set(body["key_scopes"]) == {scope.value for scope in KeyScope}


def test_call_detail_describes_the_survey_form(client, partner, survey, token):
    _site, _key, key_text = partner
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text, token))
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "survey" and body["is_open"]
    assert body["eligibility"] == {"allowed": True, "reason": ""}
    names = {field["name"] for question in body["questions"] for field in question["fields"]}
    assert names == set(json_answers())
    assert body["started_at"]


def test_call_detail_lists_a_drafts_clauses(client, partner, draft):
    _site, _key, key_text = partner
    body = client.get(f"/api/hadaf/v1/calls/{draft.pk}/", **headers(key_text)).json()
    assert body["kind"] == "draft" and body["eligibility"] is None
    assert [clause["id"] for clause in body["clauses"]] == list(
        commentable(outline_of(draft.draft_text))
    )


def test_unpublished_and_private_calls_are_not_found(client, partner, survey):
    from wagtail.models import PageViewRestriction

    _site, _key, key_text = partner
    PageViewRestriction.objects.create(page=survey, restriction_type="login")
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text))
    assert_error(response, 404, "call_not_found")
    PageViewRestriction.objects.all().delete()
    survey.unpublish()
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text))
    assert_error(response, 404, "call_not_found")


# Submitting a survey response ------------------------------------------------------


def test_a_valid_response_is_stored_once_with_its_answers(
    client, partner, survey, token, participant
):
    _site, _key, key_text = partner
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    assert response.status_code == 201, response.content
    submission = Submission.objects.get()
    assert response.json()["id"] == str(submission.uuid)
    assert submission.participant == participant
    assert submission.answers.count() == ANSWER_ROWS
    assert submission.language == "fa"

    again = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    assert_error(again, 409, "already_submitted")
    assert Submission.objects.count() == 1


def test_the_signed_start_time_from_the_form_is_kept(client, partner, survey, token):
    _site, _key, key_text = partner
    started = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text)).json()[
        "started_at"
    ]
    body = {"answers": json_answers(), "started_at": started}
    assert (
        post_json(client, responses_url(survey), body, **headers(key_text, token)).status_code
        == 201
    )
    assert Submission.objects.get().started_at is not None


def _start_time_from(source, client, partner, survey, calls):
    site, _key, key_text = partner
    if source == "another call":
        other = SurveyCampaignPageFactory(parent=calls, slug="another-survey")
        return client.get(f"/api/hadaf/v1/calls/{other.pk}/", **headers(key_text)).json()[
            "started_at"
        ]
    if source == "another key of the same site":
        from participation.partners.models import PartnerKey

        other_key = keys.issue_key(
            PartnerKey(site=site, name="staging", scopes=ALL_KEY_SCOPES, allowed_origins="")
        )
        return client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(other_key)).json()[
            "started_at"
        ]
    if source == "another site":
        _other_site, _other_key, other_text = make_partner("دانشگاه دیگر")
        return client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(other_text)).json()[
            "started_at"
        ]
    if source == "the web form":
        return sign_started_at(binding=traps.binding_of("browser:x", f"survey:{survey.url}"))
    return "forged:" + sign_started_at(binding="")


@pytest.mark.parametrize("limits_on", [True, False])
@pytest.mark.parametrize(
    "source",
    ["another call", "another key of the same site", "another site", "the web form", "forged"],
)
def test_a_start_time_signed_for_another_call_or_key_is_refused(
    client, partner, survey, token, calls, settings, source, limits_on
):
    """Found by an attacker: any start time Hadaf had signed was taken (``strict=False``),
    so one key's start time for one call dated a response to another call or via another key.
    """
    settings.HADAF_RATE_LIMITS = limits_on
    _site, _key, key_text = partner
    started = _start_time_from(source, client, partner, survey, calls)
    body = {"answers": json_answers(), "started_at": started}
    response = post_json(
        client, responses_url(survey), body, **headers(key_text, token, accept_language="fa")
    )
    refused = assert_error(response, 422, "invalid_started_at")
    assert refused["errors"][0]["loc"] == ["body", "started_at"]
    assert "زمان شروع" in refused["detail"]  # translated
    assert not Submission.objects.exists() and not Answer.objects.exists()
    # Without it, or with this key's own for this call, the response is taken.
    own = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text)).json()
    body["started_at"] = own["started_at"]
    assert (
        post_json(client, responses_url(survey), body, **headers(key_text, token)).status_code
        == 201
    )


def test_invalid_answers_get_the_forms_translated_errors(client, partner, survey, token):
    _site, _key, key_text = partner
    answers = json_answers()
    hours = next(name for name in answers if answers[name] == "۱۲")
    answers[hours] = "۹۰۰"  # above the question's maximum of 80
    response = post_json(
        client, responses_url(survey), {"answers": answers}, **headers(key_text, token)
    )
    body = assert_error(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "answers", hours]
    assert "۸۰" in body["errors"][0]["msg"]  # the web form's Persian message
    assert not Submission.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"q_no-such-question": "x"}},
        {"answers": {}, "unexpected": 1},
        {"answers": "not an object"},
        {"answers": {"q_x": {"nested": True}}},
        {},
    ],
)
def test_wrong_shapes_and_unknown_fields_are_refused(client, partner, survey, token, body):
    _site, _key, key_text = partner
    response = post_json(client, responses_url(survey), body, **headers(key_text, token))
    assert_error(response, 422, "validation_error")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "", "null"])
def test_malformed_json_is_a_400(client, partner, survey, token, raw):
    _site, _key, key_text = partner
    response = post_json(client, responses_url(survey), raw, **headers(key_text, token))
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("malformed_json", "validation_error")
    assert not Submission.objects.exists()


def test_an_ineligible_participant_is_refused_with_the_reason(client, partner, survey):
    site, _key, key_text = partner
    survey.audience = "verified"
    survey.save_revision().publish()
    token = grant_token(site, UserFactory())
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    body = assert_error(response, 403, "not_eligible")
    assert "دانشگاهیان" in body["detail"] or body["detail"]
    assert not Submission.objects.exists()


def test_a_closed_call_refuses_responses(client, partner, survey, token):
    _site, _key, key_text = partner
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save_revision().publish()
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    assert_error(response, 403, "not_eligible")


# Keys and tokens -------------------------------------------------------------------


def test_no_key_or_an_unknown_key_is_a_401(client, survey):
    assert_error(client.get(f"/api/hadaf/v1/calls/{survey.pk}/"), 401, "missing_key")
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", HTTP_X_HADAF_KEY="hdf_x_y")
    assert_error(response, 401, "invalid_key")


def test_revoked_and_expired_keys_are_refused_and_store_nothing(
    client, partner, survey, token, participant
):
    _site, key, key_text = partner
    keys.revoke(key, participant)
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    assert_error(response, 401, "key_revoked")
    site2, key2, key2_text = make_partner(
        "دانشگاه دیگر", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    token2 = grant_token(site2, participant)
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key2_text, token2)
    )
    assert_error(response, 401, "key_expired")
    assert not Submission.objects.exists()


def test_an_inactive_site_is_refused(client, partner, survey):
    site, _key, key_text = partner
    site.is_active = False
    site.save()
    assert_error(
        client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text)), 401, "site_inactive"
    )


def test_a_token_of_another_partner_site_is_refused(client, partner, survey, participant):
    _site, _key, key_text = partner
    other_site, _other_key, _other_text = make_partner("دانشگاه دیگر")
    foreign_token = grant_token(other_site, participant)
    response = post_json(
        client,
        responses_url(survey),
        {"answers": json_answers()},
        **headers(key_text, foreign_token),
    )
    assert_error(response, 401, "token_of_another_site")
    assert not Submission.objects.exists()


def test_missing_expired_or_narrow_tokens_are_refused(client, partner, survey, participant):
    site, _key, key_text = partner
    body = {"answers": json_answers()}
    assert_error(
        post_json(client, responses_url(survey), body, **headers(key_text)), 401, "missing_token"
    )
    expired = grant_token(site, participant, expires_in=-1)
    assert_error(
        post_json(client, responses_url(survey), body, **headers(key_text, expired)),
        401,
        "invalid_token",
    )
    comments_only = grant_token(site, participant, scope="comments")
    assert_error(
        post_json(client, responses_url(survey), body, **headers(key_text, comments_only)),
        403,
        "insufficient_token_scope",
    )
    assert not Submission.objects.exists()


def test_a_key_without_the_scope_is_refused(client, survey, participant):
    site, _key, key_text = make_partner(scopes=[KeyScope.READ])
    token = grant_token(site, participant)
    response = post_json(
        client, responses_url(survey), {"answers": json_answers()}, **headers(key_text, token)
    )
    assert_error(response, 403, "insufficient_key_scope")


def test_last_used_is_recorded_at_most_once_a_minute(client, partner, survey):
    _site, key, key_text = partner
    client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text))
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.get(f"/api/hadaf/v1/calls/{survey.pk}/", **headers(key_text))
    key.refresh_from_db()
    assert key.last_used_at == first


def test_errors_follow_the_callers_language(client, survey):
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Send your partner API key in the X-Hadaf-Key header."
    assert response["Content-Language"] == "en"
    persian = client.get(f"/api/hadaf/v1/calls/{survey.pk}/", HTTP_ACCEPT_LANGUAGE="fa")
    assert persian["Content-Language"] == "fa"


# Clause comments -------------------------------------------------------------------


def first_clause(draft):
    return next(iter(commentable(outline_of(draft.draft_text))))


def test_a_clause_comment_is_stored_by_the_drafts_service(
    client, partner, draft, token, participant
):
    _site, _key, key_text = partner
    body = {"clause_id": first_clause(draft), "stance": "agree", "body": "موافقم."}
    response = post_json(client, comments_url(draft), body, **headers(key_text, token))
    assert response.status_code == 201, response.content
    comment = ClauseComment.objects.get()
    assert comment.author == participant and comment.kind == CommentKind.CLAUSE
    assert response.json()["moderation_state"] == comment.moderation_state
    again = post_json(client, comments_url(draft), body, **headers(key_text, token))
    assert_error(again, 409, "already_commented")
    assert ClauseComment.objects.count() == 1


def test_an_invalid_comment_gets_the_forms_errors(client, partner, draft, token):
    _site, _key, key_text = partner
    body = {"clause_id": first_clause(draft), "stance": "oppose", "body": ""}
    response = post_json(client, comments_url(draft), body, **headers(key_text, token))
    errors = assert_error(response, 422, "validation_error")["errors"]
    assert errors[0]["loc"] == ["body", "body"]
    assert not ClauseComment.objects.exists()


def test_an_unknown_clause_is_a_404(client, partner, draft, token):
    _site, _key, key_text = partner
    body = {"clause_id": "no-such-clause", "stance": "agree"}
    response = post_json(client, comments_url(draft), body, **headers(key_text, token))
    assert_error(response, 404, "clause_not_found")
    assert not ClauseComment.objects.exists()


def test_a_survey_is_not_a_draft(client, partner, survey, token):
    _site, _key, key_text = partner
    body = {"clause_id": "x", "stance": "agree"}
    response = post_json(client, comments_url(survey), body, **headers(key_text, token))
    assert_error(response, 404, "call_not_found")


def test_query_parameters_are_refused(client, partner, survey):
    _site, _key, key_text = partner
    response = client.get(f"/api/hadaf/v1/calls/{survey.pk}/?limit=100000", **headers(key_text))
    assert_error(response, 400, "unknown_parameter")


def test_a_participant_over_the_comment_limit_gets_429_and_others_do_not(
    client, partner, draft, token, settings
):
    """The web form's per-account limit (5 comments a minute) holds through the API too."""
    settings.HADAF_RATE_LIMITS = True
    cache.clear()
    site, _key, key_text = partner
    body = {"clause_id": first_clause(draft), "stance": "agree", "body": "موافقم."}
    statuses = [
        post_json(client, comments_url(draft), body, **headers(key_text, token)).status_code
        for _attempt in range(5)
    ]
    assert statuses == [201, 409, 409, 409, 409]
    limited = post_json(client, comments_url(draft), body, **headers(key_text, token))
    assert_error(limited, 429, "too_many_requests")
    assert int(limited["Retry-After"]) > 0
    assert ClauseComment.objects.count() == 1
    other = grant_token(site, UserFactory())
    response = post_json(client, comments_url(draft), body, **headers(key_text, other))
    assert response.status_code == 201, response.content
    cache.clear()


def test_a_lone_surrogate_in_the_json_is_a_malformed_body(client, partner, draft, token):
    """Valid JSON that no database can store: 400, nothing stored, never a 500."""
    _site, _key, key_text = partner
    body = json.dumps({"clause_id": first_clause(draft), "stance": "agree", "body": "BODY"})
    raw = body.replace("BODY", "\\ud800")
    response = client.post(
        comments_url(draft), raw, content_type="application/json", **headers(key_text, token)
    )
    assert_error(response, 400, "malformed_json")
    assert not ClauseComment.objects.exists()
