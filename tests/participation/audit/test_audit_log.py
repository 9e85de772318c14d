"""Every editor action on submissions leaves exactly one audit row, without answer text."""

import logging
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import participation.drafts.wagtail_hooks  # noqa: F401 - registers the admin URLs
import participation.ideas.wagtail_hooks  # noqa: F401
import participation.surveys.wagtail_hooks  # noqa: F401
from participation import audit
from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from participation.audit.services import FreeTextInDetails
from participation.choices import IncentiveKind
from participation.drafts import services as draft_services
from participation.drafts.choices import DecisionOutcome, ModerationState
from participation.ideas import exports as idea_exports
from participation.ideas import jury, workflow
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import JuryMember
from participation.incentives import services as incentive_services
from participation.organizations import services as organization_services
from participation.people import verification
from participation.people.models import Organization
from participation.surveys import services as survey_services
from tests.participation.drafts.factories import CLAUSE_A
from tests.people.factories import EditorFactory, UserFactory

from .conftest import SECRET_ANSWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def audit_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def only_event(action):
    events = list(AuditEvent.objects.all())
    assert [event.action for event in events] == [action]
    return events[0]


def assert_no_answer_text(caplog):
    for event in AuditEvent.objects.all():
        assert SECRET_ANSWER not in repr(event.__dict__)
        assert SECRET_ANSWER not in str(event.details)
    assert SECRET_ANSWER not in caplog.text


def assert_target(event, obj, editor, call=None):
    assert event.actor == editor
    assert event.actor_label.endswith(f"(#{editor.pk})")
    assert event.target_type == ContentType.objects.get_for_model(obj)
    assert event.target_id == str(obj.pk)
    if call is not None:
        assert (event.call_page_id, event.call_key) == (call.pk, call.translation_key)


# Surveys --------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_survey_export_is_audited_once(
    editor_client, editor, survey, survey_response, audit_logs, file_format
):
    url = reverse("hadaf_survey_report:export", args=[survey.pk])
    response = editor_client.get(url, {"format": file_format})
    assert response.status_code == 200
    event = only_event(AuditAction.EXPORT)
    assert_target(event, survey, editor, call=survey)
    assert event.details == {"format": file_format, "identity": False}
    assert_no_answer_text(audit_logs)


def test_excluding_then_counting_a_response_is_audited_once_each(
    editor_client, editor, survey, survey_response, audit_logs
):
    url = reverse("hadaf_survey_report:set_counted", args=[survey.pk, survey_response.uuid])
    assert editor_client.post(url, {"action": "exclude"}).status_code == 302
    excluded = only_event(AuditAction.EXCLUDE_RESPONSE)
    assert_target(excluded, survey_response, editor, call=survey)
    assert excluded.details["submission"] == str(survey_response.uuid)

    editor_client.post(url, {"action": "exclude"})  # already excluded: nothing happens
    assert AuditEvent.objects.count() == 1
    editor_client.post(url, {"action": "include"})
    included = AuditEvent.objects.get(action=AuditAction.INCLUDE_RESPONSE)
    assert_target(included, survey_response, editor, call=survey)
    assert_no_answer_text(audit_logs)


# Ideas ------------------------------------------------------------------------------------


def test_opening_a_submission_is_audited(editor_client, editor, idea_call, idea, audit_logs):
    url = reverse("hadaf_ideas:submission", args=[idea_call.pk, idea.uuid])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert SECRET_ANSWER in response.content.decode()  # the editor does read it…
    event = only_event(AuditAction.VIEW_SUBMISSION)
    assert_target(event, idea, editor, call=idea_call)
    assert_no_answer_text(audit_logs)  # …the log does not keep it


def test_screening_moves_are_audited_one_row_per_submission(
    editor_client, editor, idea_call, idea, audit_logs
):
    url = reverse("hadaf_ideas:move", args=[idea_call.pk])
    response = editor_client.post(url, {"ideas": [str(idea.uuid)], "to": IdeaStatus.IN_REVIEW})
    assert response.status_code == 302
    event = only_event(AuditAction.MOVE_IDEA)
    assert_target(event, idea, editor, call=idea_call)
    assert event.details == {"status_from": IdeaStatus.SUBMITTED, "status_to": IdeaStatus.IN_REVIEW}
    assert_no_answer_text(audit_logs)


