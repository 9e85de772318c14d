"""The page editor's form for the call types with a questionnaire (surveys, idea calls)."""

from participation.forms import CallPageForm

from .locking import locking_conflicts, locking_error


class QuestionnairePageForm(CallPageForm):
    """:class:`CallPageForm` that also refuses question edits orphaning answers."""

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
