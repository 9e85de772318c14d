"""The editor's "republish results" in the Wagtail admin.

After excluding responses (or counting them again), an editor may ask public results to
catch up without waiting for the next batch of responses. It moves only what batches allow
(:func:`.disclosure.republish`): a question moves when at least a batch of people's answers
came in or went out since its published state, so republishing right after excluding one
response shows nothing of that response. Written to the page's Wagtail history and the
``hadaf.report`` logger.
"""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from participation.access import call_for_editor
from participation.choices import CallKind

from . import aggregates, disclosure
from .models import PublishedSnapshot

logger = logging.getLogger("hadaf.report")

REPUBLISHED_ACTION = "hadaf.results_republished"


def _survey(request, page_id):
    return call_for_editor(request, page_id, CallKind.SURVEY, "republish results")


def republish(request, page_id):
    """GET: what republishing does; POST: republish, or say why nothing can move yet."""
    page = _survey(request, page_id)
    threshold = aggregates.min_group()
    if request.method == "POST":
        publication = disclosure.republish(page, threshold)
        if publication.changed:
            log(
                instance=page,
                action=REPUBLISHED_ACTION,
                user=request.user,
                data={"moved": publication.moved, "held": publication.held},
            )
            logger.info("%s page %s by user %s", REPUBLISHED_ACTION, page.pk, request.user.pk)
            messages.success(request, _republished_message(publication))
        else:
            messages.warning(
                request,
                ngettext(
                    "Public results were not changed: no question has had at least %(batch)s "
                    "person's answers added or taken away since it was last published.",
                    "Public results were not changed: no question has had at least %(batch)s "
                    "people's answers added or taken away since it was last published.",
                    disclosure.batch_size(threshold),
                )
                % {"batch": disclosure.batch_size(threshold)},
            )
        return redirect(reverse("hadaf_results_admin:republish", args=[page.pk]))
    snapshot = PublishedSnapshot.objects.filter(call_key=page.call_key).first()
    context = {
        "page": page,
        "snapshot": snapshot,
        "batch": disclosure.batch_size(threshold),
        "public": aggregates.results_visible_to_public(page),
    }
    return TemplateResponse(request, "participation/admin/republish_results.html", context)


def _republished_message(publication):
    if not publication.held:
        return _("Public results were republished.")
    return ngettext(
        "Public results were republished; %(held)s question waits until at least a batch of "
        "people's answers to it has changed.",
        "Public results were republished; %(held)s questions wait until at least a batch of "
        "people's answers to them has changed.",
        publication.held,
    ) % {"held": publication.held}