def test_a_refused_move_leaves_no_row(editor_client, idea_call, idea):
    url = reverse("hadaf_ideas:move", args=[idea_call.pk])
    editor_client.post(url, {"ideas": [str(idea.uuid)], "to": IdeaStatus.WINNER})
    assert not AuditEvent.objects.exists()


def test_the_ideas_export_is_audited(editor_client, editor, idea_call, idea, audit_logs):
    response = editor_client.get(reverse("hadaf_ideas:export", args=[idea_call.pk]))
    assert response.status_code == 200
    event = only_event(AuditAction.EXPORT)
    assert_target(event, idea_call, editor, call=idea_call)
    assert event.details == {"format": "xlsx"}
    assert_no_answer_text(audit_logs)


def test_jury_changes_and_assignments_are_audited(editor_client, editor, idea_call, idea):
    juror = UserFactory(role="faculty", email="juror@university.test")
    editor_client.post(
        reverse("hadaf_ideas:add_juror", args=[idea_call.pk]), {"email": juror.email}
    )
    event = only_event(AuditAction.ADD_JUROR)
    assert_target(event, juror, editor, call=idea_call)
    assert juror.email not in str(event.details)

    member = JuryMember.objects.get(person=juror)
    editor_client.post(reverse("hadaf_ideas:remove_juror", args=[idea_call.pk, member.pk]))
    removed = AuditEvent.objects.get(action=AuditAction.REMOVE_JUROR)
    assert_target(removed, juror, editor, call=idea_call)

    editor_client.post(reverse("hadaf_ideas:assign", args=[idea_call.pk]))
    assigned = AuditEvent.objects.get(action=AuditAction.ASSIGN_REVIEWERS)
    assert assigned.details.keys() == {"created", "short"}
    assert AuditEvent.objects.count() == 3


# Drafts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state"),
    [("publish", ModerationState.PUBLISHED), ("remove", ModerationState.REMOVED)],
)
def test_moderating_a_comment_is_audited(
    editor_client, editor, regulation_draft, pending_comment, audit_logs, action, state
):
    url = reverse("hadaf_drafts:moderate", args=[pending_comment.uuid])
    assert editor_client.post(url, {"action": action}).status_code == 302
    event = only_event(AuditAction.MODERATE_COMMENT)
    assert_target(event, pending_comment, editor, call=regulation_draft)
    assert event.details == {"state_from": ModerationState.PENDING, "state_to": state}
    assert_no_answer_text(audit_logs)


def test_a_decision_is_audited_without_its_reason(editor_client, editor, regulation_draft):
    from tests.participation.drafts.test_admin import form_data

    page_url = reverse("hadaf_drafts:decisions", args=[regulation_draft.pk])
    reason = "دلیل-تصمیم-۵۵۱"
    data = form_data(editor_client.get(page_url), **{CLAUSE_A: (DecisionOutcome.ACCEPTED, reason)})
    assert editor_client.post(page_url, data).status_code == 302
    event = only_event(AuditAction.DECIDE_CLAUSE)
    assert event.details == {"round": 1, "clause": CLAUSE_A, "outcome": DecisionOutcome.ACCEPTED}
    assert reason not in str(event.details)
    assert event.call_page_id == regulation_draft.pk


def test_the_comments_export_is_audited(
    editor_client, editor, regulation_draft, pending_comment, audit_logs
):
    response = editor_client.get(reverse("hadaf_drafts:export", args=[regulation_draft.pk]))
    assert response.status_code == 200
    assert_target(only_event(AuditAction.EXPORT), regulation_draft, editor, call=regulation_draft)
    assert_no_answer_text(audit_logs)


# People, organizations, incentives -----------------------------------------------------------


def test_verifying_and_withdrawing_an_academic_is_audited(editor_client, editor, author):
    editor_client.post(reverse("academic_verification:verify", args=[author.pk]))
    assert_target(only_event(AuditAction.VERIFY_PERSON), author, editor)
    editor_client.post(reverse("academic_verification:revoke", args=[author.pk]))
    assert_target(AuditEvent.objects.get(action=AuditAction.REVOKE_PERSON), author, editor)


