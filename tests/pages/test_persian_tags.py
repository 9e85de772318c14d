import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

NOVEMBER_24 = datetime.datetime(2026, 11, 24, 10, 45, tzinfo=datetime.UTC)  # 14:15 in Tehran


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load persian %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "۱۲٬۳۴۵"), ("en", "12,345")],
)
def test_persian_number(language, expected):
    assert render("{{ n|persian_number }}", language, n=12345) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("۲۵", "۲۵"), ("3 از 4", "۳ از ۴"), (None, ""), ("", "")],
)
def test_persian_number_falls_back_to_digits_for_text(value, expected):
    assert render("{{ n|persian_number }}", "fa", n=value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "۱۴۰۵/۰۹/۰۳ &lt;b&gt;"), ("en", "1405/09/03 &lt;b&gt;")],
)
def test_localized_digits_escapes_text(language, expected):
    assert render("{{ s|localized_digits }}", language, s="۱۴۰۵/09/٠٣ <b>") == expected


def test_localized_digits_keeps_safe_text_safe():
    assert render("{{ s|localized_digits }}", "fa", s=mark_safe("<b>3</b>")) == "<b>۳</b>"


@pytest.mark.parametrize(
    ("filter_name", "language", "expected"),
    [
        ("jalali_date", "fa", "۳ آذر ۱۴۰۵"),
        ("jalali_date", "en", "24 November 2026"),
        ("jalali_datetime", "fa", "۳ آذر ۱۴۰۵، ۱۴:۱۵"),
        ("jalali_datetime", "en", "24 November 2026, 14:15"),
    ],
)
def test_dates(filter_name, language, expected):
    source = "{{ when|" + filter_name + " }}"
    assert render(source, language, when=NOVEMBER_24) == expected


def test_jalali_date_takes_plain_dates():
    assert render("{{ d|jalali_date }}", "fa", d=datetime.date(2027, 3, 21)) == "۱ فروردین ۱۴۰۶"


@pytest.mark.parametrize("filter_name", ["jalali_date", "jalali_datetime", "deadline"])
def test_empty_dates_render_nothing(filter_name):
    assert render("{{ when|" + filter_name + " }}", "fa", when=None) == ""


def test_deadline_counts_in_active_language():
    closes = timezone.now() + datetime.timedelta(days=3, hours=1)
    assert render("{{ closes|deadline }}", "en", closes=closes) == "3 days left"
    assert "۳" in render("{{ closes|deadline }}", "fa", closes=closes)


def test_deadline_passed():
    closes = timezone.now() - datetime.timedelta(minutes=1)
    assert render("{{ closes|deadline }}", "en", closes=closes) == "Deadline passed"
