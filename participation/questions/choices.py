from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    """The question types; the value is the block name in ``QuestionStreamBlock``."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    LIKERT = "likert", _("Likert scale")
    RATING = "rating", _("Rating 0–10")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date (Solar Hijri)")
    RANKING = "ranking", _("Ranking")
    MATRIX = "matrix", _("Matrix (statements × scale)")
    CONSENT = "consent", _("Consent")
