"""The personal dashboard: every kind of contribution, only mine, in bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.choices import IncentiveKind
from participation.drafts import services as drafts
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from participation.incentives import services as incentives
from tests.participation.drafts.factories import ARTICLE_2, CLAUSE_A, CLAUSE_B, NOTE_2A
from tests.participation.factories import SurveyCampaignPageFactory

from .conftest import SECRET_ANSWER, add_idea_call, comment_on, respond, submitted_idea

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


def page_text(response):
    return response.content.decode()


def test_sign_in_required(client):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302
    assert "login" in response.url or "accounts" in response.url


def test_lists_each_kind_with_its_status_and_outcome(
    client, survey, anonymous_survey, draft, idea_call, person, editor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    respond(survey, person)
    respond(anonymous_survey, person, text=SECRET_ANSWER)
    comment_on(draft, person, clause_id=CLAUSE_A)
    comment_on(draft, person, clause_id=CLAUSE_B)
    drafts.record_decision(
        draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason="دلیل روشن"
    )
    idea = submitted_idea(idea_call, person)
    workflow.move(idea, IdeaStatus.INELIGIBLE, actor=editor, reason="خارج از موضوع فراخوان")
    client.force_login(person)

    html = page_text(client.get(reverse("dashboard:index")))
    assert survey.title in html and anonymous_survey.title in html
    assert draft.title in html and idea.title in html
    assert reverse("ideas:detail", args=[idea.uuid]) in html
    assert "خارج از موضوع فراخوان" in html  # the idea's status reason
    # Decisions stay hidden while the round is open.
    assert "دلیل روشن" not in html

    with django_capture_on_commit_callbacks(execute=True):
        drafts.start_new_round(draft, editor)
    html = page_text(client.get(reverse("dashboard:index")))
    assert "دلیل روشن" in html
    assert "بند الف" in html and "بند ب" in html


def test_anonymous_answers_are_never_shown(client, anonymous_survey, person):
    respond(anonymous_survey, person, text=SECRET_ANSWER)
    client.force_login(person)
    response = client.get(reverse("dashboard:index") + "?kind=survey")
    html = page_text(response)
    assert anonymous_survey.title in html
    assert SECRET_ANSWER not in html
    rows = response.context["contributions"]
    assert len(rows) == 1 and rows[0].extra == {"anonymous": True}


def test_another_persons_contributions_are_not_shown(
    client, survey, draft, idea_call, person, student
):
    respond(survey, student)
    comment_on(draft, student, body="نظر دانشجو")
    idea = submitted_idea(idea_call, student, title="ایدهٔ دیگری")
    client.force_login(person)
    response = client.get(reverse("dashboard:index"))
    assert response.context["contributions"] == []
    html = page_text(response)
    assert idea.title not in html and survey.title not in html


def test_filter_by_kind(client, survey, draft, person):
    respond(survey, person)
    comment_on(draft, person)
    client.force_login(person)
    rows = client.get(reverse("dashboard:index") + "?kind=comment").context["contributions"]
    assert [row.kind for row in rows] == ["comment"]
    rows = client.get(reverse("dashboard:index") + "?kind=nonsense").context["contributions"]
    assert {row.kind for row in rows} == {"comment", "survey"}


def test_awards_and_certificates_are_listed(client, survey, person):
    award = incentives.award(
        person, IncentiveKind.CERTIFICATE, call_page=survey, reason="مشارکت", source="manual:1"
    )
    certificate = incentives.issue_certificate(award)
    incentives.award(
        person, IncentiveKind.PROMOTION_POINTS, reason="امتیاز", source="manual:2", points="2.5"
    )
    client.force_login(person)
    html = page_text(client.get(reverse("dashboard:index")))
    assert "مشارکت" in html and "امتیاز" in html
    assert "۲٫۵" in html
    assert reverse("incentives:verify", args=[certificate.display_code]) in html


def contribute(index, calls, draft, idea_call, person, editor):
    """One more contribution of each kind, in new calls where needed."""
    survey = SurveyCampaignPageFactory(parent=calls, slug=f"grow-{index}")
    anonymous = SurveyCampaignPageFactory(
        parent=calls, slug=f"grow-anon-{index}", anonymity="anonymous"
    )
    respond(survey, person)
    respond(anonymous, person)
    comment_on(draft, person, clause_id=[CLAUSE_A, CLAUSE_B, ARTICLE_2, NOTE_2A][index])
    drafts.record_decision(
        draft,
        editor,
        round_number=1,
        clause_id=[CLAUSE_A, CLAUSE_B, ARTICLE_2, NOTE_2A][index],
        outcome="rejected",
        reason="دلیل",
    )
    other_call = add_idea_call(calls, slug=f"grow-ideas-{index}")
    submitted_idea(other_call, person)
    incentives.issue_certificate(
        incentives.award(
            person, IncentiveKind.CERTIFICATE, reason="گواهی", source=f"manual:{index}"
        )
    )


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_contributions(
    client, calls, draft, idea_call, person, editor
):
    client.force_login(person)
    contribute(0, calls, draft, idea_call, person, editor)
    client.get(reverse("dashboard:index"))  # warm the site-root cache
    few = count_queries(client)
    for index in (1, 2, 3):
        contribute(index, calls, draft, idea_call, person, editor)
    assert count_queries(client) == few
    # 20 for the contributions, notifications and awards; 13 for "my impact" (the person's
    # contributions by kind 4, the public commitments citing them 2, the calls they took
    # part in 3, those calls' pages 3, their "did we hear you?" answers 1).
    assert few <= 33
