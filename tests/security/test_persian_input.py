"""Persian text edge cases over HTTP: validated or normalised, never a 500 (item 9).

Run on SQLite and on PostgreSQL (which refuses NUL in text and non-finite numbers in some
columns): every case posts the real form and checks the answer (a form error, or a
stored, normalised value) and that nothing half-written is left behind.
"""

import pytest
from django.test import Client

from participation.drafts.models import ClauseComment
from participation.ideas.models import Idea
from participation.submissions.models import Answer, Submission
from tests.participation.drafts.factories import CLAUSE_A, add_draft
from tests.participation.factories import Q, SurveyCampaignPageFactory, valid_answers
from tests.participation.ideas.factories import QUESTION_TEAM, THEME_CULTURE, add_idea_call
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "ب" * 100_000
BIDI = "\u202eعلی\u202c\u2066رضا\u2069\u200f"
EDGE_TEXTS = {
    "100k-characters": HUGE,
    "nul-byte": "علی\x00رضا",
    "bidi-controls": BIDI,
    "emoji": "👩🏽‍🎓🇮🇷 عالی بود ❤️",
    "zwnj": "می‌روم و کتاب‌ها",
    "arabic-letters": "كتاب يادگيري",
    "persian-digits": "۱۲۳۴ ٤٥٦",
    "replacement-char": "\ufffd\ufffd",
}


@pytest.fixture
def student_client(client):
    client.force_login(UserFactory(role="student"))
    return client


@pytest.fixture
def survey(home_page):
    return SurveyCampaignPageFactory(parent=home_page, slug="edge-survey")


def post_survey(client, page, **changes):
    data = {**valid_answers(), "_step": "1", "_action": "submit"}
    data.update(changes)
    return client.post(page.url, data)


@pytest.mark.parametrize("text", EDGE_TEXTS.values(), ids=EDGE_TEXTS.keys())
@pytest.mark.parametrize("question", ["major", "story"], ids=["short-text", "long-text"])
def test_survey_text_answers(student_client, survey, text, question):
    response = post_survey(student_client, survey, **{f"q_{Q[question]}": text})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # Refused: the error is on the page, nothing stored.
        assert (
            'aria-invalid="true"' in response.content.decode()
            or "error" in response.content.decode()
        )
        assert not Submission.objects.exists() and not Answer.objects.exists()
        return
    stored = Answer.objects.get(question_id=Q[question]).text
    assert "\x00" not in stored and "ي" not in stored and "ك" not in stored
    assert len(stored) <= 500


def test_the_100k_answer_and_the_nul_byte_are_refused_with_a_clear_error(student_client, survey):
    for text in (HUGE, "علی\x00رضا"):
        response = post_survey(student_client, survey, **{f"q_{Q['major']}": text})
        assert response.status_code == 200
        assert not Submission.objects.exists()


NUMBERS = [
    pytest.param("1e400", id="1e400"),
    pytest.param("-1e400", id="-1e400"),
    pytest.param("9" * 100_000, id="100k-nines"),
    pytest.param("۱٫۵e۹۹۹۹", id="persian-1.5e9999"),
    pytest.param("NaN", id="nan"),
    pytest.param("Infinity", id="infinity"),
    pytest.param("١٢", id="arabic-indic-12"),
    pytest.param("\x00", id="nul"),
    pytest.param("۱۲", id="persian-12"),
]


@pytest.mark.parametrize("text", NUMBERS)
def test_extreme_numbers_are_refused_or_stored_finite(student_client, home_page, text):
    from tests.participation.factories import question_stream

    stream = question_stream()
    for block in stream:
        if block["type"] == "number":
            block["value"].update(min_value=None, max_value=None, whole_numbers=False)
    page = SurveyCampaignPageFactory(parent=home_page, slug="numbers", questions=stream)
    response = post_survey(student_client, page, **{f"q_{Q['hours']}": text})
    assert response.status_code in (200, 302)
    for answer in Answer.objects.filter(question_id=Q["hours"]):
        assert answer.number is not None and abs(answer.number) < float("inf")


@pytest.mark.parametrize("text", EDGE_TEXTS.values(), ids=EDGE_TEXTS.keys())
def test_draft_comments(client, home_page, text):
    draft = add_draft(home_page, slug="edge-draft")
    client.force_login(UserFactory(role="faculty"))
    response = client.post(
        f"{draft.url}clause/{CLAUSE_A}/", {"kind": "clause", "stance": "oppose", "body": text}
    )
    assert response.status_code in (200, 302)
    for comment in ClauseComment.objects.all():
        assert "\x00" not in comment.body and len(comment.body) < 100_000


@pytest.mark.parametrize("text", EDGE_TEXTS.values(), ids=EDGE_TEXTS.keys())
def test_idea_titles(client, home_page, text):
    page = add_idea_call(home_page, slug="edge-ideas")
    client.force_login(UserFactory(role="faculty"))
    data = {
        "kind": "idea",
        "category": THEME_CULTURE,
        "title": text,
        "summary": text,
        "body": "",
        f"q_{QUESTION_TEAM}": text,
    }
    response = client.post(page.url + "new/", data)
    assert response.status_code in (200, 302)
    for idea in Idea.objects.all():
        assert "\x00" not in idea.title and len(idea.title) <= 200
        assert "ي" not in idea.title and "ك" not in idea.title


@pytest.mark.parametrize("text", EDGE_TEXTS.values(), ids=EDGE_TEXTS.keys())
def test_profile_names_are_normalised_or_refused(client, home_page, text):
    user = UserFactory(role="student")
    client.force_login(user)
    data = {"first_name": text, "last_name": "مرادی", "role": "student", "university": ""}
    response = client.post("/accounts/profile/", data)
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    for bad in ("\u202e", "\u2066", "\u200f", "\x00", "ي", "ك"):
        assert bad not in user.first_name
    assert len(user.first_name) <= 150


@pytest.mark.parametrize("text", EDGE_TEXTS.values(), ids=EDGE_TEXTS.keys())
def test_search(client, home_page, text):
    assert client.get("/search/", {"q": text}).status_code == 200


def test_invalid_utf8_and_encoded_surrogates_never_reach_a_500(student_client, survey):
    """Bytes that are not UTF-8 (or a UTF-8-encoded surrogate) arrive as U+FFFD."""
    field = f"q_{Q['major']}".encode()
    for raw in (b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf"):
        body = b"&".join([field + b"=" + raw, b"_step=1", b"_action=submit"])
        response = student_client.generic(
            "POST", survey.url, body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 302, 400)


def test_an_anonymous_client_posting_edge_text_gets_no_500(home_page, survey):
    response = Client().post(survey.url, {f"q_{Q['major']}": HUGE})
    assert response.status_code in (200, 302, 403)
