"""The forms: registering an organization, inviting a member, withdrawing a verification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.choices import OrganizationKind
from participation.emails import validate_email_identity
from participation.forms import PersianTextField
from participation.people.models import University
from participation.people.names import normalize_name
from participation.protection.traps import BotTrapForm

from . import services

DESCRIPTION_MAX_LENGTH = 2000


class RegistrationForm(BotTrapForm):
    """Name, kind, university, a short description and a phone number for editors."""

    name = PersianTextField(
        label=_("Organization name"),
        max_length=200,
        help_text=_("As it appears in the university's records."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OrganizationKind.choices, widget=forms.RadioSelect
    )
    university = forms.ModelChoiceField(
        label=_("University"),
        queryset=University.objects.all(),
        empty_label=_("Choose a university"),
    )
    description = PersianTextField(
        label=_("About the organization"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What it does and who runs it, so that an editor can confirm it. "
            "Editors see this; it is not published."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        help_text=_("Optional. An editor may call to confirm the registration."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_name(self):
        name = normalize_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter the organization's name."))
        return name

    def clean_contact_phone(self):
        try:
            return services.normalize_phone(self.cleaned_data["contact_phone"])
        except services.Refused as refusal:
            raise forms.ValidationError(refusal.message) from None

    def clean(self):
        data = super().clean()
        name, university = data.get("name"), data.get("university")
        if name and university and services.name_taken(name, university):
            self.add_error(
                "name",
                _("An organization called “%(name)s” is already registered at %(university)s.")
                % {"name": name, "university": university},
            )
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        help_text=_("They join once they accept, signed in with this address."),
        validators=[validate_email_identity],  # services.invite checks too, for other callers
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history with your name."),
    )
