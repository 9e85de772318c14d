"""Incentive rules: awarded automatically once, replayed idempotently, certificates, admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from participation.choices import IncentiveKind
from participation.dashboard.choices import NotificationKind, Trigger
from participation.dashboard.models import IncentiveRule, Notification
from participation.drafts import services as drafts
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from participation.incentives.models import Award, Certificate
from participation.submissions import mixing
from tests.participation.drafts.factories import CLAUSE_A, CLAUSE_B

from .conftest import comment_on, respond, submitted_idea

pytestmark = pytest.mark.django_db


def rule(call, trigger, kind=IncentiveKind.CERTIFICATE, **fields):
    return IncentiveRule.objects.create(call=call, trigger=trigger, kind=kind, **fields)


def to_winner(idea, editor, capture):
    for status in (IdeaStatus.IN_REVIEW, IdeaStatus.SHORTLISTED, IdeaStatus.WINNER):
        with capture(execute=True):
            workflow.move(idea, status, actor=editor)


def test_winning_idea_earns_once_with_a_certificate_and_a_notice(
    idea_call, person, editor, mailoutbox, django_capture_on_commit_callbacks
):
    rule(idea_call, Trigger.IDEA_WINNER, IncentiveKind.PRIZE, amount=50_000_000,
         with_certificate=True)  # fmt: skip
    rule(idea_call, Trigger.IDEA_SHORTLISTED, IncentiveKind.WORKSHOP)
    with django_capture_on_commit_callbacks(execute=True):
        idea = submitted_idea(idea_call, person)
    to_winner(idea, editor, django_capture_on_commit_callbacks)

    prize = Award.objects.get(recipient_user=person, kind=IncentiveKind.PRIZE)
    assert prize.source == f"idea:{idea.uuid}:winner"
    assert prize.amount == 50_000_000 and prize.call_key == idea_call.translation_key
    assert prize.call_title == idea_call.title
    assert Certificate.objects.filter(award=prize).exists()
    workshop = Award.objects.get(recipient_user=person, kind=IncentiveKind.WORKSHOP)
    assert workshop.source == f"idea:{idea.uuid}:shortlisted"
    assert not Certificate.objects.filter(award=workshop).exists()
    awards_noticed = Notification.objects.filter(person=person, kind=NotificationKind.AWARD)
    assert awards_noticed.count() == 2
    assert any("/dashboard/" in message.body for message in mailoutbox)

    # Stepping back and winning again, or replaying, awards nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.WINNER, actor=editor)
    call_command("award_incentives")
    call_command("award_incentives")
    assert Award.objects.filter(recipient_user=person).count() == 2
    assert Certificate.objects.count() == 1
    assert awards_noticed.count() == 2


def test_rules_added_after_the_fact_are_applied_by_the_command(
    survey, anonymous_survey, draft, idea_call, person, student, editor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    respond(survey, person)
    respond(anonymous_survey, student)
    comment_on(draft, person, clause_id=CLAUSE_A)
    comment_on(draft, person, clause_id=CLAUSE_B)
    comment_on(draft, student, clause_id=CLAUSE_A)
    drafts.record_decision(
        draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="partly", reason="بخشی"
    )
    drafts.record_decision(
        draft, editor, round_number=1, clause_id=CLAUSE_B, outcome="rejected", reason="نه"
    )
    drafts.start_new_round(draft, editor)
    idea = submitted_idea(idea_call, person)
    assert not Award.objects.exists()

    rule(survey, Trigger.SURVEY_RESPONSE)
    rule(anonymous_survey, Trigger.SURVEY_RESPONSE)
    rule(draft, Trigger.COMMENT_POSTED, IncentiveKind.WORKSHOP)
    rule(draft, Trigger.COMMENT_PARTLY_ACCEPTED, IncentiveKind.GRANT, amount=1000)
    rule(idea_call, Trigger.IDEA_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("award_incentives")
    sources = set(Award.objects.values_list("recipient_user__email", "kind", "source"))
    key = draft.translation_key
    comment_a = person.clause_comments.get(clause_id=CLAUSE_A)
    student_a = student.clause_comments.get(clause_id=CLAUSE_A)
    assert sources == {
        (person.email, "certificate", f"survey:{survey.translation_key}:response"),
        (student.email, "certificate", f"survey:{anonymous_survey.translation_key}:response"),
        (person.email, "workshop", f"draft:{key}:comment"),  # once for two comments
        (student.email, "workshop", f"draft:{key}:comment"),
        (person.email, "grant", f"comment:{comment_a.uuid}:partly"),
        (student.email, "grant", f"comment:{student_a.uuid}:partly"),
        (person.email, "certificate", f"idea:{idea.uuid}:submitted"),
    }
    count = Award.objects.count()
    call_command("award_incentives")
    assert Award.objects.count() == count


def test_live_triggers_for_surveys_and_comments(
    survey, anonymous_survey, draft, person, editor, django_capture_on_commit_callbacks
):
    rule(survey, Trigger.SURVEY_RESPONSE)
    rule(anonymous_survey, Trigger.SURVEY_RESPONSE, IncentiveKind.WORKSHOP)
    rule(draft, Trigger.COMMENT_ACCEPTED, IncentiveKind.GRANT, amount=5)
    with django_capture_on_commit_callbacks(execute=True):
        respond(survey, person)
    with django_capture_on_commit_callbacks(execute=True):
        respond(anonymous_survey, person)
    # An anonymous-verified response is not awarded as it arrives (the award would date
    # and order it): its batch is, once mixed (here: the call's last, as when it closes).
    assert not Award.objects.filter(kind="workshop").exists()
    with django_capture_on_commit_callbacks(execute=True):
        mixing.mix(anonymous_survey.translation_key, closing=True)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(draft, person)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.record_decision(
            draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason="آری"
        )
    assert set(Award.objects.values_list("kind", flat=True)) == {"certificate", "workshop"}
    with django_capture_on_commit_callbacks(execute=True):
        drafts.start_new_round(draft, editor)
    assert Award.objects.filter(kind="grant", recipient_user=person).count() == 1


def test_promotion_points_only_for_faculty(
    idea_call, person, student, editor, django_capture_on_commit_callbacks
):
    rule(idea_call, Trigger.IDEA_SUBMITTED, IncentiveKind.PROMOTION_POINTS, points=Decimal("1.5"))
    with django_capture_on_commit_callbacks(execute=True):
        submitted_idea(idea_call, person)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_idea(idea_call, student, title="ایدهٔ دانشجو")  # refused quietly
    awards = Award.objects.filter(kind=IncentiveKind.PROMOTION_POINTS)
    assert list(awards.values_list("recipient_user", "points")) == [(person.pk, Decimal("1.50"))]
    call_command("award_incentives")
    assert awards.count() == 1


def test_a_certificate_refused_for_a_nameless_person_keeps_the_award(
    survey, django_capture_on_commit_callbacks
):
    from tests.people.factories import UserFactory

    nameless = UserFactory(first_name="", last_name="")
    rule(survey, Trigger.SURVEY_RESPONSE, IncentiveKind.WORKSHOP, with_certificate=True)
    with django_capture_on_commit_callbacks(execute=True):
        respond(survey, nameless)
    assert Award.objects.filter(recipient_user=nameless).count() == 1
    assert not Certificate.objects.exists()


def test_rule_validation(survey, idea_call):
    with pytest.raises(ValidationError) as error:
        IncentiveRule(call=survey, trigger=Trigger.IDEA_WINNER, kind="prize").full_clean()
    assert "trigger" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        IncentiveRule(
            call=idea_call, trigger=Trigger.IDEA_WINNER, kind=IncentiveKind.PROMOTION_POINTS
        ).full_clean()
    assert "points" in error.value.message_dict
    IncentiveRule(call=idea_call, trigger=Trigger.IDEA_WINNER, kind="prize").full_clean(
        exclude=["call_key"]
    )


def test_admin_lists_and_adds_rules(client, editor, survey, student):
    client.force_login(editor)
    index = reverse("incentive_rules:index")
    assert client.get(index).status_code == 200
    response = client.post(
        reverse("incentive_rules:add"),
        {
            "call": survey.pk,
            "trigger": Trigger.SURVEY_RESPONSE,
            "kind": IncentiveKind.CERTIFICATE,
            "with_certificate": "on",
            "description": "گواهی مشارکت",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = IncentiveRule.objects.get()
    assert created.call_key == survey.translation_key
    client.force_login(student)
    assert client.get(index).status_code in (302, 403)
