"""The jurors' pages through the test client: what a juror sees, scoring, recusal, refusals."""

import logging

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from participation.ideas import workflow
from participation.ideas.choices import AssignmentStatus, CoAuthorStatus, IdeaKind, IdeaStatus
from participation.ideas.models import (
    CriterionScore,
    Idea,
    IdeaAnswer,
    IdeaAttachment,
    IdeaAuthor,
    ReviewAssignment,
)
from tests.people.factories import UserFactory

from .factories import (
    CRITERION_FEASIBILITY,
    CRITERION_IMPACT,
    CRITERION_NOVELTY,
    QUESTION_TEAM,
    THEME_MEDIA,
    add_idea_call,
)

pytestmark = pytest.mark.django_db

ORGANIZATION_NAME = "کانون فیلم دانشگاه تهران"  # the conftest organization


def fa(msgid, **params):
    """The Persian page's rendering of a message (its msgid in English)."""
    with translation.override("fa"):
        text = gettext(msgid)
        return escape(text % params if params else text)


def score_field(criterion_id):
    return f"score-{criterion_id}"


def valid_scores(**overrides):
    data = {
        "action": "score",
        score_field(CRITERION_NOVELTY): "۸",  # Persian digits, as a Persian keyboard types
        score_field(CRITERION_IMPACT): "6",
        score_field(CRITERION_FEASIBILITY): "۴",
        "comment": "طرح روشن و اجراپذیری است.",
    }
    data.update(overrides)
    return data


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def security_records(caplog):
    return [record for record in caplog.records if record.name == "hadaf.security"]


