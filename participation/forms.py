"""Admin forms shared by call pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .choices import AudienceRole
from .questions.locking import locking_conflicts, locking_error


class CallPageForm(WagtailAdminPageForm):
    """The page editor's form for every call type."""

    audience_roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=AudienceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With “Chosen roles”: who may take part."),
    )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_questionnaire_lock(cleaned_data)
        return cleaned_data

    def clean_questionnaire_lock(self, cleaned_data):
        """Refuse question edits that would orphan answers once the call has responses."""
        if "questions" not in self.fields or cleaned_data.get("questions") is None:
            return
        submitted = cleaned_data["questions"]
        conflicts = locking_conflicts(self.instance, submitted)
        if conflicts:
            self.add_error("questions", locking_error(conflicts, submitted))
