"""Dates typed and shown in the Jalali (Solar Hijri) calendar, in forms and in the admin.

One parser for every form that takes a date: :func:`parse_jalali_date` and
:func:`parse_jalali_datetime` read "1405/09/16" or "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰" (Persian, Arabic or
Latin digits) and return Gregorian values; impossible dates (1405/13/01, 1405/12/30 in a
common year) are refused with a translated error.

In the Wagtail admin, when the editor's language is Persian, every model ``DateField`` and
``DateTimeField`` (pages, inline panels, snippets, viewsets) and every StreamField date
block gets :class:`JalaliDateFormField`/:class:`JalaliDateTimeFormField` with
:class:`JalaliDateInput`/:class:`JalaliDateTimeInput`: the value is shown in Jalali with
Persian digits, a Jalali picker (the npm package ``@majidh1/jalalidatepicker``, served
from static/vendor) opens beside the text input, and typed Jalali is stored as Gregorian
(date-times in UTC, read in the current time zone, Asia/Tehran). Typed ISO Gregorian
(``2026-12-07 08:00``) is accepted too: a year from 1700 on cannot be a Jalali year an
editor means. In English the fields stay Wagtail's own Gregorian ones.
"""

import datetime
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import BaseRenderer
from django.forms.utils import from_current_timezone
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.telepath import register
from wagtail.admin.telepath.widgets import WidgetAdapter
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput
from wagtail.admin.widgets.datetime import AdminDateInputAdapter, AdminDateTimeInputAdapter

from participation.persian import is_persian, localize_digits, to_latin_digits, to_persian_digits

# Years from here on are Gregorian: the Solar Hijri calendar reaches 1700 only in 2321 AD.
GREGORIAN_FROM_YEAR = 1700

_DATE_SEPARATORS = re.compile(r"[/\-.\s]+")
_DATE_TIME = re.compile(
    r"^(?P<year>\d{1,4})[/\-.](?P<month>\d{1,2})[/\-.](?P<day>\d{1,2})"
    r"(?:(?:\s+|T|\s*[,،]\s*)(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2}))?"
    r"(?:\.\d+)?)?$"
)

DATE_FORMAT_MESSAGE = _("Write the date as year/month/day, for example ۱۴۰۵/۰۹/۰۳.")
DATETIME_FORMAT_MESSAGE = _(
    "Write the date and time as year/month/day hour:minute, for example ۱۴۰۵/۰۹/۱۶ ۰۸:۰۰."
)
NO_SUCH_JALALI_DATE_MESSAGE = _("This date does not exist in the Solar Hijri calendar.")
NO_SUCH_DATE_MESSAGE = _("This date does not exist.")
NO_SUCH_TIME_MESSAGE = _(
    "This time does not exist: write hours from 0 to 23 and minutes from 0 to 59."
)


def _gregorian_date(year: int, month: int, day: int, *, gregorian_years: bool) -> datetime.date:
    """The Gregorian date of a typed year/month/day, Jalali unless it is a Gregorian year."""
    try:
        if gregorian_years and year >= GREGORIAN_FROM_YEAR:
            return datetime.date(year, month, day)
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        message = (
            NO_SUCH_DATE_MESSAGE if year >= GREGORIAN_FROM_YEAR else NO_SUCH_JALALI_DATE_MESSAGE
        )
        raise ValidationError(message, code="invalid") from None


def parse_jalali_date(text: str | None, *, gregorian_years: bool = False) -> datetime.date | None:
    """Read a typed date: "۱۴۰۵/۰۹/۰۳", "1405-9-3" or "1405 09 03".

    Args:
        text: What was typed (Persian, Arabic-Indic or Latin digits).
        gregorian_years: Read years from 1700 on as Gregorian ("2026-12-07").

    Returns:
        datetime.date | None: The Gregorian date; None for empty text.

    Raises:
        ValidationError: The text is not a date, or the date does not exist.
    """
    text = to_latin_digits(text or "").strip()
    if not text:
        return None
    parts = [part for part in _DATE_SEPARATORS.split(text) if part]
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValidationError(DATE_FORMAT_MESSAGE, code="format")
    year, month, day = (int(part) for part in parts)
    return _gregorian_date(year, month, day, gregorian_years=gregorian_years)


