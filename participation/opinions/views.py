"""The statements block as a plain form: one statement, three buttons, POST/redirect/GET.

Works without JavaScript: the vote is a form whose three submit buttons carry the value;
after a vote the person is sent back to ``statements`` (the next statement). The call
page is found by its ``call_key`` among the live pages (any of its translations, the
request's language first) without importing ``pages``.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from participation.access import sign_in_url
from participation.eligibility import check_eligibility
from participation.errors import Refused
from participation.protection.guard import guard

from . import services
from .choices import VoteValue
from .forms import StatementForm
from .models import Statement

TEMPLATE = "participation/opinions/statements.html"


def call_for(request, call_key):
    """The live call page of ``call_key`` with a statements block that ``request`` may see
    (a page's view restrictions hold here as on the page), else 404."""
    pages = Page.objects.live().filter(translation_key=call_key)
    page = pages.filter(locale__language_code=translation.get_language()).first() or pages.first()
    if page is None:
        raise Http404
    page = page.specific
    if getattr(page, "call_kind", None) is None or not services.has_statements(call_key):
        raise Http404
    if not all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        raise Http404
    return page


def _here(call_key):
    return reverse("opinions:statements", args=[call_key])


def conversation_context(request, call, *, form=None, on_page=False):
    """What the statements templates show ``request``'s visitor about ``call``'s
    conversation: why they cannot take part, or the next statement, their progress and
    the form to add one. ``on_page``: shown in the call page's block, whose forms bring
    the person back to the page."""
    eligibility = check_eligibility(request.user, call)
    refusal = services.statements_refusal(call)
    context = {
        "call": call,
        "refusal": refusal,
        "eligibility": eligibility,
        "conversation_open": services.has_statements(call.call_key),
        "sign_in_url": sign_in_url(request.get_full_path()),
        "on_page": on_page,
        "may_add": services.allows_additions(call),
        "choices": [
            (VoteValue.AGREE, _("Agree")),
            (VoteValue.DISAGREE, _("Disagree")),
            (VoteValue.PASS, _("Pass")),
        ],
    }
    if eligibility and not refusal:
        voted, total = services.progress(call.call_key, request.user)
        context.update(
            statement=services.next_statement(call.call_key, request.user),
            voted=voted,
            total=total,
            form=form or StatementForm(),
        )
    return context


def _render(request, call, form=None, status=200):
    context = conversation_context(request, call, form=form)
    context["page"] = call
    return render(request, TEMPLATE, context, status=status)


def _back(request, call):
    """Where to go after a POST: the call page's block when the form came from it."""
    if request.POST.get("return_to") == "page":
        return HttpResponseRedirect(call.get_url(request) + "#statements")
    return HttpResponseRedirect(_here(call.call_key))


@never_cache
@require_GET
def statements(request, call_key):
    """The next statement to vote on, with how far the person has got, and the add form."""
    return _render(request, call_for(request, call_key))


@never_cache
@require_POST
def vote(request, call_key):
    """Record a vote, then back to the next statement (POST/redirect/GET)."""
    call = call_for(request, call_key)
    if (refusal := guard(request, "statement_vote")) is not None:
        return refusal
    try:
        statement_uuid = uuid.UUID(request.POST.get("statement", ""))
    except ValueError:
        statement_uuid = None
    statement = Statement.objects.filter(call_key=call_key, uuid=statement_uuid).first()
    if statement is None:
        messages.error(request, _("This statement cannot be voted on."))
        return _back(request, call)
    try:
        services.vote(request.user, statement, request.POST.get("value"), call=call)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return _back(request, call)


@never_cache
@require_POST
def add(request, call_key):
    """A participant's statement: through moderation, then back to the statements."""
    call = call_for(request, call_key)
    if (refusal := guard(request, "statement")) is not None:
        return refusal
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _render(request, call, form=form, status=400)
    try:
        statement = services.add_statement(request.user, call, form.cleaned_data["text"])
    except Refused as refusal:
        form.add_error("text", refusal.message)
        return _render(request, call, form=form, status=400)
    if statement.is_public:
        messages.success(request, _("Thank you: your statement is now part of the conversation."))
    else:
        messages.success(
            request,
            _("Thank you: your statement will be shown to others once a moderator approves it."),
        )
    return _back(request, call)
