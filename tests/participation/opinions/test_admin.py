"""The moderators' queue of participants' statements in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission

from participation.audit.choices import AuditAction
from participation.audit.models import AuditEvent
from participation.choices import ModerationMode, ModerationState
from participation.errors import Refused
from participation.opinions import services
from participation.opinions.models import Statement
from participation.opinions.wagtail_hooks import StatementModerationMenuItem
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"hadaf_opinions:{name}", args=args)


def state_of(statement):
    return Statement.objects.get(pk=statement.pk).moderation_state


@pytest.fixture
def post_draft(calls, editor):
    """A post-moderated draft with a seeded statement."""
    draft = add_draft(calls, slug="post", moderation=ModerationMode.POST)
    services.seed_statement(editor, draft, "گزارش مالی تشکل‌ها باید عمومی باشد.")
    return draft


@pytest.fixture
def waiting(survey, seeded, participant):
    """A participant's statement on the (pre-moderated) survey."""
    return services.add_statement(participant, survey, "اردوهای فرهنگی باید رایگان باشند.")


@pytest.fixture
def shown(post_draft, others):
    """A participant's statement on the post-moderated draft, shown at once."""
    return services.add_statement(others[0], post_draft, "نشست‌های تشکل‌ها باید ضبط شوند.")


@pytest.fixture
def scoped_editor(post_draft):
    """In the admin, allowed to edit ``post_draft`` only."""
    user = UserFactory(email="scoped@ministry.test", is_staff=True, role="")
    group = Group.objects.create(name="Draft committee")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=post_draft, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


def listed(client, **params):
    response = client.get(url("moderation"), params)
    assert response.status_code == 200
    return [statement.pk for statement, _call in response.context["items"]]


def test_the_queue_lists_waiting_statements_by_default_not_the_seeded_ones(
    client, editor, waiting, shown
):
    client.force_login(editor)
    assert listed(client) == [waiting.pk]
    assert listed(client, state=ModerationState.PUBLISHED) == [shown.pk]
    assert sorted(listed(client, state="all")) == sorted([waiting.pk, shown.pk])
    html = client.get(url("moderation")).content.decode()
    assert "اردوهای فرهنگی باید رایگان باشند." in html
    assert "انتشار" in html  # Persian labels


def test_publishing_a_waiting_statement_is_audited(client, editor, survey, waiting):
    client.force_login(editor)
    response = client.post(url("moderate", waiting.uuid), {"action": "publish"})
    assert response.status_code == 302
    assert state_of(waiting) == ModerationState.PUBLISHED
    event = AuditEvent.objects.get(action=AuditAction.MODERATE_COMMENT)
    assert event.actor == editor
    assert event.details["state_from"] == ModerationState.PENDING
    assert event.details["state_to"] == ModerationState.PUBLISHED
    assert event.details["kind"] == "statement"
    assert waiting.text not in str(event.details)
    assert waiting in services.public_statements(survey.call_key)


def test_removing_a_shown_statement_hides_it_and_is_audited(client, editor, post_draft, shown):
    client.force_login(editor)
    client.post(url("moderate", shown.uuid), {"action": "remove"})
    assert state_of(shown) == ModerationState.REMOVED
    assert shown not in services.public_statements(post_draft.call_key)
    assert AuditEvent.objects.filter(action=AuditAction.MODERATE_COMMENT).count() == 1


def test_moderating_twice_changes_nothing_the_second_time(client, editor, waiting):
    client.force_login(editor)
    client.post(url("moderate", waiting.uuid), {"action": "remove"})
    client.post(url("moderate", waiting.uuid), {"action": "publish"})
    assert state_of(waiting) == ModerationState.REMOVED
    assert AuditEvent.objects.filter(action=AuditAction.MODERATE_COMMENT).count() == 1


def test_an_unknown_action_changes_nothing(client, editor, waiting):
    client.force_login(editor)
    client.post(url("moderate", waiting.uuid), {"action": "delete"})
    assert state_of(waiting) == ModerationState.PENDING
    assert not AuditEvent.objects.exists()


def test_an_editor_without_the_call_is_refused_and_nothing_changes(
    client, scoped_editor, waiting, shown
):
    client.force_login(scoped_editor)
    assert listed(client, state="all") == [shown.pk]  # only their draft's statement
    response = client.post(url("moderate", waiting.uuid), {"action": "remove"})
    assert response.status_code == 403
    assert state_of(waiting) == ModerationState.PENDING
    assert not AuditEvent.objects.exists()


def test_a_participant_cannot_reach_the_queue(client, participant, waiting):
    client.force_login(participant)
    assert client.get(url("moderation")).status_code in (302, 403)
    response = client.post(url("moderate", waiting.uuid), {"action": "publish"})
    assert response.status_code in (302, 403)
    assert state_of(waiting) == ModerationState.PENDING


def test_the_service_refuses_a_moderator_of_another_call(scoped_editor, survey, waiting):
    with pytest.raises(Refused):
        services.moderate_from_queue(scoped_editor, waiting, call=survey, approve=True)
    assert state_of(waiting) == ModerationState.PENDING
    assert not AuditEvent.objects.exists()


def test_seeded_statements_are_not_moderated_here(client, editor, survey, seeded):
    client.force_login(editor)
    response = client.post(url("moderate", seeded[0].uuid), {"action": "remove"})
    assert response.status_code == 404
    assert state_of(seeded[0]) == ModerationState.PUBLISHED


def test_the_menu_counts_waiting_statements(editor, scoped_editor, participant, waiting):
    item = StatementModerationMenuItem("Statement moderation", url("moderation"))
    request = RequestFactory().get("/admin/")
    request.user = participant
    assert not item.is_shown(request)
    with translation.override("fa"):
        request.user = editor
        assert item.is_shown(request)
        assert item.render_component(request).label == "بازبینی گزاره‌ها (۱)"
        request.user = scoped_editor  # the waiting statement is on a call they cannot edit
        assert item.is_shown(request)
        assert item.render_component(request).label == "Statement moderation"


def test_a_second_survey_is_listed_for_its_editor(client, editor, calls, seeded, participant):
    other = SurveyCampaignPageFactory(parent=calls)
    services.seed_statement(editor, other, "کتابخانه باید شب‌ها باز باشد.")
    mine = services.add_statement(participant, other, "سالن مطالعه کافی نیست.")
    client.force_login(editor)
    assert mine.pk in listed(client, call=other.pk)