def parse_jalali_datetime(
    text: str | None, *, gregorian_years: bool = True
) -> datetime.datetime | None:
    """Read a typed date and time: "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"; without a time, midnight.

    Args:
        text: What was typed (Persian, Arabic-Indic or Latin digits).
        gregorian_years: Read years from 1700 on as Gregorian ("2026-12-07 08:00").

    Returns:
        datetime.datetime | None: A naive Gregorian date-time, on the wall clock of the
        time zone the editor means (make it aware with ``timezone.make_aware``); None for
        empty text.

    Raises:
        ValidationError: The text is not a date-time, or the date or time does not exist.
    """
    text = to_latin_digits(text or "").strip()
    if not text:
        return None
    match = _DATE_TIME.match(text)
    if match is None:
        raise ValidationError(DATETIME_FORMAT_MESSAGE, code="format")
    parts = {name: int(value) for name, value in match.groupdict(default="0").items()}
    date = _gregorian_date(
        parts["year"], parts["month"], parts["day"], gregorian_years=gregorian_years
    )
    try:
        time = datetime.time(parts["hour"], parts["minute"], parts["second"])
    except ValueError:
        raise ValidationError(NO_SUCH_TIME_MESSAGE, code="invalid_time") from None
    return datetime.datetime.combine(date, time)


def jalali_date_text(value: datetime.date, persian_digits: bool = True) -> str:
    """A Gregorian date written as Jalali "۱۴۰۵/۰۹/۱۶" (Latin digits on request)."""
    jalali = jdatetime.date.fromgregorian(date=value)
    text = f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
    return to_persian_digits(text) if persian_digits else text


def jalali_datetime_text(value: datetime.datetime, persian_digits: bool = True) -> str:
    """A date-time written as Jalali "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰", on the current time zone's clock."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = f"{jalali_date_text(value.date(), persian_digits=False)} {value:%H:%M}"
    return to_persian_digits(text) if persian_digits else text


def jalali_text(value: datetime.date | None, language: str | None = None) -> str:
    """A date or date-time as Jalali text in the digits of ``language``: "۱۴۰۵/۰۹/۱۶" or
    "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰" (on the current time zone's clock); "" for ``None``.

    Persian text gets Persian digits; a reader of another language Latin ones (the active
    language when ``language`` is omitted). Exports and API fields, which are Persian
    whatever the editor's language, pass ``"fa"``.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        text = jalali_datetime_text(value, persian_digits=False)
    else:
        text = jalali_date_text(value, persian_digits=False)
    return localize_digits(text, language)


# ---- Form fields --------------------------------------------------------------------------


class JalaliDateFormField(forms.DateField):
    """A date field that reads typed Jalali (and ISO Gregorian) when the language is Persian."""

    def to_python(
        self, value: str | datetime.datetime | datetime.date | None
    ) -> datetime.date | None:
        if isinstance(value, str) and is_persian():
            return parse_jalali_date(value, gregorian_years=True)
        return super().to_python(value)


class JalaliDateTimeFormField(forms.DateTimeField):
    """A date-time field that reads typed Jalali (and ISO Gregorian) when the language is
    Persian, on the current time zone's clock."""

    def to_python(
        self, value: str | datetime.datetime | datetime.date | None
    ) -> datetime.datetime | None:
        if isinstance(value, str) and is_persian():
            parsed = parse_jalali_datetime(value)
            return None if parsed is None else from_current_timezone(parsed)
        return super().to_python(value)


# ---- Admin widgets ------------------------------------------------------------------------


if TYPE_CHECKING:  # What the mixin is mixed into: mypy checks its super() calls with it.
    from wagtail.admin.widgets import AdminDateInput as _WidgetBase
else:
    _WidgetBase = object


class JalaliPickerMixin(_WidgetBase):
    """In Persian: a plain text input carrying the Jalali picker's attributes and its files.

    In any other language the widget is Wagtail's own (Gregorian) date input, unchanged.
    """

    jalali_template_name = "django/forms/widgets/text.html"
    jalali_attrs: dict[str, Any] = {}
    example = ""

    @property
    def is_jalali(self) -> bool:
        return is_persian()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if not self.is_jalali:
            return super().get_context(name, value, attrs)
        attrs = {
            **(attrs or {}),
            "data-jdp": "",
            "dir": "ltr",
            "autocomplete": "off",
            "placeholder": to_persian_digits(self.example),
            **self.jalali_attrs,
        }
        # Wagtail's own context adds the Gregorian chooser's configuration, not wanted here.
        return forms.widgets.Input.get_context(self, name, value, attrs)

    def jalali_text(self, value: datetime.date) -> str:
        raise NotImplementedError  # Each widget writes its value its own way.

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: BaseRenderer | None = None
    ) -> SafeString:
        if self.is_jalali:
            template_name = self.jalali_template_name
        return super()._render(template_name, context, renderer)

    def format_value(self, value: Any) -> str | None:
        if self.is_jalali and isinstance(value, datetime.date):
            return self.jalali_text(value)
        return super().format_value(value)

    @property
    def media(self) -> forms.Media:
        if not self.is_jalali:
            return super().media
        return forms.Media(
            css={"all": [static("vendor/jalalidatepicker/jalalidatepicker.min.css")]},
            js=[
                static("vendor/jalalidatepicker/jalalidatepicker.min.js"),
                static("js/admin-jalali-dates.js"),
            ],
        )


