"""Four eyes on every call: the person who submitted a page for approval does not approve it.

Wagtail's group approval task lets any member of its groups approve, the submitter
included, so a moderator could submit their own call and then press «تأیید و انتشار» or
«انتشار». With ``HADAF_APPROVAL_BY_ANOTHER_PERSON`` on (the default):

* the task offers the person who started the workflow no action on it (no approve, no
  request changes): :func:`install` wraps ``get_actions`` of Wagtail's group approval
  tasks, which every approval path asks (the page editor's menu, the dashboard's
  buttons, the action views);
* while their submission waits, its submitter is not offered «انتشار» either, and a
  publish request they send anyway is refused (``wagtail_hooks.py``).

The wrapper changes no data (no new task type, no migration), so the workflow that
``0002_call_approval_workflow`` created keeps working unchanged.
"""

import functools

from django.conf import settings


def required():
    """Whether a page's approval must come from someone other than its submitter."""
    return getattr(settings, "HADAF_APPROVAL_BY_ANOTHER_PERSON", True)


def submitted_by(obj, user):
    """Whether ``user`` started the workflow now in progress on ``obj``."""
    if user is None or not user.is_authenticated:
        return False
    state = getattr(obj, "current_workflow_state", None)
    return state is not None and state.requested_by_id == user.pk


def refused(obj, user):
    """Whether ``user`` may not approve or publish ``obj`` now (their own submission)."""
    return required() and submitted_by(obj, user)


def _guarded(get_actions):
    @functools.wraps(get_actions)
    def get_actions_for_others(self, obj, user):
        if refused(obj, user):
            return []
        return get_actions(self, obj, user)

    get_actions_for_others.hadaf_separate_approver = True
    return get_actions_for_others


def install():
    """Wrap ``get_actions`` of Wagtail's group approval tasks (once; called at start-up)."""
    from wagtail.models import AbstractGroupApprovalTask, GroupApprovalTask

    for task_class in (AbstractGroupApprovalTask, GroupApprovalTask):
        current = task_class.__dict__.get("get_actions")
        if current is not None and not getattr(current, "hadaf_separate_approver", False):
            task_class.get_actions = _guarded(current)
