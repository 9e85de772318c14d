"""Commitments in the Wagtail admin: a ModelViewSet whose saves go through the services.

The form adds what is not a column: the sources to cite (what the call offers, through
``participation.sources``), the reason for dropping or delaying (shown to the public) and
the public date of the update. Saving calls ``services``, which write the update, the
audit row and queue the contributors' notices; a refusal comes back as a form error.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.models import Page

from participation import sources
from participation.errors import Refused
from participation.forms import PersianTextField
from participation.jalali import AdminDateColumn, JalaliDateFormField, JalaliDateInput
from participation.persian import localize_digits
from participation.sources import SourceRef

from . import effectiveness, hearing, services, tasks
from .choices import CommitmentStatus
from .models import Commitment, FigureScope

CALL_PAGE_TYPES = ["pages.SurveyCampaignPage", "pages.RegulationDraftPage", "pages.IdeaCallPage"]


class CommitmentForm(WagtailAdminModelForm):
    """The commitment's fields, what it cites, and the reason and date of this change."""

    cited = forms.MultipleChoiceField(
        label=gettext_lazy("What led to it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Accepted decisions and comments, shortlisted and awarded ideas, survey questions "
            "of the chosen call. Choose the call and save to see them."
        ),
    )
    reason = PersianTextField(
        label=gettext_lazy("Reason (shown to the public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to drop the commitment or to move its due date later."),
    )
    update_date = JalaliDateFormField(
        label=gettext_lazy("Date of this update"),
        required=False,
        widget=JalaliDateInput(),
        help_text=gettext_lazy("Left empty: today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self._call_page()
        candidates = sources.candidates(page) if page is not None else []
        choices = {ref.token: label for ref, label in candidates}
        if self.instance.pk:
            current = [source.ref for source in self.instance.sources.all()]
            described = sources.describe(current)
            for ref in current:
                if ref.token not in choices:
                    info = described.get(ref)
                    choices[ref.token] = info.label if info else ref.token
            self.fields["cited"].initial = [ref.token for ref in current]
        self.fields["cited"].choices = list(choices.items())

    def _call_page(self):
        """The call whose contributions may be cited: as posted, saved, or asked for."""
        page_id = None
        if self.is_bound:
            page_id = self.data.get(self.add_prefix("call"))
        if not page_id and self.instance.call_id:
            page_id = self.instance.call_id
        if not page_id:
            page_id = self.initial.get("call")
        if not str(page_id or "").isdigit():
            return None
        page = Page.objects.filter(pk=page_id).first()
        return page.specific if page is not None else None

    def clean(self):
        """The services' rules that the model's constraints also hold, said in Persian
        before the model validates (its constraints would answer "Constraint … is violated"
        in English); "done" is 100% done, as the services make it."""
        cleaned = super().clean()
        probe = Commitment(
            progress=cleaned.get("progress"),
            responsible_unit=cleaned.get("responsible_unit") or "",
            university=cleaned.get("university"),
            status=cleaned.get("status"),
        )
        if probe.status == CommitmentStatus.DONE:
            probe.progress = cleaned["progress"] = 100
        # On the field: a field with an error is left out of the model's own checks.
        for field, check in (
            ("progress", services.check_progress),
            ("responsible_unit", services.check_carried_out),
        ):
            try:
                check(probe)
            except Refused as refusal:
                self.add_error(field, refusal.message)
        try:
            services.check_update_date(cleaned.get("update_date"))
        except Refused as refusal:
            self.add_error("update_date", refusal.message)
        return cleaned

    def cited_refs(self):
        return [SourceRef.from_token(token) for token in self.cleaned_data.get("cited", [])]


class ServiceSaveMixin:
    """Refusals from the services are shown on the form; nothing was saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            form.add_error(None, refusal.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class CommitmentCreateView(ServiceSaveMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        call = self.request.GET.get("call", "")
        if call.isdigit():
            initial["call"] = int(call)
        return initial

    def save_instance(self):
        form = self.form
        commitment = form.save(commit=False)
        services.create_commitment(
            self.request.user,
            commitment,
            refs=form.cited_refs(),
            reason=form.cleaned_data.get("reason", ""),
            date=form.cleaned_data.get("update_date"),
        )
        log(instance=commitment, action="wagtail.create", user=self.request.user)
        return commitment


class CommitmentEditView(ServiceSaveMixin, generic.EditView):
    def save_instance(self):
        form = self.form
        commitment = form.save(commit=False)
        services.change_commitment(
            self.request.user,
            commitment,
            reason=form.cleaned_data.get("reason", ""),
            date=form.cleaned_data.get("update_date"),
        )
        services.cite(self.request.user, commitment, form.cited_refs())
        log(instance=commitment, action="wagtail.edit", user=self.request.user)
        return commitment

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object and self.object.pk:
            buttons.append(
                HeaderButton(
                    label=_("Publish news"),
                    url=reverse("commitments:news", args=[self.object.pk]),
                    icon_name="doc-full",
                )
            )
        return buttons


class CommitmentIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                label=_("Did we hear you?"),
                url=reverse("commitments:heard"),
                icon_name="view",
            ),
        ]


class NewsForm(forms.Form):
    text = PersianTextField(
        label=gettext_lazy("News (shown to the public)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    date = JalaliDateFormField(label=gettext_lazy("Date"), required=False, widget=JalaliDateInput())

    def clean_date(self):
        date = self.cleaned_data.get("date")
        try:
            services.check_update_date(date)
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return date


class CommitmentViewSet(ModelViewSet):
    """Editors make commitments after an outcome and keep them up to date."""

    model = Commitment
    icon = "tasks"
    menu_label = gettext_lazy("Commitments")
    add_to_admin_menu = True
    menu_order = 272
    index_view_class = CommitmentIndexView
    add_view_class = CommitmentCreateView
    edit_view_class = CommitmentEditView
    copy_view_enabled = False
    list_display = [
        "title",
        "call",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "progress",
            label=gettext_lazy("Progress (percent)"),
            accessor=lambda commitment: localize_digits(commitment.progress),
        ),
        Column("unit_label", label=gettext_lazy("Responsible")),
        AdminDateColumn("due_date", label=gettext_lazy("Due date")),
        AdminDateColumn("updated_at", label=gettext_lazy("Updated")),
    ]
    list_filter = ["status", "call_kind", "university"]
    list_per_page = 25
    search_fields = ["title", "responsible_unit"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            PageChooserPanel("call", CALL_PAGE_TYPES),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("responsible_unit"), FieldPanel("university")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
                    FieldPanel("due_date"),
                    FieldPanel("reason"),
                    FieldPanel("update_date"),
                ],
                heading=gettext_lazy("Where it stands"),
            ),
            FieldPanel("cited"),
            InlinePanel(
                "milestones", heading=gettext_lazy("Milestones"), label=gettext_lazy("Milestone")
            ),
        ],
        base_form_class=CommitmentForm,
    )

    def get_queryset(self, request):
        return Commitment.objects.select_related("call", "university")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/news/", self.news_view, name="news"),
            path("heard/", self.heard_view, name="heard"),
        ]

    def heard_view(self, request):
        """ "Did we hear you?" per call, for editors: the aggregates with small groups
        hidden, and the contributors' words without their names or scores."""
        if not self.permission_policy.user_has_any_permission(request.user, ["add", "change"]):
            raise PermissionDenied
        summaries, words = hearing.editor_summaries()
        pages = {}
        for page in Page.objects.filter(translation_key__in=list(summaries)).order_by("pk"):
            pages.setdefault(page.translation_key, page)
        calls = sorted(
            (
                {
                    "key": key,
                    "page": pages.get(key),
                    "summary": summary,
                    "words": words.get(key, []),
                }
                for key, summary in summaries.items()
            ),
            key=lambda call: call["page"].title if call["page"] else "",
        )
        return TemplateResponse(
            request,
            "participation/impact/admin/heard.html",
            {
                "calls": calls,
                "header_title": _("Did we hear you?"),
                "threshold": hearing.min_group(),
            },
        )

    def news_view(self, request, pk):
        """Publish a dated update in the editor's words (GET shows the form)."""
        commitment = get_object_or_404(Commitment, pk=pk)
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        form = NewsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.publish_news(
                    request.user,
                    commitment,
                    form.cleaned_data["text"],
                    date=form.cleaned_data.get("date"),
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The news is published."))
                return redirect(self.get_url_name("edit"), commitment.pk)
        return TemplateResponse(
            request,
            "participation/impact/admin/news.html",
            {
                "commitment": commitment,
                "form": form,
                "header_title": _("News of “%(title)s”") % {"title": commitment.title},
                "edit_url": reverse(self.get_url_name("edit"), args=[commitment.pk]),
            },
        )


EFFECTIVENESS_PERMISSION = "impact.view_effectiveness"


def can_see_effectiveness(user):
    """Ministry editors (the Editors group has the permission) and superusers."""
    return user.is_active and user.has_perm(EFFECTIVENESS_PERMISSION)


def effectiveness_view(request):
    """The effectiveness dashboard over every call; POST recounts it in the background."""
    if not can_see_effectiveness(request.user):
        raise PermissionDenied
    if request.method == "POST":
        tasks.refresh_effectiveness.enqueue()
        messages.success(request, _("The figures are being recounted."))
        return redirect("impact_effectiveness")
    return TemplateResponse(
        request,
        "participation/impact/admin/effectiveness.html",
        {
            "header_title": str(effectiveness.EDITORS_TITLE),
            "public_url": reverse("impact:effectiveness"),
            "body": effectiveness.body(FigureScope.EDITORS, reverse("impact_effectiveness_xlsx")),
        },
    )


def effectiveness_xlsx_view(request):
    """Every call's figures as a spreadsheet, for editors."""
    if not can_see_effectiveness(request.user):
        raise PermissionDenied
    return effectiveness.xlsx_response(effectiveness.dashboard(FigureScope.EDITORS))
