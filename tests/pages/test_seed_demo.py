from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import override_settings
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site, Workflow, WorkflowPage

from pages import listing
from pages.demo_content import CALL_WORKFLOW_NAME
from pages.models import (
    CallIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    RegulationDraftPage,
    StandardPage,
    SurveyCampaignPage,
)
from participation.choices import Audience, CallState, Role
from participation.drafts.models import ClauseComment
from participation.ideas.models import Idea, ReviewAssignment
from participation.impact.models import Commitment
from participation.opinions import services as opinion_services
from participation.opinions.models import Statement, StatementVote
from participation.people.demo import EDITOR_EMAIL, demo_password
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.submissions.models import Answer, AnswerTally, Submission
from participation.surveys.demo import OPEN_SURVEY_SLUG, response_counts

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=StringIO())


def snapshot():
    """Everything the seed touches, in a form that shows any change."""
    User = get_user_model()
    return {
        "pages": sorted(Page.objects.values_list("id", "url_path", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "users": sorted(User.objects.values_list("email", "password", "role", "is_staff")),
        "sites": sorted(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
        "submissions": Submission.objects.count(),
        "ideas": sorted(Idea.objects.values_list("title", "status")),
        "reviews": ReviewAssignment.objects.count(),
        "answers": Answer.objects.count(),
        # Ids, not their sum: a closed anonymous call's tallies get random 62-bit ids when
        # mixed, whose sum overflows SQLite's integers.
        "tallies": (
            sorted(AnswerTally.objects.values_list("id", flat=True)),
            AnswerTally.objects.aggregate(total=Sum("count")),
        ),
        "workflows": sorted(Workflow.objects.values_list("name", flat=True)),
        "workflow_pages": sorted(WorkflowPage.objects.values_list("page_id", "workflow_id")),
        "statements": sorted(Statement.objects.values_list("text", "moderation_state")),
        "statement_votes": StatementVote.objects.count(),
        "commitments": sorted(Commitment.objects.values_list("title", "status", "progress")),
    }


def test_seed_builds_a_persian_site_with_editor_and_participants():
    seed()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.locale.language_code == "fa"
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()
    announcement = NewsPage.objects.get(slug="launch")
    assert announcement.live and announcement.url_path == home.url_path + "news/launch/"
    assert "وزارت علوم" in announcement.intro
    assert not StandardPage.objects.filter(slug="launch").exists()

    User = get_user_model()
    editor = User.objects.get(email=EDITOR_EMAIL)
    assert editor.has_perm("wagtailadmin.access_admin") and not editor.is_superuser
    roles = set(User.objects.exclude(role="").values_list("role", flat=True))
    assert roles == {Role.STUDENT, Role.FACULTY, Role.STAFF}


def test_seed_builds_the_sections_and_dated_news():
    seed()
    home = Site.objects.get(is_default_site=True).root_page.specific
    calls = CallIndexPage.objects.get(locale=home.locale)
    news = NewsIndexPage.objects.get(locale=home.locale)
    assert (calls.slug, calls.title, calls.get_parent().pk) == ("calls", "فراخوان‌ها", home.pk)
    assert (news.slug, news.title, news.get_parent().pk) == ("news", "اخبار", home.pk)
    items = NewsPage.objects.child_of(news).live().order_by("-published_on")
    assert items.count() == 3
    assert len({item.published_on for item in items}) == 3
    menu = home.get_children().live().in_menu().values_list("slug", flat=True)
    assert set(menu) == {"calls", "news", "about", "festival"}


def test_seed_translates_home_and_about_into_english():
    seed()
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=english)
    about = StandardPage.objects.get(locale=english, slug="about")
    assert home.live and about.live
    assert about.title == "About Hadaf"
    assert about.get_parent().pk == home.pk
    assert "you said, we did" in about.intro
    assert [block.block_type for block in about.body] == ["heading", "paragraph"]
    assert about.body[0].value["text"] == "Who takes part?"


def test_seed_moves_an_old_root_announcement_into_the_news(client):
    seed()
    home = Site.objects.get(is_default_site=True).root_page
    old = StandardPage(slug="launch", title="آغاز به کار سامانهٔ همیاری دانشگاهیان در فرهنگ")
    home.add_child(instance=old)
    seed()
    assert not StandardPage.objects.filter(slug="launch").exists()
    assert client.get("/news/launch/").status_code == 200


def open_survey():
    return SurveyCampaignPage.objects.get(slug=OPEN_SURVEY_SLUG, locale__language_code="fa")


def test_seed_adds_an_open_survey_with_every_question_type():
    seed()
    survey = open_survey()
    calls = CallIndexPage.objects.get(slug="calls", locale__language_code="fa")
    assert survey.live and survey.get_parent().pk == calls.pk
    assert survey.title == "سنجش نگرش دانشجویان به برنامه‌های فرهنگی دانشگاه"
    assert survey.call_state == CallState.OPEN
    assert survey.audience == Audience.SIGNED_IN and survey.results_published
    questionnaire = read_questions(survey.questions)
    questions = questionnaire.questions
    assert len(questions) >= 18
    assert {question.type for question in questions} == set(QuestionType.values)
    assert 2 <= questionnaire.step_count <= 3
    likerts = [question for question in questions if question.type == QuestionType.LIKERT]
    assert {len(question.scale) for question in likerts} == {5, 7}
    assert any(question.reverse_coded for question in likerts)
    codes = questionnaire.by_code()
    for question in questions:
        if question.condition:
            assert question.condition.question_code in codes
    assert any(question.condition for question in questions)
    # What the seed stores, an editor could have saved in the admin.
    QuestionStreamBlock().clean(survey.questions)


def test_seed_adds_a_closed_survey_with_its_outcome():
    seed()
    closed = (
        SurveyCampaignPage.objects.filter(locale__language_code="fa")
        .exclude(slug=OPEN_SURVEY_SLUG)
        .get()
    )
    assert closed.live and closed.call_state == CallState.OUTCOME_PUBLISHED
    assert "ما انجام دادیم" in closed.outcome


def test_seed_answers_the_open_survey_a_few_hundred_times_with_consistent_tallies():
    seed()
    survey = open_survey()
    submissions = Submission.objects.filter(call_key=survey.call_key)
    assert submissions.count() == response_counts()[0]
    roles = set(submissions.values_list("respondent_role", flat=True))
    assert roles == {Role.STUDENT, Role.FACULTY, Role.STAFF}
    total = AnswerTally.objects.get(
        call_key=survey.call_key, segment="", question_id="", row_id="", choice_id="", value=""
    )
    assert total.count == submissions.count()
    questionnaire = read_questions(survey.questions)
    by_id = questionnaire.by_id()
    answers = Answer.objects.filter(submission__call_key=survey.call_key)
    assert set(answers.values_list("question_id", flat=True)) == set(by_id)
    for question_id, choice_id in answers.exclude(choice_id="").values_list(
        "question_id", "choice_id"
    ):
        assert by_id[question_id].choice(choice_id) is not None
    # Responses are spread over the days since the survey opened.
    days = {moment.date() for moment in submissions.values_list("submitted_at", flat=True)}
    assert len(days) >= 5 and min(days) >= survey.opens_at.date()


def test_seed_gives_the_open_survey_a_statements_conversation(client):
    seed()
    survey = SurveyCampaignPage.objects.get(slug=OPEN_SURVEY_SLUG, locale__language_code="fa")
    assert opinion_services.statements_block(survey) is not None
    assert opinion_services.public_statements(survey.call_key).count() == 40
    voters = StatementVote.objects.values("participant").distinct().count()
    assert voters == response_counts()[0]
    assert StatementVote.objects.count() > voters * 20
    # The English translation shares the conversation and seeds nothing of its own.
    assert Statement.objects.count() == 40
    client.force_login(
        get_user_model().objects.get(
            pk=StatementVote.objects.values("participant")[0]["participant"]
        )
    )
    response = client.get(survey.url)
    assert response.status_code == 200
    assert 'id="statements"' in response.content.decode()


def test_seed_puts_calls_behind_the_approval_workflow():
    seed()
    calls = CallIndexPage.objects.get(slug="calls", locale__language_code="fa")
    assert open_survey().get_workflow().name == CALL_WORKFLOW_NAME
    assert calls.get_workflow().name == CALL_WORKFLOW_NAME


def test_running_the_seed_twice_changes_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


def test_demo_editor_can_sign_in_to_the_persian_admin(client):
    seed()
    assert client.login(username=EDITOR_EMAIL, password=demo_password())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_seeded_pages_are_served(client):
    seed()
    home = client.get("/")
    assert home.status_code == 200
    assert "آغاز به کار سامانهٔ همیاری دانشگاهیان در فرهنگ" in home.content.decode()
    assert client.get("/news/launch/").status_code == 200
    assert client.get("/launch/").status_code == 404


def test_english_home_and_about_are_served_left_to_right(client):
    seed()
    home = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in home
    assert "Academics&#x27; collaboration in culture" in home
    about = client.get("/about/").content.decode()
    assert 'href="/en/about/" lang="en" hreflang="en"' in about
    english_about = client.get("/en/about/").content.decode()
    assert '<html lang="en" dir="ltr">' in english_about
    assert "Who takes part?" in english_about
    assert 'href="/about/" lang="fa" hreflang="fa"' in english_about


@override_settings(DEBUG=False)
def test_seed_refuses_without_force_when_debug_is_off():
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(email=EDITOR_EMAIL).exists()


def test_home_page_shows_contributions_and_published_outcomes(client):
    seed()
    html = client.get("/").content.decode()
    assert 'id="latest-outcomes"' in html
    closed = SurveyCampaignPage.objects.get(slug="event-timing-survey", locale__language_code="fa")
    assert closed.url in html
    figures = listing.key_figures()
    published_comments = ClauseComment.objects.filter(moderation_state="published").count()
    assert published_comments > 0
    submitted_ideas = Idea.objects.exclude(status="draft").count()
    assert submitted_ideas > 0
    assert figures["contributions"] == (
        Submission.objects.count() + published_comments + submitted_ideas
    )


def test_the_demo_draft_is_in_its_second_round_with_decisions():
    from participation.drafts import outline
    from participation.drafts.models import ClauseDecision, DraftRound

    seed()
    draft = RegulationDraftPage.objects.get(
        slug="student-associations-bylaw", locale__language_code="fa"
    )
    articles = [p for p in outline.outline_of(draft.draft_text) if p.kind == "article"]
    assert len(articles) >= 20
    rounds = list(DraftRound.objects.filter(call_key=draft.call_key).order_by("number"))
    assert [(r.number, r.is_closed) for r in rounds] == [(1, True), (2, False)]
    assert rounds[0].text and rounds[0].text != outline.snapshot(draft.draft_text)
    round_one = ClauseComment.objects.filter(call_key=draft.call_key, round_number=1)
    assert round_one.filter(kind="reply").exists()
    assert round_one.filter(moderation_state="hidden").count() == 1
    assert round_one.filter(moderation_state="removed").count() == 1
    decided = set(
        ClauseDecision.objects.filter(call_key=draft.call_key, round_number=1).values_list(
            "clause_id", flat=True
        )
    )
    commented = set(
        round_one.filter(parent=None, moderation_state="published").values_list(
            "clause_id", flat=True
        )
    )
    assert decided == commented
    assert ClauseComment.objects.filter(call_key=draft.call_key, round_number=2).exists()
    # Round 2's stances feed the draft's published opinion map.
    from participation.opinions import maps

    published = maps.published(draft.call_key)
    assert published is not None and len(published.data["groups"]) >= 2
    assert {column["kind"] for column in published.data["columns"].values()} == {"clause"}


def test_the_demo_festival_call_is_juried_and_its_winners_are_on_the_festival_page(client):
    from pages.models import FestivalPage, IdeaCallPage
    from participation.ideas import jury
    from participation.ideas.models import IdeaEvent
    from participation.people.models import Organization

    seed()
    call = IdeaCallPage.objects.get(slug="cultural-ideas-festival-1405", locale__language_code="fa")
    ideas = Idea.objects.filter(call_key=call.call_key)
    statuses = Counter(ideas.values_list("status", flat=True))
    assert statuses["draft"] == 2 and statuses["ineligible"] == 1
    assert statuses["winner"] == 3 and statuses["mention"] == 2
    assert ideas.filter(organization__in=Organization.objects.filter(verified_at__isnull=False))
    # Every submission in review has its three reviews, none by a conflicted juror.
    reviewed = ideas.exclude(status__in=["draft", "submitted", "ineligible"])
    for idea in reviewed:
        reviews = list(idea.reviews.select_related("reviewer"))
        assert len(reviews) == 3
        assert all(not jury.conflicts_of_interest(idea, r.reviewer) for r in reviews)
    # The winners are the top of the ranking, and every step was logged.
    ranking = jury.ranking(call)
    top = {row.idea_id for row in ranking[:3]}
    assert top == set(ideas.filter(status="winner").values_list("pk", flat=True))
    assert IdeaEvent.objects.filter(idea__in=reviewed, to_status="in_review").count() == len(
        reviewed
    )
    festival = FestivalPage.objects.get(slug="festival", locale__language_code="fa")
    html = client.get(festival.url).content.decode()
    for idea in ideas.filter(status__in=["winner", "mention"]):
        assert idea.title in html
    gallery = client.get(call.url + "gallery/").content.decode()
    shown = ideas.filter(status__in=["shortlisted", "winner", "mention"], show_in_gallery=True)
    assert shown and all(idea.title in gallery for idea in shown)


def test_the_festival_winners_hold_awards_and_certificates():
    from participation.incentives.models import Award, Certificate

    seed()
    winners = Idea.objects.filter(status="winner")
    prizes = Award.objects.filter(kind="prize")
    assert prizes.count() == sum(idea.authors.filter(status="accepted").count() for idea in winners)
    assert Certificate.objects.filter(award__in=prizes).count() == prizes.count()
    before = Award.objects.count()
    seed()
    assert Award.objects.count() == before  # the replay awards nothing twice