def test_organization_views_and_verifications_are_audited_without_the_reason(editor_client, editor):
    organization = Organization.objects.create(name="کانون شعر", kind="student_association")
    editor_client.get(reverse("hadaf_organizations:detail", args=[organization.pk]))
    assert_target(only_event(AuditAction.VIEW_ORGANIZATION), organization, editor)
    editor_client.post(reverse("hadaf_organizations:verify", args=[organization.pk]))
    reason = "ثبت-تکراری-۹۰۹"
    editor_client.post(
        reverse("hadaf_organizations:withdraw", args=[organization.pk]), {"reason": reason}
    )
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        AuditAction.VIEW_ORGANIZATION,
        AuditAction.VERIFY_ORGANIZATION,
        AuditAction.WITHDRAW_ORGANIZATION,
    ]
    assert reason not in repr(list(AuditEvent.objects.values()))


def test_awards_and_revocations_are_audited(editor_client, editor, survey):
    person = UserFactory(role="faculty", email="winner@university.test")
    data = {
        "recipient_type": "person",
        "email": person.email,
        "kind": IncentiveKind.PRIZE,
        "call": str(survey.pk),
        "reason": "برندهٔ جایزه",
        "amount": "",
        "points": "",
        "token": str(uuid.uuid4()),
    }
    response = editor_client.post(reverse("hadaf_incentives:award_new"), data)
    assert response.status_code == 302
    event = only_event(AuditAction.AWARD)
    assert event.details == {"kind": IncentiveKind.PRIZE, "certificate": False}
    assert event.call_page_id == survey.pk

    award, _created = incentive_services.record_award(
        person, IncentiveKind.CERTIFICATE, reason="کارگاه", source="test:1", by=editor
    )
    certificate = incentive_services.issue_certificate(award, by=editor)
    url = reverse("hadaf_incentives:certificate_revoke", args=[certificate.pk])
    assert editor_client.post(url, {"reason": "دلیل ابطال"}).status_code == 302
    assert_target(
        AuditEvent.objects.get(action=AuditAction.REVOKE_CERTIFICATE), certificate, editor
    )


# Publishing results -------------------------------------------------------------------------


def test_publishing_and_withdrawing_results_is_audited_once_each(editor, survey):
    revision = survey.save_revision(user=editor)
    revision.publish(user=editor)
    assert not AuditEvent.objects.exists()  # published, but results are not

    survey.results_published = True
    survey.save_revision(user=editor).publish(user=editor)
    event = only_event(AuditAction.PUBLISH_RESULTS)
    assert_target(event, survey, editor, call=survey)

    survey.title = "عنوان تازه"
    survey.save_revision(user=editor).publish(user=editor)
    assert AuditEvent.objects.count() == 1  # still published: nothing new

    survey.results_published = False
    survey.save_revision(user=editor).publish(user=editor)
    assert AuditEvent.objects.filter(action=AuditAction.UNPUBLISH_RESULTS).count() == 1


def test_publishing_results_without_a_person_is_not_an_editor_action(survey):
    """Demo seeding and data loading publish pages with no user: no event; an editor
    withdrawing those results afterwards is one."""
    survey.results_published = True
    survey.save_revision().publish()
    assert not AuditEvent.objects.exists()

    # An editor withdrawing them afterwards is one, compared with what was public.
    editor = EditorFactory()
    survey.results_published = False
    survey.save_revision(user=editor).publish(user=editor)
    assert_target(only_event(AuditAction.UNPUBLISH_RESULTS), survey, editor, call=survey)


# What a row may carry ------------------------------------------------------------------------


def test_free_text_is_refused_in_details(editor):
    with pytest.raises(FreeTextInDetails):
        audit.record(editor, AuditAction.EXPORT, reason=SECRET_ANSWER * 10)
    assert not AuditEvent.objects.exists()


def test_the_row_keeps_who_acted_after_the_account_is_deleted(survey):
    editor = EditorFactory(first_name="زهرا", last_name="کریمی")
    event = audit.record(editor, AuditAction.EXPORT, target=survey, call=survey, format="csv")
    editor.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor is None
    assert event.actor_label.startswith("زهرا کریمی")


# The admin screen -----------------------------------------------------------------------------


