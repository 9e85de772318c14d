"""Editors' forms: awarding an incentive by hand, revoking a certificate, filtering lists."""

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation.choices import IncentiveKind
from participation.emails import canonical_email, validate_email_identity
from participation.lifecycle import CallPageMixin
from participation.people.models import Organization

from .choices import CertificateStatus
from .models import Award
from .services import MAX_REASON_LENGTH, MAX_REVOKE_REASON_LENGTH

PERSON, ORGANIZATION = "person", "organization"


def call_pages():
    """Every call page (survey, draft, idea call), one version each (the site's language
    first), newest first."""
    from wagtail.models import get_page_models

    call_models = [model for model in get_page_models() if issubclass(model, CallPageMixin)]
    pages = Page.objects.type(*call_models).order_by("-first_published_at", "-pk")
    chosen = {}
    for page in pages.select_related("locale").only(
        "id", "title", "translation_key", "locale__language_code", "first_published_at"
    ):
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == settings.LANGUAGE_CODE
            and current.locale.language_code != settings.LANGUAGE_CODE
        ):
            chosen[page.translation_key] = page
    return list(chosen.values())


class AwardForm(forms.Form):
    """Award an incentive to a person (by email) or an organization, with a certificate."""

    recipient_type = forms.ChoiceField(
        label=_("Recipient"),
        choices=[(PERSON, _("A person")), (ORGANIZATION, _("An organization"))],
        initial=PERSON,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("The email address of the person's account."),
        # A look-alike could match an impostor's account stored before look-alikes were refused.
        validators=[validate_email_identity],
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(verified_at__isnull=False),
        required=False,
        help_text=_("Only verified organizations can receive awards."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IncentiveKind.choices)
    call = forms.TypedChoiceField(
        label=_("Call"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty for an award outside any call."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        help_text=_(
            "What the award is for, as the certificate will say, e.g. “Winner of the "
            "festival's culture theme”."
        ),
    )
    amount = forms.IntegerField(label=_("Amount (rials)"), min_value=0, required=False)
    points = forms.DecimalField(
        label=_("Promotion points"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    issue_certificate = forms.BooleanField(
        label=_("Issue a certificate"), required=False, initial=True
    )
    # Submitting the same form twice (a double click, a refresh) records one award.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = {page.pk: page for page in call_pages()}
        self.fields["call"].choices = [("", "—")] + [
            (page.pk, page.title) for page in self.pages.values()
        ]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_email(self):
        return canonical_email(self.cleaned_data.get("email") or "")

    def clean(self):
        data = super().clean()
        if data.get("recipient_type") == PERSON:
            email = data.get("email")
            if not email:
                self.add_error("email", _("Enter the person's email address."))
            else:
                person = get_user_model().objects.by_email(email).first()
                if person is None:
                    self.add_error("email", _("No account has this email address."))
                data["recipient"] = person
        elif data.get("recipient_type") == ORGANIZATION:
            if data.get("organization") is None:
                self.add_error("organization", _("Choose the organization."))
            data["recipient"] = data.get("organization")
        data["call_page"] = self.pages.get(data.get("call")) if data.get("call") else None
        if data.get("call") and data["call_page"] is None:
            self.add_error("call", _("Choose a call from the list."))
        return data

    @property
    def source(self):
        return f"manual:{self.cleaned_data['token']}"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=MAX_REVOKE_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the log; the public verification page shows only the date."),
    )


class AwardFilterForm(forms.Form):
    """Filters of the awards and certificates lists."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All"))] + IncentiveKind.choices, required=False
    )
    call = forms.ChoiceField(label=_("Call"), required=False)
    status = forms.ChoiceField(
        label=_("Certificate"),
        choices=[("", _("All")), ("none", _("No certificate"))] + CertificateStatus.choices,
        required=False,
    )
    q = forms.CharField(label=_("Name or email"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        calls = (
            Award.objects.exclude(call_key=None)
            .values_list("call_key", "call_title")
            .order_by("call_title")
            .distinct()
        )
        seen = {}
        for key, title in calls:
            seen.setdefault(str(key), title)
        self.fields["call"].choices = [("", _("All"))] + sorted(
            seen.items(), key=lambda item: item[1]
        )
