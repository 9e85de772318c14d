"""The participant's form for a new statement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.protection.traps import BotTrapForm

from .models import MAX_STATEMENT_LENGTH


class StatementForm(BotTrapForm):
    """A new statement: one short sentence others can agree or disagree with."""

    text = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_STATEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "One short sentence others can agree or disagree with, at most 140 characters."
        ),
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the form also sits in a call page beside the page's other forms.
        kwargs.setdefault("auto_id", "statement_%s")
        super().__init__(*args, **kwargs)
