"""Listing call pages through the read API with every field costs a number of queries that does
not depend on how many calls, responses, comments, awarded ideas or translations exist.

Each guard measures a small world and a large one (50 calls listed of 55+), the second of
two identical requests, as in ``test_query_counts.py``.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from participation.drafts import services as draft_services
from participation.drafts.choices import DecisionOutcome
from participation.ideas.choices import IdeaStatus
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.participation.ideas.factories import add_idea_call
from tests.people.factories import EditorFactory, UserFactory

from .query_fixtures import add_responses, add_survey, assert_same_queries, measure
from .test_api_calls import add_idea

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LARGE = 55


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def listed_fifty(client, url):
    measured = measure(client, url)
    data = measured.response.json()
    assert len(data["items"]) == min(50, data["meta"]["total_count"])
    return measured


def closed_with_outcome():
    now = timezone.now()
    return {
        "opens_at": now - 20 * DAY,
        "closes_at": now - 5 * DAY,
        "outcome": "<p>انجام شد.</p>",
        "outcome_published_at": now - DAY,
    }


def translate(page):
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()


def test_survey_listing(client, calls):
    url = "/api/v2/pages/?type=pages.SurveyCampaignPage&fields=*&limit=50"

    def add(number):
        survey = add_survey(calls, f"survey-{number}", questions=6)
        if number % 10 == 0:
            add_responses(survey, 6, start=number * 10)
            translate(survey)
        return survey

    for number in range(3):
        add(number)
    small = listed_fifty(client, url)
    for number in range(3, LARGE):
        add(number)
    large = listed_fifty(client, url)
    items = large.response.json()["items"]
    assert any(item["results"] and item["results"]["questions"] for item in items)
    assert any(item["meta"]["translations"] for item in items)
    assert_same_queries("API surveys, fields=*", "visitor", small, large)


def test_draft_listing(client, calls):
    url = "/api/v2/pages/?type=pages.RegulationDraftPage&fields=*&limit=50"
    editor = EditorFactory()

    def add(number):
        draft = add_draft(calls, slug=f"draft-{number}")
        if number % 5 == 0:
            comment_on(draft, UserFactory(role="student"))
            draft_services.record_decision(
                draft,
                editor,
                round_number=1,
                clause_id=CLAUSE_A,
                outcome=DecisionOutcome.ACCEPTED,
                reason="پذیرفته شد.",
            )
            draft_services.start_new_round(draft, editor)
            comment_on(draft, UserFactory(role="staff"))  # in round 2

    for number in range(3):
        add(number)
    small = listed_fifty(client, url)
    for number in range(3, LARGE):
        add(number)
    large = listed_fifty(client, url)
    assert any(item["discussion"]["contributions"] for item in large.response.json()["items"])
    assert_same_queries("API drafts, fields=*", "visitor", small, large)


def test_idea_call_listing(client, calls):
    url = "/api/v2/pages/?type=pages.IdeaCallPage&fields=*&limit=50"
    author = UserFactory(role="faculty", first_name="مریم", last_name="احمدی")

    def add(number):
        call = add_idea_call(
            calls, slug=f"ideas-{number}", anonymity="named", **closed_with_outcome()
        )
        if number % 4 == 0:
            add_idea(call, f"ایدهٔ {number}", IdeaStatus.WINNER, author)
            add_idea(call, f"ایدهٔ دوم {number}", IdeaStatus.HONOURABLE_MENTION, author)

    for number in range(3):
        add(number)
    small = listed_fifty(client, url)
    for number in range(3, LARGE):
        add(number)
    large = listed_fifty(client, url)
    assert sum(len(item["awards"]) for item in large.response.json()["items"]) > 6
    assert_same_queries("API idea calls, fields=*", "visitor", small, large)


def test_state_filtered_listing_of_all_types(client, calls):
    url = "/api/v2/pages/?state=open,outcome&fields=*&limit=50"
    for number in range(3):
        add_survey(calls, f"open-{number}", questions=3)
    small = listed_fifty(client, url)
    for number in range(3, LARGE):
        add_survey(calls, f"open-{number}", questions=3)
    large = listed_fifty(client, url)
    assert_same_queries("API ?state=, every type", "visitor", small, large)
