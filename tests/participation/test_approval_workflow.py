"""Calls go through the approval workflow "تأیید فراخوان" before they are published."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from pages.demo_content import CALL_WORKFLOW_NAME, ensure_call_workflow
from pages.models import SurveyCampaignPage
from participation.surveys.demo import build_questions
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(home_page):
    calls = CallIndexPageFactory(parent=home_page)
    ensure_call_workflow(calls)
    return calls


@pytest.fixture
def editor():
    """A ministry editor who may edit but not publish or approve."""
    user = UserFactory(email="writer@ministry.test", is_staff=True, role="")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator():
    return EditorFactory(email="moderator@ministry.test")


def test_the_migration_creates_the_workflow_with_a_moderators_task():
    workflow = Workflow.objects.get(name=CALL_WORKFLOW_NAME)
    [task] = [task.specific for task in workflow.tasks]
    assert workflow.active and task.active
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_the_call_index_and_its_calls_use_the_call_workflow(calls):
    ensure_call_workflow(calls)  # Again: finds what is there.
    assert Workflow.objects.filter(name=CALL_WORKFLOW_NAME).count() == 1
    assert calls.get_workflow().name == CALL_WORKFLOW_NAME


def test_a_call_submitted_by_an_editor_is_live_only_after_a_moderator_approves(
    calls, editor, moderator
):
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی تازه",
        slug="new-survey",
        live=False,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=30),
        questions=build_questions("new", [("consent", {"label": "موافقم", "code": "ok"})]),
    )
    calls.add_child(instance=page)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow.name == CALL_WORKFLOW_NAME

    workflow_state = workflow.start(page, editor)
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(page, editor) == []
    assert not page.permissions_for_user(editor).can_publish()
    assert "approve" in [action for action, *_rest in task.get_actions(page, moderator)]

    task.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    workflow_state.refresh_from_db()
    assert page.live
    assert workflow_state.status == workflow_state.STATUS_APPROVED


# Four eyes: nobody approves their own submission ------------------------------------------


def submitted_call(calls, author, slug="own-survey"):
    """A new call saved by ``author`` and submitted by them to the call workflow."""
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی خودم",
        slug=slug,
        live=False,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=30),
        questions=build_questions(slug, [("consent", {"label": "موافقم", "code": "ok"})]),
    )
    calls.add_child(instance=page)
    page.save_revision(user=author)
    state = page.get_workflow().start(page, author)
    page.refresh_from_db()
    return page, state


def test_a_moderator_cannot_approve_their_own_submission_but_another_can(calls, moderator):
    page, state = submitted_call(calls, moderator)
    task = state.current_task_state.task.specific
    assert task.get_actions(page, moderator) == []
    colleague = EditorFactory(email="second@ministry.test")
    assert "approve" in [name for name, *_rest in task.get_actions(page, colleague)]


def test_the_submitter_is_offered_neither_approve_nor_publish_in_the_editor(
    client, calls, moderator
):
    page, _state = submitted_call(calls, moderator)
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-publish"' not in html
    assert 'data-workflow-action-name="approve"' not in html and 'value="approve"' not in html


def test_publishing_ones_own_submission_is_refused_and_changes_nothing(client, calls, moderator):
    page, state = submitted_call(calls, moderator)
    client.force_login(moderator)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit_url, {"action-publish": "1", "title": page.title})
    assert response.status_code == 302 and response["Location"] == edit_url
    page.refresh_from_db()
    state.refresh_from_db()
    assert not page.live and state.status == state.STATUS_IN_PROGRESS
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        )
    )
    page.refresh_from_db()
    # Refused: Wagtail's admin answers a refusal with a redirect to the dashboard.
    assert response.status_code in {302, 403} and not page.live
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS


def test_the_rule_can_be_turned_off(calls, moderator, settings):
    settings.HADAF_APPROVAL_BY_ANOTHER_PERSON = False
    page, state = submitted_call(calls, moderator)
    task = state.current_task_state.task.specific
    assert "approve" in [name for name, *_rest in task.get_actions(page, moderator)]


def test_the_seed_gives_editing_and_approving_to_two_people():
    from participation.people.demo import seed_accounts

    accounts = seed_accounts()
    editor, moderator = accounts["editor"], accounts["moderator"]
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]
    assert moderator.email == "moderator@hadaf.test" and moderator.is_staff
