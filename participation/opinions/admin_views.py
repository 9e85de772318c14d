"""The moderators' queue of participants' statements in the Wagtail admin.

One screen lists the statements participants added to the surveys and drafts the person
may edit: waiting ones (pre-moderation) to publish or remove, published ones to remove
(post-moderation). Wagtail's page permissions decide who may act, as for the drafts'
comment queue; a refusal is a 403 logged to ``hadaf.security``. The decision is
``services.moderate_from_queue``, audited in its transaction.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import permission_denied
from wagtail.admin import messages

from participation.calls import call_page_model
from participation.choices import CallKind, ModerationState
from participation.errors import Refused
from participation.lifecycle import editable_calls
from participation.security import log_refusal

from . import services
from .models import Statement

PER_PAGE = 30
KINDS = (CallKind.SURVEY, CallKind.DRAFT)


def editable_conversations(user):
    """Every language version of every survey and draft ``user`` may edit."""
    pages = []
    for kind in KINDS:
        pages.extend(editable_calls(user, call_page_model(kind)).defer_streamfields())
    return pages


def _editable_keys(user):
    """Subqueries of the ``translation_key`` of every survey and draft ``user`` may edit:
    the admin menu asks on every page, so no page is loaded (their number grows)."""
    return [editable_calls(user, call_page_model(kind)).values("translation_key") for kind in KINDS]


def edits_conversations(user):
    """Whether ``user`` may edit some survey or draft (one query per kind, no page loaded)."""
    return any(keys.exists() for keys in _editable_keys(user))


def waiting_statements(user):
    """Participants' statements awaiting a moderator on the calls ``user`` may edit."""
    on_editable = Q()
    for keys in _editable_keys(user):
        on_editable |= Q(call_key__in=keys)
    return Statement.objects.filter(
        on_editable, seeded_by_editor=False, moderation_state=ModerationState.PENDING
    )


def _safe_next(request, fallback):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


@require_GET
def moderation_queue(request):
    """Participants' statements, waiting first by default, filterable by state and call."""
    calls = sorted(editable_conversations(request.user), key=lambda page: page.pk)
    by_key = {}
    for page in calls:  # one page per call: the first language version found
        by_key.setdefault(page.translation_key, page)
    statements = Statement.objects.filter(
        call_key__in=by_key, seeded_by_editor=False, moderation_state__in=services.QUEUE_STATES
    )
    state = request.GET.get("state", ModerationState.PENDING)
    if state in services.QUEUE_STATES:
        statements = statements.filter(moderation_state=state)
    else:
        state = ""
    chosen = None
    wanted = request.GET.get("call", "")
    if wanted.isdigit():
        chosen = next((page for page in by_key.values() if page.pk == int(wanted)), None)
    if chosen is not None:
        statements = statements.filter(call_key=chosen.translation_key)
    statements = statements.select_related("author").order_by("-created_at", "-pk")
    paginator = Paginator(statements, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "items": [(statement, by_key[statement.call_key]) for statement in page_obj],
        "page_obj": page_obj,
        "paginator": paginator,
        "query": query.urlencode(),
        "calls": sorted(by_key.values(), key=lambda page: page.title),
        "filters": {"state": state, "call": chosen.pk if chosen else ""},
        "state_choices": [
            (ModerationState.PENDING.value, ModerationState.PENDING.label),
            (ModerationState.PUBLISHED.value, ModerationState.PUBLISHED.label),
        ],
        "full_path": request.get_full_path(),
    }
    return TemplateResponse(request, "participation/opinions/admin/moderation_queue.html", context)


@require_POST
def moderate_statement(request, statement_uuid):
    """Publish (``action=publish``) or remove (``action=remove``) a participant's statement.

    People who may not edit the statement's call get a 403, whatever their other rights.
    """
    statement = get_object_or_404(Statement, uuid=statement_uuid, seeded_by_editor=False)
    call = next(
        (
            page
            for page in editable_conversations(request.user)
            if page.translation_key == statement.call_key
        ),
        None,
    )
    if call is None:
        log_refusal(request, "statement moderation", statement=statement_uuid)
        return permission_denied(request, PermissionDenied())
    back = _safe_next(request, reverse("hadaf_opinions:moderation"))
    action = request.POST.get("action")
    if action not in ("publish", "remove"):
        messages.error(request, _("Choose whether to publish or remove the statement."))
        return redirect(back)
    try:
        moderated = services.moderate_from_queue(
            request.user, statement, call=call, approve=action == "publish"
        )
    except Refused as refusal:
        log_refusal(request, "statement moderation", statement=statement_uuid)
        messages.error(request, refusal.message)
        return redirect(back)
    if moderated is None:
        messages.warning(request, _("This statement was already moderated; nothing changed."))
    elif action == "publish":
        messages.success(request, _("The statement is published."))
    else:
        messages.success(request, _("The statement was removed."))
    return redirect(back)
