"""The "did we hear you?" form: a score 1–5 and optional words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import PersianTextField
from participation.persian import format_number

from .hearing import SCORE_LABELS
from .models import HEARD_SCORES, HEARD_TEXT_LENGTH


def score_choices():
    """[(score, "۴ — Mostly")] in the active language's digits."""
    return [
        (str(score), f"{format_number(score)} — {SCORE_LABELS[score]}") for score in HEARD_SCORES
    ]


class HeardForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well did the outcome respond to what you said?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )
    text = PersianTextField(
        label=_("Anything you would like to add (optional)"),
        required=False,
        max_length=HEARD_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the ministry's editors read this, without your name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = score_choices()
