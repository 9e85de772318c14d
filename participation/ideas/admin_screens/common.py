"""What the idea screens share: who may use them, the calls an editor may edit, URLs, codes."""

import functools
import logging

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import permission_denied

from participation import lifecycle
from participation.calls import call_page_model
from participation.choices import CallKind

from ..choices import IdeaStatus
from ..models import Idea

logger = logging.getLogger("hadaf.ideas")

MAX_REASON_LENGTH = 2000


# Statuses an editor moves submissions to (draft → submitted is the authors' step).
EDITOR_TARGETS = [
    status for status in IdeaStatus if status not in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED)
]
# The steps offered on the list (screening) and on the ranking (choosing the winners).
SCREENING_TARGETS = [IdeaStatus.IN_REVIEW, IdeaStatus.INELIGIBLE]
RANKING_TARGETS = [
    IdeaStatus.SHORTLISTED,
    IdeaStatus.WINNER,
    IdeaStatus.HONOURABLE_MENTION,
    IdeaStatus.NOT_SELECTED,
    IdeaStatus.IN_REVIEW,
]


def editable_calls(user):
    """Every language version of every idea call ``user`` may edit."""

    return lifecycle.editable_calls(user, call_page_model(CallKind.IDEA))


def awaiting_screening(user):
    """The submissions awaiting screening on the idea calls ``user`` may edit."""
    keys = editable_calls(user).values("translation_key")
    return Idea.objects.filter(call_key__in=keys, status=IdeaStatus.SUBMITTED)


def editors_only(view):
    """Answer 403 to people who may not edit the call (Wagtail would redirect them home)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            logger.warning(
                "refused %s to user %s: %s", view.__name__, request.user.pk, request.path
            )
            return permission_denied(request, denied)

    return wrapped


def submissions_of(page):
    """The call's submissions editors handle: every language, drafts left to their authors."""
    return Idea.objects.filter(call_key=page.call_key).exclude(status=IdeaStatus.DRAFT)


def safe_next(request, fallback):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def list_url(page):
    return reverse("hadaf_ideas:submissions", args=[page.pk])


def detail_url(page, idea):
    return reverse("hadaf_ideas:submission", args=[page.pk, idea.uuid])


def jury_url(page):
    return reverse("hadaf_ideas:jury", args=[page.pk])


def short_code(idea):
    """The first block of the idea's uuid: enough to tell submissions apart on screen."""
    return str(idea.uuid).split("-")[0]


def status_choices(statuses):
    return [(status.value, status.label) for status in statuses]
