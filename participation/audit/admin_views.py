"""The audit log in the Wagtail admin: read-only, filtered by action, editor, call and date."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from participation.forms import JalaliDateField

from . import permissions
from .choices import AuditAction
from .models import AuditEvent

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices]
    )
    actor = forms.TypedChoiceField(label=_("Editor"), required=False, coerce=int, empty_value=None)
    call = forms.IntegerField(label=_("Call page id"), required=False, min_value=1)
    since = JalaliDateField(label=_("From"), required=False)
    until = JalaliDateField(label=_("Until"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor_ids = AuditEvent.objects.exclude(actor=None).values("actor")
        editors = get_user_model().objects.filter(pk__in=actor_ids).order_by("pk")
        self.fields["actor"].choices = [
            ("", _("All")),
            *((editor.pk, editor.get_full_name() or editor.get_username()) for editor in editors),
        ]


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_events(data):
    """Audit events narrowed by a valid filter form's ``cleaned_data``."""
    events = AuditEvent.objects.select_related("target_type")
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("actor"):
        events = events.filter(actor_id=data["actor"])
    if data.get("call"):
        call_key = Page.objects.filter(pk=data["call"]).values("translation_key")
        events = events.filter(call_key__in=call_key)
    if data.get("since"):
        events = events.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        events = events.filter(created_at__lt=_day_start(data["until"] + datetime.timedelta(1)))
    return events


@require_GET
def audit_log(request):
    """Newest events first; nothing here changes or removes an event."""
    if not permissions.can_view_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = filtered_events(form.cleaned_data if form.is_valid() else {})
    paginator = Paginator(events, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    calls = Page.objects.in_bulk({event.call_page_id for event in page_obj if event.call_page_id})
    for event in page_obj:
        event.call_page = calls.get(event.call_page_id)
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "filter_form": form,
        "paginator": paginator,
        "page_obj": page_obj,
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "participation/audit/admin/audit_log.html", context)