def test_the_audit_log_is_for_superusers_and_holders_of_the_permission(client, editor, survey):
    audit.record(editor, AuditAction.EXPORT, target=survey, call=survey, format="csv")
    url = reverse("hadaf_audit_log")
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)

    editor.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "format=csv" in html
    assert "ویرایش" not in html.split('class="listing"')[1]  # no edit…
    assert "delete" not in html.split('class="listing"')[1].lower()  # …and no delete buttons

    superuser = UserFactory(is_superuser=True, is_staff=True, email="root@ministry.test")
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_the_audit_log_filters_by_action_editor_call_and_jalali_date(
    client, editor, survey, idea_call
):
    other = EditorFactory()
    audit.record(editor, AuditAction.EXPORT, target=survey, call=survey, format="csv")
    audit.record(other, AuditAction.ASSIGN_REVIEWERS, target=idea_call, call=idea_call)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("hadaf_audit_log")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [event.action for event in response.context["page_obj"]]

    assert sorted(listed()) == sorted([AuditAction.EXPORT, AuditAction.ASSIGN_REVIEWERS])
    assert listed(action=AuditAction.EXPORT) == [AuditAction.EXPORT]
    assert listed(actor=str(other.pk)) == [AuditAction.ASSIGN_REVIEWERS]
    assert listed(call=str(idea_call.pk)) == [AuditAction.ASSIGN_REVIEWERS]
    assert listed(since="۱۳۰۰/۰۱/۰۱") != []
    assert listed(until="۱۳۰۰/۰۱/۰۱") == []


# The services audit themselves: a command, a task or the API calling them is audited too ------


def test_an_editors_workflow_step_is_audited_by_the_service(editor, idea_call, idea):
    workflow.take_step(idea_call, idea, IdeaStatus.IN_REVIEW, actor=editor)
    event = only_event(AuditAction.MOVE_IDEA)
    assert_target(event, idea, editor, call=idea_call)
    assert event.details == {"status_from": IdeaStatus.SUBMITTED, "status_to": IdeaStatus.IN_REVIEW}


def test_a_refused_step_of_several_leaves_no_row_and_moves_nothing(editor, idea_call, idea):
    with pytest.raises(workflow.TransitionRefused):
        workflow.take_steps(idea_call, [idea], IdeaStatus.WINNER, actor=editor)
    assert not AuditEvent.objects.exists()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_the_jury_services_are_audited(editor, idea_call, idea):
    juror = UserFactory(role="faculty", email="juror@university.test")
    member, created = jury.add_juror(idea_call, juror, actor=editor)
    assert created
    assert_target(only_event(AuditAction.ADD_JUROR), juror, editor, call=idea_call)
    assert jury.add_juror(idea_call, juror, actor=editor)[1] is False
    assert AuditEvent.objects.count() == 1  # already on the jury: nothing written

    jury.assign_and_log(idea_call, actor=editor)
    assigned = AuditEvent.objects.get(action=AuditAction.ASSIGN_REVIEWERS)
    assert_target(assigned, idea_call, editor, call=idea_call)
    jury.remove_juror(idea_call, member, actor=editor)
    removed = AuditEvent.objects.get(action=AuditAction.REMOVE_JUROR)
    assert_target(removed, juror, editor, call=idea_call)
    assert removed.details == {"reviews_dropped": 0}


def test_the_ideas_export_service_is_audited(editor, idea_call):
    idea_exports.record_export(idea_call, editor)
    event = only_event(AuditAction.EXPORT)
    assert_target(event, idea_call, editor, call=idea_call)
    assert event.details == {"format": "xlsx"}


