"""The read API's call pages: kind, state, dates, audience, form schema, outcome, translations,
published aggregates, the ``state`` filter, and what it never shows."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from participation.choices import CallState, ResultsVisibility
from participation.drafts import services as draft_services
from participation.drafts.choices import DecisionOutcome, ModerationState
from participation.drafts.models import ClauseComment
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import Idea, IdeaAuthor
from participation.questions.choices import QuestionType
from participation.results import aggregates
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, CLAUSE_B, add_draft, comment_on
from tests.participation.ideas.factories import THEME_CULTURE, add_idea_call
from tests.people.factories import EditorFactory, UserFactory

from .query_fixtures import add_calls, add_responses, add_survey

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def detail(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def listing(client, query):
    response = client.get(f"/api/v2/pages/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def close_with_outcome(page, outcome="<p>پیشنهادها اعمال شد.</p>"):
    """Move ``page`` into the past and publish its outcome, as an editor would."""
    now = timezone.now()
    page.opens_at, page.closes_at = now - 20 * DAY, now - 5 * DAY
    page.outcome, page.outcome_published_at = outcome, now - DAY
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- Call fields ---------------------------------------------------------------------------


def test_survey_fields(client, calls):
    opens_at = datetime.datetime(2026, 11, 24, 11, 0, tzinfo=datetime.UTC)  # 14:30 in Tehran
    survey = add_survey(
        calls,
        "fields",
        questions=11,
        opens_at=opens_at,
        closes_at=opens_at + 3650 * DAY,
        audience="roles",
        audience_roles=["student", "faculty"],
    )
    data = detail(client, survey)

    assert data["kind"] == "survey" and data["state"] == CallState.OPEN
    assert data["state_label"] == "باز"
    assert data["opens_at"] == "2026-11-24T14:30:00+03:30"
    assert data["opens_at_jalali"] == "۱۴۰۵/۰۹/۰۳ ۱۴:۳۰"
    assert data["audience"]["value"] == "roles"
    assert data["audience"]["roles"] == ["student", "faculty"]
    assert data["audience"]["description"]
    assert data["outcome"] is None

    questions = data["form"]["questions"]
    by_type = {question["type"]: question for question in questions}
    assert [question["id"] for question in questions] == [
        child.id for child in survey.questions if child.block_type != "step"
    ]
    assert len(by_type[QuestionType.SINGLE_CHOICE]["choices"]) == 3
    assert by_type[QuestionType.NUMBER]["validation"] == {"min_value": 0, "max_value": 80}
    assert by_type[QuestionType.SHORT_TEXT]["validation"] == {"max_length": 200}
    assert len(by_type[QuestionType.MATRIX]["rows"]) == 2
    assert [point["value"] for point in by_type[QuestionType.LIKERT]["scale"]] == [1, 2, 3, 4, 5]
    # The seeded condition was typed as a label; the API gives the choice's id to match.
    chosen = by_type[QuestionType.SINGLE_CHOICE]
    assert by_type[QuestionType.LIKERT]["show_if"] == {
        "question_id": chosen["id"],
        "question_code": "q0",
        "answers": [next(c["id"] for c in chosen["choices"] if c["label"] == "گزینهٔ ۱")],
        "labels": ["گزینهٔ ۱"],
    }


def test_outcome_and_draft_form(client, calls):
    draft = close_with_outcome(add_draft(calls))
    data = detail(client, draft)
    assert data["state"] == CallState.OUTCOME_PUBLISHED
    assert data["outcome"]["html"] == "<p>پیشنهادها اعمال شد.</p>"
    assert data["outcome"]["published_at_jalali"]
    clause_ids = [clause["id"] for clause in data["form"]["clauses"]]
    assert CLAUSE_A in clause_ids and CLAUSE_B in clause_ids
    assert {stance["value"] for stance in data["form"]["stances"]} == {
        "agree",
        "oppose",
        "amend",
        "delete",
    }


def test_idea_call_form(client, calls):
    idea_call = add_idea_call(calls, accepts_experiences=False)
    form = detail(client, idea_call)["form"]
    assert [kind["value"] for kind in form["submission_kinds"]] == ["idea"]
    assert THEME_CULTURE in [theme["id"] for theme in form["themes"]]
    assert form["attachments"] == {"max_files": 5, "max_megabytes": 10}
    assert form["questions"][0]["validation"] == {"max_length": 200}


# --- The state filter ----------------------------------------------------------------------


def test_state_filter(client, calls):
    pages = [page.specific for page in add_calls(calls, 8)]  # two calls in each state
    for state in CallState.values:
        expected = {page.pk for page in pages if page.call_state == state}
        items = listing(client, f"?state={state}")["items"]
        assert len(expected) == 2 and {item["id"] for item in items} == expected
    mixed = listing(client, "?state=closed,outcome")
    assert mixed["meta"]["total_count"] == 4
    open_surveys = listing(client, "?type=pages.SurveyCampaignPage&state=open&fields=state")
    assert [item["state"] for item in open_surveys["items"]] == ["open", "open"]
    assert listing(client, "?type=pages.StandardPage&state=open")["meta"]["total_count"] == 0


def test_state_filter_with_search(client, calls):
    pages = [page.specific for page in add_calls(calls, 8)]
    expected = {page.pk for page in pages if page.call_state == CallState.OPEN}
    for query in (
        "?search=فراخوان&state=open",
        "?type=pages.SurveyCampaignPage&search=فراخوان&state=open",
    ):
        items = listing(client, query)["items"]
        assert {item["id"] for item in items} == expected


def test_state_field_follows_the_lifecycle(client, calls):
    pages = add_calls(calls, 8)
    listed = listing(client, "?type=pages.RegulationDraftPage&fields=state&limit=50")["items"]
    expected = {page.pk: page.specific.call_state for page in pages}
    assert len(listed) == 4
    assert all(item["state"] == expected[item["id"]] for item in listed)


# --- Translations --------------------------------------------------------------------------


def test_translations_link_each_other(client, home_page, calls):
    survey = add_survey(calls, "translated", questions=2)
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = survey.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()

    persian = detail(client, survey)["meta"]["translations"]
    assert [(item["id"], item["locale"]) for item in persian] == [(translated.pk, "en")]
    assert persian[0]["detail_url"].endswith(f"/api/v2/pages/{translated.pk}/")
    assert detail(client, translated)["meta"]["translations"][0]["id"] == survey.pk
    english_only = listing(client, "?type=pages.SurveyCampaignPage&locale=en")["items"]
    assert [item["id"] for item in english_only] == [translated.pk]
    of_survey = listing(client, f"?translation_of={survey.pk}")["items"]
    assert [item["id"] for item in of_survey] == [translated.pk]


# --- Survey results ------------------------------------------------------------------------


def test_survey_results_match_the_public_page(client, calls):
    survey = add_survey(calls, "results", questions=11)
    add_responses(survey, 7)
    results = detail(client, survey)["results"]

    public = aggregates.survey_results(survey, public=True)
    assert results["responses"] == 7 and not results["withheld"]
    for shown, expected in zip(results["questions"], public.questions, strict=True):
        assert shown["respondents"] == expected.respondents
        assert [cell["count"] for cell in shown["choices"]] == [
            cell.count for cell in expected.choices
        ]
        assert [cell["suppressed"] for cell in shown["distribution"]] == [
            cell.suppressed for cell in expected.distribution
        ]
    # Every count shown is 0 or at least the threshold.
    cells = [cell for question in results["questions"] for cell in question["choices"]]
    assert all(cell["count"] in (None, 0) or cell["count"] >= 5 for cell in cells)
    assert any(cell["suppressed"] for cell in cells)


def test_no_individual_answer_is_ever_shown(client, calls):
    survey = add_survey(calls, "texts", questions=11)
    add_responses(survey, 6)
    body = client.get(f"/api/v2/pages/{survey.pk}/").content.decode()
    assert "پاسخ 1" not in body and "respondent-" not in body


def test_few_responses_are_withheld(client, calls):
    survey = add_survey(calls, "few", questions=3)
    add_responses(survey, 3)
    results = detail(client, survey)["results"]
    assert results["withheld"] and results["questions"] == [] and results["responses"] is None


def test_results_only_once_published(client, calls):
    unpublished = add_survey(calls, "unpublished-results", questions=3, results_published=False)
    never = add_survey(calls, "never", questions=3, results_visibility=ResultsVisibility.NEVER)
    add_responses(unpublished, 6)
    assert detail(client, unpublished)["results"] is None
    assert detail(client, never)["results"] is None


def test_no_draft_or_private_page(client, calls):
    survey = add_survey(calls, "private", questions=3)
    PageViewRestriction.objects.create(page=survey, restriction_type="login")
    unpublished = add_survey(calls, "withdrawn", questions=3)
    unpublished.unpublish()
    for page in (survey, unpublished):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert listing(client, "?type=pages.SurveyCampaignPage")["meta"]["total_count"] == 0


# --- Draft discussion ----------------------------------------------------------------------


def test_draft_discussion_counts_published_comments_only(client, calls):
    draft = add_draft(calls)
    comment_on(draft, UserFactory(role="student"))
    comment_on(draft, UserFactory(role="staff"), body="نظری که پنهان شد")
    ClauseComment.objects.filter(body="نظری که پنهان شد").update(
        moderation_state=ModerationState.HIDDEN
    )
    response = client.get(f"/api/v2/pages/{draft.pk}/")
    discussion = response.json()["discussion"]
    clause = next(item for item in discussion["clauses"] if item["id"] == CLAUSE_A)
    assert clause["comments"] == 1 and clause["stances"]["oppose"] == 1
    assert discussion["contributions"] == 1
    text = response.content.decode()
    assert "نظری که پنهان شد" not in text and "دلیل مخالفت" not in text


def test_draft_decisions_once_public(client, calls):
    draft = add_draft(calls)
    comment_on(draft, UserFactory(role="student"))
    draft_services.record_decision(
        draft,
        EditorFactory(),
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.PARTLY_ACCEPTED,
        reason="بخشی از پیشنهاد پذیرفته شد.",
    )
    before = detail(client, draft)["discussion"]
    assert not before["decisions_public"]
    assert all(clause["decision"] is None for clause in before["clauses"])

    after = detail(client, close_with_outcome(draft))["discussion"]
    decided = next(item for item in after["clauses"] if item["id"] == CLAUSE_A)
    assert decided["decision"]["outcome"] == DecisionOutcome.PARTLY_ACCEPTED
    assert decided["decision"]["reason"] == "بخشی از پیشنهاد پذیرفته شد."


# --- Idea awards ---------------------------------------------------------------------------


def add_idea(call, title, status, person=None):
    idea = Idea.objects.create(
        call=call,
        call_key=call.call_key,
        language="fa",
        kind="idea",
        category=THEME_CULTURE,
        title=title,
        summary=f"خلاصهٔ {title}",
        body="متن کامل و محرمانه",
        status=status,
    )
    if person is not None:
        IdeaAuthor.objects.create(
            idea=idea, person=person, email=person.email, is_lead=True, status="accepted"
        )
    return idea


def test_awards_once_the_outcome_is_published(client, calls):
    call = add_idea_call(calls, anonymity="named")
    author = UserFactory(role="faculty", first_name="مریم", last_name="احمدی")
    add_idea(call, "ایدهٔ برگزیده", IdeaStatus.WINNER, author)
    add_idea(call, "ایدهٔ شایستهٔ تقدیر", IdeaStatus.HONOURABLE_MENTION)
    add_idea(call, "ایدهٔ راه‌نیافته", IdeaStatus.NOT_SELECTED)
    add_idea(call, "ایدهٔ پیش‌نویس", IdeaStatus.DRAFT)
    assert detail(client, call)["awards"] is None

    response = client.get(f"/api/v2/pages/{close_with_outcome(call).pk}/")
    awards = response.json()["awards"]
    assert [award["title"] for award in awards] == ["ایدهٔ برگزیده", "ایدهٔ شایستهٔ تقدیر"]
    assert awards[0]["status"] == IdeaStatus.WINNER
    assert awards[0]["authors"][0]["name"] == author.get_full_name()
    assert awards[0]["theme"]["id"] == THEME_CULTURE
    text = response.content.decode()
    assert "راه‌نیافته" not in text and "پیش‌نویس" not in text
    assert "متن کامل و محرمانه" not in text and author.email not in text


def test_awards_of_an_anonymous_call_name_nobody(client, calls):
    call = add_idea_call(calls, anonymity="pseudonymous")
    author = UserFactory(role="faculty", first_name="مریم", last_name="احمدی")
    add_idea(call, "ایدهٔ برگزیده", IdeaStatus.WINNER, author)
    response = client.get(f"/api/v2/pages/{close_with_outcome(call).pk}/")
    assert response.json()["awards"][0]["authors"] == []
    assert "احمدی" not in response.content.decode()


def test_listing_shows_every_call_field(client, calls):
    """Aggregates in a listing equal those of each page's own detail."""
    for number in range(3):
        survey = add_survey(calls, f"listed-{number}", questions=4)
        add_responses(survey, 5 + number)
    items = listing(client, "?type=pages.SurveyCampaignPage&fields=*")["items"]
    assert len(items) == 3
    for item in items:
        expected = client.get(f"/api/v2/pages/{item['id']}/").json()
        assert item["results"] == expected["results"]
        assert item["form"] == expected["form"]