def make_submission(page, author, organization=None):
    """A submission in jury review with an answer and a file whose name gives the author away."""
    idea = Idea.objects.create(
        call=page,
        call_key=page.call_key,
        language="fa",
        kind=IdeaKind.EXPERIENCE,
        category=THEME_MEDIA,
        title="کارگاه فیلم کوتاه در خوابگاه",
        summary="خلاصهٔ تجربهٔ برگزاری کارگاه فیلم کوتاه.",
        body="شرح کامل کارگاه و نتایج آن.",
        created_by=author,
        organization=organization,
        status=IdeaStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    IdeaAuthor.objects.create(
        idea=idea, person=author, email=author.email, is_lead=True, status=CoAuthorStatus.ACCEPTED
    )
    IdeaAnswer.objects.create(idea=idea, question_id=QUESTION_TEAM, text="گروه پنج‌نفرهٔ کانون")
    IdeaAttachment.objects.create(
        idea=idea,
        file=f"ideas/{page.call_key}/{idea.uuid}/abc",
        original_name="گزارش-مریم-احمدی.pdf",
        content_type="application/pdf",
        size=250_000,
        sha256="0" * 64,
        uploaded_by=author,
    )
    return idea


@pytest.fixture
def juror(universities):
    return UserFactory(university=universities[2], first_name="داور", last_name="نخست")


@pytest.fixture
def submission(idea_call, author, organization):
    return make_submission(idea_call, author, organization)


@pytest.fixture
def assignment(submission, juror):
    return ReviewAssignment.objects.create(idea=submission, reviewer=juror)


@pytest.fixture
def juror_client(client, juror):
    client.force_login(juror)
    return client


def review_url(assignment):
    return reverse("ideas:review", args=[assignment.pk])


# What the juror sees ----------------------------------------------------------------------


def test_the_juror_reads_the_assigned_submission_and_the_score_form(
    juror_client, assignment, submission
):
    html = html_of(juror_client.get(review_url(assignment)))
    for text in (submission.title, submission.summary, submission.body, "رسانه و هنر"):
        assert escape(text) in html
    assert "گروه پنج‌نفرهٔ کانون" in html  # the answer to the call's question
    attachment = submission.attachments.get()
    assert reverse("ideas:attachment", args=[submission.uuid, attachment.pk]) in html
    for criterion_id, name in (
        (CRITERION_NOVELTY, "نوآوری"),
        (CRITERION_IMPACT, "اثرگذاری"),
        (CRITERION_FEASIBILITY, "امکان‌پذیری"),
    ):
        assert f'name="{score_field(criterion_id)}"' in html
        assert f'for="id_{score_field(criterion_id)}"' in html
        assert f'aria-describedby="id_{score_field(criterion_id)}_helptext"' in html
        assert name in html
    assert 'name="recuse-reason"' in html


def test_blind_review_hides_the_authors_and_organization_everywhere(
    juror_client, assignment, author
):
    html = html_of(juror_client.get(review_url(assignment)))
    for secret in (
        author.first_name,
        author.last_name,
        author.email,
        author.email.split("@")[0],
        ORGANIZATION_NAME,
        "گزارش-مریم-احمدی",  # the file name carries the author's name
        "دانشگاه تهران",  # the authors' university
    ):
        assert secret not in html, secret
    assert fa("File %(number)s", number="۱") in html


def test_without_blind_review_the_juror_sees_authors_and_organization(
    calls, author, organization, juror, client
):
    page = add_idea_call(calls, slug="open-review", blind_review=False)
    idea = make_submission(page, author, organization)
    assignment = ReviewAssignment.objects.create(idea=idea, reviewer=juror)
    client.force_login(juror)
    html = html_of(client.get(review_url(assignment)))
    assert author.get_full_name() in html
    assert ORGANIZATION_NAME in html
    assert "گزارش-مریم-احمدی.pdf" in html


def test_my_reviews_lists_my_assignments_by_call(
    juror_client, assignment, juror, idea_call, author
):
    other = ReviewAssignment.objects.create(
        idea=make_submission(idea_call, author), reviewer=UserFactory()
    )
    html = html_of(juror_client.get(reverse("ideas:jury")))
    assert idea_call.title in html
    assert review_url(assignment) in html
    assert review_url(other) not in html


# Who may see it ---------------------------------------------------------------------------


def test_another_juror_gets_a_404_and_the_attempt_is_logged(client, assignment, idea_call, caplog):
    other = UserFactory()
    client.force_login(other)
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        response = client.get(review_url(assignment))
        missing = client.get(reverse("ideas:review", args=[assignment.pk + 1000]))
        posted = client.post(review_url(assignment), valid_scores())
    assert (response.status_code, missing.status_code, posted.status_code) == (404, 404, 404)
    records = security_records(caplog)
    assert len(records) == 3
    assert f"user={other.pk}" in records[0].getMessage()
    assert f"assignment={assignment.pk}" in records[0].getMessage()
    assert not CriterionScore.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, assignment, caplog):
    for url in (review_url(assignment), reverse("ideas:jury")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    response = client.post(review_url(assignment), valid_scores())
    assert response.status_code == 302 and not CriterionScore.objects.exists()


def test_the_submissions_own_author_cannot_open_its_review(client, assignment, caplog):
    client.force_login(assignment.idea.created_by)
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        assert client.get(review_url(assignment)).status_code == 404
    assert security_records(caplog)


# Scoring -----------------------------------------------------------------------------------


def test_posted_scores_are_stored_and_can_be_changed(juror_client, assignment):
    response = juror_client.post(review_url(assignment), valid_scores())
    assert response.status_code == 302 and response["Location"] == review_url(assignment)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SCORED
    assert assignment.comment == "طرح روشن و اجراپذیری است."
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {
        CRITERION_NOVELTY: 8,
        CRITERION_IMPACT: 6,
        CRITERION_FEASIBILITY: 4,
    }
    html = html_of(juror_client.get(response["Location"]))
    assert 'value="۸"' in html  # the form shows the stored scores, in Persian digits
    assert "idea-message--success" in html

    juror_client.post(review_url(assignment), valid_scores(**{score_field(CRITERION_IMPACT): "9"}))
    assert assignment.scores.get(criterion_id=CRITERION_IMPACT).score == 9
    assert assignment.scores.count() == 3


@pytest.mark.parametrize(
    "overrides",
    [
        {score_field(CRITERION_NOVELTY): ""},
        {score_field(CRITERION_NOVELTY): "11"},
        {score_field(CRITERION_FEASIBILITY): "۶"},
        {score_field(CRITERION_IMPACT): "7.5"},
        {score_field(CRITERION_IMPACT): "-1"},
        {score_field(CRITERION_IMPACT): "هفت"},
    ],
)
def test_an_invalid_post_shows_the_errors_and_stores_nothing(juror_client, assignment, overrides):
    response = juror_client.post(review_url(assignment), valid_scores(**overrides))
    html = html_of(response)
    assert 'id="score-errors"' in html and 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    [name] = overrides
    assert f'href="#id_{name}"' in html  # the summary links to the field
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED and assignment.comment == ""
    assert not CriterionScore.objects.exists()


def test_scores_are_read_only_once_the_review_is_over(juror_client, assignment, submission, editor):
    juror_client.post(review_url(assignment), valid_scores())
    workflow.move(submission, IdeaStatus.SHORTLISTED, actor=editor, notify=False)
    html = html_of(juror_client.get(review_url(assignment)))
    assert 'name="action"' not in html
    assert "۸" in html  # the scores given, in Persian digits
    response = juror_client.post(
        review_url(assignment), valid_scores(**{score_field(CRITERION_NOVELTY): "1"})
    )
    assert response.status_code == 302
    assert assignment.scores.get(criterion_id=CRITERION_NOVELTY).score == 8


# Recusal ------------------------------------------------------------------------------------


def test_recusal_needs_a_reason_then_hides_the_submission(juror_client, assignment, submission):
    html = html_of(
        juror_client.post(review_url(assignment), {"action": "recuse", "recuse-reason": " "})
    )
    assert 'id="recuse-errors"' in html
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED

    response = juror_client.post(
        review_url(assignment),
        {"action": "recuse", "recuse-reason": "استاد راهنمای یکی از نویسندگان بوده‌ام."},
    )
    assert response.status_code == 302 and response["Location"] == reverse("ideas:jury")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED
    assert assignment.recusal_reason == "استاد راهنمای یکی از نویسندگان بوده‌ام."

    html = html_of(juror_client.get(review_url(assignment)))
    assert escape(submission.summary) not in html and escape(submission.title) not in html
    assert 'name="action"' not in html
    response = juror_client.post(review_url(assignment), valid_scores())
    assert response.status_code == 302 and not CriterionScore.objects.exists()
