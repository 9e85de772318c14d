"""Forms and form fields shared by every feature: the call pages' admin form, and fields
for Persian text, numbers in any digits and Solar Hijri dates."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from . import bidi
from .bidi import without_overrides
from .choices import AudienceRole
from .jalali import jalali_text, parse_jalali_date
from .persian import format_number, localize_digits, to_latin_digits

# Arabic letters a Persian keyboard sometimes produces, folded to their Persian forms.
_FOLDED: dict[str | int, str | None] = {
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    # Free text loses bidi overrides and keeps LRM/RLM marks (see participation.bidi).
    **dict.fromkeys(map(ord, bidi.OVERRIDES)),
}
_PERSIAN_LETTERS = str.maketrans(_FOLDED)
# Larger numbers than any question needs would overflow the float the tally reads.
NUMBER_LIMIT = Decimal(10) ** 15
NUMBER_TEXT_LIMIT = 40


class CallPageForm(WagtailAdminPageForm):
    """The page editor's form for every call type."""

    audience_roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=AudienceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With “Chosen roles”: who may take part."),
    )


def normalize_text(value: str) -> str:
    """Light Persian normalisation of free text: Arabic ي/ك to ی/ک, no bidi overrides,
    trimmed, Unix newlines."""
    return value.translate(_PERSIAN_LETTERS).replace("\r\n", "\n").strip()


def normalize_text_input(value: str | None) -> str:
    """Participant text: Persian letter forms, Unix newlines, no bidi overrides, trimmed."""
    return normalize_text(without_overrides(value or ""))


def parse_number(value: str) -> Decimal | None:
    """A :class:`Decimal` from text in Persian, Arabic or Latin digits, or ``None``."""
    text = to_latin_digits(value).strip()
    text = text.replace("٫", ".").replace("٬", "").replace(",", "").replace("−", "-")
    if not text:
        return None
    if len(text) > NUMBER_TEXT_LIMIT:
        raise ValidationError(_("This number is too large."), code="too_large")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    if abs(number) >= NUMBER_LIMIT:
        raise ValidationError(_("This number is too large."), code="too_large")
    return number


class PersianTextField(forms.CharField):
    """Free text, trimmed and lightly normalised, with a Persian-digit length error."""

    def to_python(self, value: Any | None) -> str | None:
        value = super().to_python(value)
        return normalize_text(value) if value else value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                _("Write at most %(limit)s characters (you wrote %(count)s)."),
                code="max_length",
                params={
                    "limit": format_number(self.max_length),
                    "count": format_number(len(value)),
                },
            )


class LocalizedNumberField(forms.CharField):
    """A number typed with Persian, Arabic or Latin digits, within an optional range."""

    def __init__(
        self,
        *,
        min_value: int | float | Decimal | None = None,
        max_value: int | float | Decimal | None = None,
        whole_numbers: bool = False,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value, self.whole_numbers = min_value, max_value, whole_numbers
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "maxlength": 40})
        )
        super().__init__(**kwargs)

    # A number, not the text CharField cleans to (as Django's DecimalField does).
    def to_python(self, value: Any | None) -> Decimal | None:  # type: ignore[override]
        return parse_number(super().to_python(value) or "")

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if self.whole_numbers and value != value.to_integral_value():
            raise ValidationError(_("Enter a whole number."), code="whole")
        low, high = self.min_value, self.max_value
        if (low is not None and value < Decimal(str(low))) or (
            high is not None and value > Decimal(str(high))
        ):
            if low is not None and high is not None:
                message = _("Enter a number from %(min)s to %(max)s.")
            elif low is not None:
                message = _("Enter a number of at least %(min)s.")
            else:
                message = _("Enter a number of at most %(max)s.")
            raise ValidationError(
                message,
                code="range",
                params={"min": format_number(low or 0), "max": format_number(high or 0)},
            )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | float | int):
            return localize_digits(format(Decimal(str(value)).normalize(), "f"))
        return value


class JalaliDateField(forms.CharField):
    """A Solar Hijri date typed as year/month/day (Persian or Latin digits); cleans to a
    Gregorian :class:`datetime.date`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "dir": "ltr", "maxlength": 20, "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    # A date, not the text CharField cleans to.
    def to_python(self, value: Any | None) -> datetime.date | None:  # type: ignore[override]
        return parse_jalali_date(super().to_python(value))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return jalali_text(value)
        return value