class JalaliDateInput(JalaliPickerMixin, AdminDateInput):
    """The admin's date input: Jalali with a picker in Persian, Wagtail's otherwise."""

    jalali_attrs = {"data-jdp-only-date": ""}
    example = "1405/09/16"

    def jalali_text(self, value: datetime.date) -> str:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return jalali_date_text(value)


class JalaliDateTimeInput(JalaliPickerMixin, AdminDateTimeInput):
    """The admin's date-time input: Jalali with a picker in Persian, Wagtail's otherwise."""

    example = "1405/09/16 08:00"

    def jalali_text(self, value: datetime.date) -> str:
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        return jalali_datetime_text(value)


class JalaliInputAdapter(WidgetAdapter):
    """StreamField's client-side widget: the plain input in Persian (the picker attaches to
    it by itself), Wagtail's date chooser otherwise."""

    def __init__(self, gregorian_adapter: WidgetAdapter) -> None:
        super().__init__()
        self.gregorian_adapter = gregorian_adapter

    def pack(self, obj: JalaliPickerMixin, context: Any) -> Any:
        if obj.is_jalali:
            return super().pack(obj, context)
        return self.gregorian_adapter.pack(obj, context)


register(JalaliInputAdapter(AdminDateInputAdapter()), JalaliDateInput)
register(JalaliInputAdapter(AdminDateTimeInputAdapter()), JalaliDateTimeInput)


class JalaliDateBlock(blocks.DateBlock):
    """A StreamField date with the admin's Jalali input and parser."""

    @cached_property
    def field(self) -> JalaliDateFormField:
        return JalaliDateFormField(widget=JalaliDateInput(format=self.format), **self.field_options)


def register_admin_date_fields() -> None:
    """Give every model date and date-time field in Wagtail's admin forms the Jalali pair.

    Replaces Wagtail's own registration (same keys); called once from an app's ``ready``.
    """
    register_form_field_override(
        models.DateField, override={"form_class": JalaliDateFormField, "widget": JalaliDateInput}
    )
    register_form_field_override(
        models.DateTimeField,
        override={"form_class": JalaliDateTimeFormField, "widget": JalaliDateTimeInput},
    )


class AdminDateColumn(Column):
    """A date in a Wagtail admin list as the editor's calendar writes it: Jalali with Persian
    digits for a Persian admin, ISO for another. Wagtail's ``DateColumn`` writes it as a
    time from now, which for a date with no time said "0 minutes ago" of every due date."""

    def get_value(self, instance: Any) -> str:
        value = super().get_value(instance)
        if value is None:
            return ""
        if is_persian():
            return jalali_text(value, "fa")
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"{value:%Y-%m-%d %H:%M}"
        return value.isoformat()
