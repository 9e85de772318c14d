"""The survey page for participants: who sees what, storing, editing, bad input."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from participation.choices import AnonymityMode, Audience, AudienceRole, ResultsVisibility, Role
from participation.submissions import mixing
from participation.submissions.models import (
    Answer,
    ParticipationReceipt,
    SealedBallot,
    Submission,
)
from participation.submissions.services import hash_edit_token
from participation.surveys.views import SECRET_COOKIE
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import C, Q, R, SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER_ROWS = 16  # valid_answers(): one row per answer, choice, ranked item and matrix row


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls)


@pytest.fixture
def student(db):
    return UserFactory(role=Role.STUDENT)


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def name(key, sub=None):
    return f"q_{Q[key]}" + (f"__{sub}" if sub else "")


def post_all(client, page, changes=None, url=None, **extra):
    data = {**valid_answers(), "_step": "1", "_action": "submit", **extra}
    data.update(changes or {})
    return client.post(url or page.url, data)


def assert_nothing_stored():
    assert Submission.objects.count() == 0
    assert Answer.objects.count() == 0
    assert ParticipationReceipt.objects.count() == 0


# ---- GET ----------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in(client, survey):
    response = client.get(survey.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "survey-form" not in html
    assert f"/accounts/login/?next=%2Fcalls%2F{survey.slug}%2F" in html


def test_an_eligible_person_sees_the_first_step_with_progress(student_client, survey):
    html = student_client.get(survey.url).content.decode()
    assert f'name="{name("major")}"' in html
    assert f'name="{name("interests")}"' not in html  # second step
    assert '<progress class="survey-progress__bar" max="2" value="1"' in html
    assert "۱" in html
    assert 'name="started_at"' in html
    assert "css/survey.css" in html


def test_an_ineligible_person_sees_why(client, calls):
    page = SurveyCampaignPageFactory(
        parent=calls, audience=Audience.ROLES, audience_roles=[AudienceRole.FACULTY]
    )
    client.force_login(UserFactory(role=Role.STUDENT))
    html = client.get(page.url).content.decode()
    assert "survey-form" not in html
    assert "survey-notice" in html
    assert str(AudienceRole.FACULTY.label) in html


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        (datetime.timedelta(days=1), datetime.timedelta(days=5)),
        (-datetime.timedelta(days=5), -datetime.timedelta(days=1)),
    ],
    ids=["upcoming", "closed"],
)
def test_upcoming_and_closed_calls_show_no_form(student_client, calls, opens, closes):
    now = timezone.now()
    page = SurveyCampaignPageFactory(parent=calls, opens_at=now + opens, closes_at=now + closes)
    response = student_client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "survey-form" not in html
    assert "survey-notice" in html


def test_the_form_goes_where_the_body_places_it(student_client, calls):
    page = SurveyCampaignPageFactory(
        parent=calls,
        body=[
            ("paragraph", "<p>پیش از فرم</p>"),
            ("participation_form", {"heading": "اینجا پاسخ دهید", "intro": ""}),
            ("paragraph", "<p>پس از فرم</p>"),
        ],
    )
    html = student_client.get(page.url).content.decode()
    assert html.count('<form class="survey-form"') == 1
    assert html.index("پیش از فرم") < html.index("survey-form") < html.index("پس از فرم")
    assert "اینجا پاسخ دهید" in html


def test_the_page_shows_jalali_dates_and_a_results_link_when_public(client, calls):
    page = SurveyCampaignPageFactory(
        parent=calls,
        opens_at=datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.UTC),
        closes_at=timezone.now() + datetime.timedelta(days=3),
        results_visibility=ResultsVisibility.LIVE,
    )
    html = client.get(page.url).content.decode()
    assert "آذر ۱۴۰۵" in html
    assert f'href="{page.url}results/"' in html


# ---- POST ---------------------------------------------------------------------------


def test_a_response_is_stored_with_its_answers(student_client, survey, student):
    response = post_all(student_client, survey)
    assert response.status_code == 302
    assert "thanks=1" in response["Location"]
    submission = Submission.objects.get()
    assert submission.participant == student
    assert submission.call_key == survey.translation_key
    assert submission.language == "fa"
    assert submission.started_at is not None
    assert 250 <= submission.duration_seconds <= 400
    assert submission.answers.count() == ANSWER_ROWS
    assert submission.answers.get(question_id=Q["hours"]).number == 12
    assert submission.answers.get(question_id=Q["statements"], row_id=R["timing"]).number == 2
    assert submission.answers.get(question_id=Q["priorities"], choice_id=C["food"]).number == 1
    thanks = student_client.get(response["Location"]).content.decode()
    assert "survey-thanks" in thanks
    assert "?edit=1" in thanks


def test_a_double_post_stores_one_submission_and_shows_already_received(student_client, survey):
    post_all(student_client, survey)
    second = post_all(student_client, survey)
    assert second.status_code == 302
    assert "thanks" not in second["Location"]
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == ANSWER_ROWS
    html = student_client.get(second["Location"]).content.decode()
    assert "survey-form" not in html
    assert "?edit=1" in html


def test_editing_replaces_the_answers(student_client, survey):
    post_all(student_client, survey)
    html = student_client.get(survey.url + "?edit=1").content.decode()
    assert "علوم اجتماعی" in html  # the stored answer is shown
    response = post_all(
        student_client,
        survey,
        {name("major"): "فلسفه", name("hours"): "۳۰"},
        url=survey.url + "?edit=1",
    )
    assert response.status_code == 302
    assert "updated=1" in response["Location"]
    submission = Submission.objects.get()
    assert submission.answers.get(question_id=Q["major"]).text == "فلسفه"
    assert submission.answers.get(question_id=Q["hours"]).number == 30
    assert submission.answers.count() == ANSWER_ROWS


def test_editing_after_closing_changes_nothing(student_client, survey):
    post_all(student_client, survey)
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save_revision().publish()
    response = post_all(
        student_client, survey, {name("major"): "فلسفه"}, url=survey.url + "?edit=1"
    )
    assert response.status_code == 403
    assert Submission.objects.get().answers.get(question_id=Q["major"]).text == "علوم اجتماعی"


def test_anonymous_verified_calls_store_no_link_to_the_account(client, calls, student):
    """The edit secret is shown once and kept nowhere on the server; it opens the answers
    only through a POST body (never a URL, never the session)."""
    page = SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)
    client.force_login(student)
    response = post_all(client, page)
    # Sealed in the ballot box until its batch opens (here: the call's last, at closing).
    assert SealedBallot.objects.count() == 1 and not Submission.objects.exists()
    mixing.mix(page.call_key, closing=True)
    submission = Submission.objects.get()
    assert submission.participant is None
    assert submission.edit_token_hash
    assert ParticipationReceipt.objects.filter(participant=student).count() == 1
    cookie = response.cookies[SECRET_COOKIE]
    assert cookie["httponly"] and cookie["path"] == page.url and cookie["samesite"] == "Strict"
    secret = cookie.value
    assert hash_edit_token(secret) == submission.edit_token_hash
    assert secret not in response["Location"]
    assert not any(secret in str(value) for value in client.session.values())
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert secret in html and f"?edit=1#edit-secret={secret}" in html
    # Told that the answers wait sealed for a batch (of ten, in Persian digits).
    assert "مهروموم‌شده" in html and "دست‌کم ۱۰ پاسخ" in html
    assert "token=" not in html
    assert thanks.cookies[SECRET_COOKIE].value == ""  # deleted once shown
    again = client.get(response["Location"]).content.decode()
    assert secret not in again  # shown once
    # Back on the page: a way to enter the secret, not a link carrying it.
    html = client.get(page.url).content.decode()
    assert f'href="{page.url}?edit=1#participate"' in html
    form = client.get(page.url + "?edit=1").content.decode()
    assert 'name="edit_secret"' in form and "js/edit-secret.js" in form
    # The secret, posted, opens every question on one page with the stored answers.
    opened = client.post(page.url + "?edit=1", {"edit_secret": secret, "_action": "unlock"})
    html = opened.content.decode()
    assert f'name="{name("major")}"' in html and f'name="{name("interests")}"' in html
    assert f'value="{secret}"' in html and "no-store" in opened["Cache-Control"]
    response = post_all(
        client, page, {name("major"): "فلسفه"}, url=page.url + "?edit=1", edit_secret=secret
    )
    assert "updated=1" in response["Location"] and secret not in response["Location"]
    assert "حداکثر تا هنگام بسته‌شدن" in client.get(response["Location"]).content.decode()
    # The edit is sealed too: the stored response changes only when its batch opens, and
    # the secret opens the newest answers meanwhile.
    assert Submission.objects.get().answers.get(question_id=Q["major"]).text != "فلسفه"
    reopened = client.post(page.url + "?edit=1", {"edit_secret": secret, "_action": "unlock"})
    assert 'value="فلسفه"' in reopened.content.decode()
    mixing.mix(page.call_key, closing=True)
    assert Submission.objects.get().answers.get(question_id=Q["major"]).text == "فلسفه"
    assert Submission.objects.get().pk != submission.pk  # replaced, with a new random id
    # Without the secret, or with a wrong one, nothing opens or changes.
    other = Client()
    other.force_login(student)
    assert secret not in other.get(page.url).content.decode()
    wrong = post_all(
        other, page, {name("major"): "تاریخ"}, url=page.url + "?edit=1", edit_secret="x" * 32
    )
    assert wrong.status_code == 400
    post_all(other, page, {name("major"): "تاریخ"}, url=page.url + "?edit=1")
    assert Submission.objects.get().answers.get(question_id=Q["major"]).text == "فلسفه"
    # Another browser, same account, with the secret: the answers open.
    response = post_all(
        other, page, {name("major"): "تاریخ"}, url=page.url + "?edit=1", edit_secret=secret
    )
    assert "updated=1" in response["Location"]
    mixing.mix(page.call_key, closing=True)
    assert Submission.objects.get().answers.get(question_id=Q["major"]).text == "تاریخ"
    assert Submission.objects.count() == 1
    # A second new response is refused by the receipt.
    post_all(client, page)
    assert Submission.objects.count() == 1 and not SealedBallot.objects.exists()


# ---- bad input stores nothing -------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {name("attended"): "00000000-0000-4000-8000-000000000000"},
        {name("interests"): [C["theatre"], "forged"]},
        {name("priorities", C["food"]): "9"},
        {name("hours"): "۸۱"},
        {name("recommend"): "11"},
        {name("major"): "ب" * 51},
        {name("story"): "ب" * 501},
        {name("major"): ""},
        {name("consent"): ""},
        {"started_at": "forged"},
    ],
    ids=[
        "tampered-choice",
        "tampered-multiple",
        "rank-out-of-range",
        "number-out-of-range",
        "rating-out-of-range",
        "oversized-short-text",
        "oversized-long-text",
        "missing-required",
        "missing-consent",
        "tampered-start-time",
    ],
)
def test_bad_input_gets_an_error_and_stores_nothing(student_client, survey, changes):
    response = post_all(student_client, survey, changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="survey-errors"' in html
    # A forged start time is a form-wide error: no field is marked invalid.
    assert ('aria-invalid="true"' in html) is ("started_at" not in changes)
    assert_nothing_stored()


def test_the_error_summary_links_to_the_field(student_client, survey):
    html = post_all(student_client, survey, {name("hours"): "۸۱"}).content.decode()
    assert f'href="#id_{name("hours")}"' in html
    assert f'aria-describedby="{name("hours")}-error"' in html


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        (datetime.timedelta(days=1), datetime.timedelta(days=5)),
        (-datetime.timedelta(days=5), -datetime.timedelta(days=1)),
    ],
    ids=["upcoming", "closed"],
)
def test_posting_to_an_upcoming_or_closed_call_stores_nothing(student_client, calls, opens, closes):
    now = timezone.now()
    page = SurveyCampaignPageFactory(parent=calls, opens_at=now + opens, closes_at=now + closes)
    response = post_all(student_client, page)
    assert response.status_code == 403
    assert "survey-notice" in response.content.decode()
    assert_nothing_stored()


def test_an_ineligible_or_anonymous_post_stores_nothing(client, calls):
    page = SurveyCampaignPageFactory(parent=calls, audience=Audience.VERIFIED_ACADEMICS)
    assert post_all(client, page).status_code == 403
    client.force_login(UserFactory())
    assert post_all(client, page).status_code == 403
    assert_nothing_stored()


# ---- steps --------------------------------------------------------------------------


def test_steps_keep_answers_in_the_session(student_client, survey):
    answers = valid_answers()
    first = {
        k: v
        for k, v in answers.items()
        if k in {name("major"), name("attended"), name("story"), name("hours"), "started_at"}
    }
    response = student_client.post(survey.url, {**first, "_step": "0", "_action": "next"})
    assert response.status_code == 302
    assert "step=2" in response["Location"]
    html = student_client.get(survey.url + "?step=2").content.decode()
    assert 'value="2"' in html and f'name="{name("interests")}"' in html
    # Back keeps what was typed on step 2 and shows step 1 with its answers.
    response = student_client.post(
        survey.url,
        {
            name("recommend"): "7",
            "_step": "1",
            "_action": "back",
            "started_at": answers["started_at"],
        },
    )
    assert "step=1" in response["Location"]
    html = student_client.get(survey.url + "?step=1").content.decode()
    assert answers[name("major")] in html  # as typed (normalised only when stored)
    assert Submission.objects.count() == 0
    second = {k: v for k, v in answers.items() if k not in first}
    response = student_client.post(
        survey.url,
        {**second, "_step": "1", "_action": "submit", "started_at": answers["started_at"]},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Submission.objects.get().answers.count() == ANSWER_ROWS


def test_a_step_with_errors_is_shown_again(student_client, survey):
    response = student_client.post(
        survey.url,
        {
            name("hours"): "x",
            "_step": "0",
            "_action": "next",
            "started_at": valid_answers()["started_at"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="survey-errors"' in html
    assert '<input type="hidden" name="_step" value="0">' in html


def test_the_final_step_sends_you_back_to_an_earlier_step_with_errors(student_client, survey):
    answers = valid_answers()
    second = {
        k: v
        for k, v in answers.items()
        if k not in {name("major"), name("attended"), name("story"), name("hours")}
    }
    response = student_client.post(survey.url, {**second, "_step": "1", "_action": "submit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="hidden" name="_step" value="0">' in html
    assert f'name="{name("major")}"' in html
    assert_nothing_stored()


# ---- languages ----------------------------------------------------------------------


def test_the_fa_and_en_versions_share_one_submission_per_person(student_client, survey):
    english = Locale.objects.get_or_create(language_code="en")[0]
    en_page = survey.copy_for_translation(english, copy_parents=True)
    en_page.save_revision().publish()
    en_page.refresh_from_db()
    assert en_page.url.startswith("/en/")
    assert en_page.translation_key == survey.translation_key

    html = student_client.get(en_page.url).content.decode()
    assert "survey-form" in html
    response = post_all(student_client, en_page, url=en_page.url)
    assert response.status_code == 302
    assert Submission.objects.get().language == "en"

    html = student_client.get(survey.url).content.decode()
    assert "survey-form" not in html
    post_all(student_client, survey)
    assert Submission.objects.count() == 1
