"""Who may see a submission and its files: its authors, its assigned jurors, the call's editors.

Anyone else gets a 404, as if the submission did not exist, and the attempt is logged
to the ``hadaf.security`` logger (changing ids in a URL is how files leak).
"""

import logging

from wagtail.models import Page

from .choices import AssignmentStatus, CoAuthorStatus
from .models import IdeaAuthor, ReviewAssignment

security_log = logging.getLogger("hadaf.security")


def is_author(idea, user):
    """An author who accepted (the lead author always has)."""
    if not user.is_authenticated:
        return False
    return IdeaAuthor.objects.filter(
        idea=idea, person=user, status=CoAuthorStatus.ACCEPTED
    ).exists()


def is_assigned_juror(idea, user):
    """A juror assigned to review it who has not recused themselves."""
    if not user.is_authenticated:
        return False
    return (
        ReviewAssignment.objects.filter(idea=idea, reviewer=user)
        .exclude(status=AssignmentStatus.RECUSED)
        .exists()
    )


def call_page(idea):
    """The specific call page the submission belongs to (any language version)."""
    page = idea.call.specific if idea.call_id else None
    if page is None:
        page = Page.objects.filter(translation_key=idea.call_key).first()
        page = page.specific if page else None
    return page


def is_editor(idea, user, page=None):
    """Someone who may edit the call's page: the call's editors and moderators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    page = page or call_page(idea)
    return page is not None and page.permissions_for_user(user).can_edit()


def can_view(idea, user):
    return is_author(idea, user) or is_editor(idea, user) or is_assigned_juror(idea, user)
