"""Admin forms shared by call pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .choices import AudienceRole


class CallPageForm(WagtailAdminPageForm):
    """The page editor's form for every call type."""

    audience_roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=AudienceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With “Chosen roles”: who may take part."),
    )