def test_the_draft_services_are_audited(editor, regulation_draft, pending_comment):
    moderated = draft_services.moderate_from_queue(pending_comment, editor, approve=True)
    event = only_event(AuditAction.MODERATE_COMMENT)
    assert_target(event, moderated, editor, call=regulation_draft)
    assert event.details == {
        "state_from": ModerationState.PENDING,
        "state_to": ModerationState.PUBLISHED,
    }
    # Already moderated: nothing changes, nothing is written.
    assert draft_services.moderate_from_queue(pending_comment, editor, approve=False) is None
    assert AuditEvent.objects.count() == 1

    decision = draft_services.decide_clause(
        regulation_draft,
        editor,
        round_number=1,
        clause_id=CLAUSE_A,
        outcome=DecisionOutcome.ACCEPTED,
        reason="دلیل",
    )
    decided = AuditEvent.objects.get(action=AuditAction.DECIDE_CLAUSE)
    assert_target(decided, decision, editor, call=regulation_draft)
    assert decided.details == {"round": 1, "clause": CLAUSE_A, "outcome": DecisionOutcome.ACCEPTED}

    started = draft_services.open_next_round(regulation_draft, editor, "خلاصه")
    round_event = AuditEvent.objects.get(action=AuditAction.START_ROUND)
    assert_target(round_event, regulation_draft, editor, call=regulation_draft)
    assert round_event.details == {"round": started.number} == {"round": 2}

    draft_services.record_comments_export(regulation_draft, editor)
    exported = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert_target(exported, regulation_draft, editor, call=regulation_draft)


def test_the_survey_services_are_audited(editor, survey, survey_response):
    survey_services.set_counted_by_editor(survey, survey_response, counted=False, editor=editor)
    excluded = only_event(AuditAction.EXCLUDE_RESPONSE)
    assert_target(excluded, survey_response, editor, call=survey)
    assert excluded.details["submission"] == str(survey_response.uuid)
    survey_response.refresh_from_db()
    survey_services.set_counted_by_editor(survey, survey_response, counted=False, editor=editor)
    assert AuditEvent.objects.count() == 1  # already excluded: nothing written

    survey_services.record_export(survey, editor, file_format="csv", identity=False)
    exported = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert exported.details == {"format": "csv", "identity": False}


def test_verifying_people_and_organizations_is_audited_by_the_services(editor, author):
    verification.verify_by_editor(author, editor)
    assert_target(only_event(AuditAction.VERIFY_PERSON), author, editor)
    verification.revoke(author, editor)
    assert_target(AuditEvent.objects.get(action=AuditAction.REVOKE_PERSON), author, editor)

    organization = Organization.objects.create(name="کانون شعر", kind="student_association")
    organization_services.verify(organization, editor)
    verified = AuditEvent.objects.get(action=AuditAction.VERIFY_ORGANIZATION)
    assert_target(verified, organization, editor)
    reason = "ثبت-تکراری-۹۰۹"
    organization_services.withdraw_verification(organization, editor, reason)
    withdrawn = AuditEvent.objects.get(action=AuditAction.WITHDRAW_ORGANIZATION)
    assert_target(withdrawn, organization, editor)
    assert reason not in repr(list(AuditEvent.objects.values()))


def test_the_audit_row_is_part_of_the_action_no_row_no_action(editor, monkeypatch):
    """The row is written in the service's transaction: if it cannot be written, the
    organization is not verified either."""
    organization = Organization.objects.create(name="کانون فیلم", kind="student_association")

    def refuse(*args, **kwargs):
        raise FreeTextInDetails("refused")

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(FreeTextInDetails):
        organization_services.verify(organization, editor)
    organization.refresh_from_db()
    assert organization.verified_at is None


def test_awarding_and_revoking_are_audited_by_the_services(editor, survey):
    person = UserFactory(role="faculty", email="winner@university.test", first_name="سارا")
    award, created, certificate = incentive_services.award_by_editor(
        person,
        IncentiveKind.PRIZE,
        call_page=survey,
        reason="برندهٔ جایزه",
        source="manual:1",
        with_certificate=True,
        by=editor,
    )
    assert created and certificate is not None
    event = only_event(AuditAction.AWARD)
    assert_target(event, award, editor, call=survey)
    assert event.details == {"kind": IncentiveKind.PRIZE, "certificate": True}
    # The same award again: the ledger already has it, no second row.
    incentive_services.award_by_editor(
        person,
        IncentiveKind.PRIZE,
        call_page=survey,
        reason="برندهٔ جایزه",
        source="manual:1",
        by=editor,
    )
    assert AuditEvent.objects.count() == 1

    incentive_services.revoke(certificate, editor, "دلیل ابطال")
    revoked = AuditEvent.objects.get(action=AuditAction.REVOKE_CERTIFICATE)
    assert_target(revoked, certificate, editor)
