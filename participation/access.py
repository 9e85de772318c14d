"""Who may act on a call as its editor, and where people sign in: one rule for every feature.

Surveys, drafts and idea calls all ask the same two questions — may this person edit the
call (and so see everything an editor sees), and which call does an admin URL's page id
name — so they ask them here, not each in its own copy.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, resolve_url
from wagtail.models import Page

from .choices import CallKind
from .security import deny

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Wagtail's editorial groups (the demo editor is in both): their members manage incentives
# and organizations without a separate permission.
EDITORIAL_GROUPS = ("Editors", "Moderators")


def is_call_editor(user: "AbstractBaseUser | AnonymousUser | None", page: Page) -> bool:
    """Whether ``user`` may edit ``page``: an editor sees its complete, unsuppressed
    results, every comment and every submission."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return page.permissions_for_user(user).can_edit()


def call_for_editor(request: HttpRequest, page_id: int, kind: CallKind, what: str) -> Page:
    """The call page ``page_id`` of ``kind`` if the user may edit it.

    Args:
        request: the admin request; its user is checked and a refusal is logged.
        page_id: the page id from the URL.
        kind: the :class:`~participation.choices.CallKind` the screen works on.
        what: what the refusal log calls the page ("survey report", "idea call", …).

    Raises:
        Http404: no such page, or not a call of ``kind``.
        PermissionDenied: the user may not edit it (logged to ``hadaf.security``).
    """
    page = get_object_or_404(Page, id=page_id).specific
    if getattr(page, "call_kind", None) != kind:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise deny(request, what, page=page_id)
    return page


def sign_in_url(next_url: str) -> str:
    """The sign-in page, coming back to ``next_url``."""
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
