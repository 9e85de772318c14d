"""The editor's forms: a frame, an import of its counts, a survey's measurement setting."""

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.persian import format_number, localize_digits, to_latin_digits

from .choices import RESPONDENT_DIMENSIONS, Dimension
from .models import (
    DEFAULT_TRIM_CAP,
    MAX_REFERENCE_YEAR,
    MIN_REFERENCE_YEAR,
    MIN_TRIM_CAP,
    PopulationFrame,
)

MAX_TRIM_CAP = 100.0


class FrameForm(forms.ModelForm):
    class Meta:
        model = PopulationFrame
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ImportForm(forms.Form):
    reference_year = forms.CharField(
        label=_("Reference year (Solar Hijri)"),
        max_length=8,
        help_text=_("The Solar Hijri year the counts refer to, for example ۱۴۰۴."),
    )
    file = forms.FileField(
        label=_("XLSX or CSV file"),
        help_text=_(
            "A header row with the columns university (دانشگاه), role (نقش), gender (جنسیت), "
            "degree level (مقطع) and count (تعداد), then one row per group of people."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_year"].initial = localize_digits(jdatetime.date.today().year)

    def clean_reference_year(self):
        text = to_latin_digits(self.cleaned_data["reference_year"]).strip()
        if not text.isdigit() or not MIN_REFERENCE_YEAR <= int(text) <= MAX_REFERENCE_YEAR:
            raise ValidationError(
                _("Write a Solar Hijri year between %(low)s and %(high)s."),
                params={
                    "low": localize_digits(MIN_REFERENCE_YEAR),
                    "high": localize_digits(MAX_REFERENCE_YEAR),
                },
                code="year",
            )
        return int(text)


class MeasurementForm(forms.Form):
    frame = forms.ModelChoiceField(
        label=_("Population frame"), queryset=PopulationFrame.objects.all(), empty_label=None
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions"),
        choices=[(value, Dimension(value).label) for value in RESPONDENT_DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What respondents are compared with the population on. Responses record their "
            "role and university; gender and degree level are counted in frames but not yet "
            "asked of respondents."
        ),
    )
    trim_cap = forms.CharField(
        label=_("Largest weight (times the average)"),
        max_length=8,
        help_text=_(
            "No respondent's weight may exceed this multiple of the average weight. Lower "
            "trims more: steadier estimates, margins met less exactly."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trim_cap"].initial = format_number(f"{DEFAULT_TRIM_CAP:g}")

    def clean_trim_cap(self):
        text = to_latin_digits(self.cleaned_data["trim_cap"]).replace("٫", ".").strip()
        try:
            cap = float(text)
        except ValueError:
            cap = None
        if cap is None or not MIN_TRIM_CAP <= cap <= MAX_TRIM_CAP:
            raise ValidationError(
                _("Write a number from %(low)s to %(high)s."),
                params={
                    "low": format_number(f"{MIN_TRIM_CAP:g}"),
                    "high": format_number(f"{MAX_TRIM_CAP:g}"),
                },
                code="cap",
            )
        return cap
