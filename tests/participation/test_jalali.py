"""Jalali dates typed and shown in forms (participation/jalali.py): parsing and rendering."""

import datetime

import jdatetime
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from participation.forms import JalaliDateField
from participation.jalali import (
    JalaliDateBlock,
    JalaliDateFormField,
    JalaliDateInput,
    JalaliDateTimeFormField,
    JalaliDateTimeInput,
    jalali_date_text,
    jalali_datetime_text,
    jalali_text,
    parse_jalali_date,
    parse_jalali_datetime,
)

UTC = datetime.UTC


@pytest.fixture
def persian():
    with translation.override("fa"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "text",
    ["۱۴۰۵/۰۹/۱۶", "1405/09/16", "1405/9/16", "١٤٠٥/٠٩/١٦", "1405-09-16", " ۱۴۰۵.۹.۱۶ "],
)
def test_a_jalali_date_reads_in_any_digits_and_separators(text):
    assert parse_jalali_date(text) == datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    "text",
    ["۱۴۰۵/۰۹/۱۶ ۰۸:۰۰", "1405/09/16 08:00", "1405/9/16 8:00", "1405/09/16 08:00:00"],
)
def test_a_jalali_date_time_reads_in_any_digits(text):
    assert parse_jalali_datetime(text) == datetime.datetime(2026, 12, 7, 8, 0)


def test_a_date_without_time_is_midnight():
    assert parse_jalali_datetime("1405/09/16") == datetime.datetime(2026, 12, 7)


def test_iso_gregorian_years_are_read_as_gregorian_where_allowed():
    assert parse_jalali_datetime("2026-12-07 08:00:00") == datetime.datetime(2026, 12, 7, 8)
    assert parse_jalali_date("2026-12-07", gregorian_years=True) == datetime.date(2026, 12, 7)
    # The survey's participants type Jalali only: 2026 is read as a (far) Jalali year.
    assert parse_jalali_date("2026-12-07") == jdatetime.date(2026, 12, 7).togregorian()


@pytest.mark.parametrize(
    ("text", "gregorian"),
    [
        ("1403/12/30", datetime.date(2025, 3, 20)),  # 1403 is a leap year
        ("1399/12/30", datetime.date(2021, 3, 20)),  # so is 1399
        ("1404/12/29", datetime.date(2026, 3, 20)),  # 1404 is not: Esfand has 29 days
        ("1405/01/01", datetime.date(2026, 3, 21)),
        ("1405/06/31", datetime.date(2026, 9, 22)),  # the first six months have 31 days
    ],
)
def test_month_lengths_and_leap_years(text, gregorian):
    assert parse_jalali_date(text) == gregorian


@pytest.mark.parametrize(
    "text", ["1405/13/01", "1405/00/10", "1405/12/31", "1404/12/30", "1405/07/31", "1405/01/00"]
)
def test_impossible_jalali_dates_are_refused_in_persian(persian, text):
    with pytest.raises(ValidationError) as caught:
        parse_jalali_datetime(text)
    assert caught.value.code == "invalid"
    assert caught.value.messages == ["چنین تاریخی در تقویم هجری خورشیدی وجود ندارد."]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1405/09/16 24:00", "invalid_time"),
        ("1405/09/16 08:60", "invalid_time"),
        ("1405/09", "format"),
        ("فردا", "format"),
        ("1405/09/16 8", "format"),
        ("2026-02-30", "invalid"),
    ],
)
def test_other_bad_input_is_refused_with_a_reason(persian, text, code):
    with pytest.raises(ValidationError) as caught:
        parse_jalali_datetime(text)
    assert caught.value.code == code
    assert all("year" not in message for message in caught.value.messages)  # in Persian


def test_empty_input_is_no_date():
    assert parse_jalali_date("  ") is None
    assert parse_jalali_datetime("") is None


def test_tehran_has_one_offset_all_year(persian):
    """Iran has kept +03:30 all year since 2022: no summer hour."""
    field = JalaliDateTimeFormField()
    summer = field.clean("1405/04/01 12:00")  # 22 June 2026
    winter = field.clean("1405/10/01 12:00")  # 22 December 2026
    assert summer.astimezone(UTC) == datetime.datetime(2026, 6, 22, 8, 30, tzinfo=UTC)
    assert winter.astimezone(UTC) == datetime.datetime(2026, 12, 22, 8, 30, tzinfo=UTC)


@given(
    st.datetimes(
        min_value=datetime.datetime(1950, 1, 1), max_value=datetime.datetime(2200, 12, 31)
    ).map(lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC))
)
def test_a_stored_utc_moment_round_trips_through_its_jalali_text(moment):
    with translation.override("fa"):
        text = JalaliDateTimeInput().format_value(moment)
        assert text == jalali_datetime_text(moment)
        assert JalaliDateTimeFormField().clean(text) == moment


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_a_stored_date_round_trips_through_its_jalali_text(day):
    with translation.override("fa"):
        text = JalaliDateInput().format_value(day)
        assert JalaliDateFormField().clean(text) == day
        assert parse_jalali_date(jalali_date_text(day, persian_digits=False)) == day


def test_rendering_shows_local_time_with_persian_digits():
    moment = datetime.datetime(2026, 12, 7, 4, 30, tzinfo=UTC)  # 08:00 in Tehran
    assert jalali_datetime_text(moment) == "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"
    assert jalali_datetime_text(moment, persian_digits=False) == "1405/09/16 08:00"
    assert jalali_date_text(datetime.date(2026, 12, 7)) == "۱۴۰۵/۰۹/۱۶"


def test_the_persian_widget_is_a_text_input_with_the_picker(persian):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 8, 0))
    html = JalaliDateTimeInput().render("opens_at", moment, attrs={"id": "id_opens_at"})
    assert 'value="۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"' in html
    assert 'id="id_opens_at"' in html and "data-jdp" in html
    assert "initDateTimeChooser" not in html  # Wagtail's Gregorian chooser is not started
    media = str(JalaliDateTimeInput().media)
    assert "vendor/jalalidatepicker/jalalidatepicker.min.js" in media
    assert "js/admin-jalali-dates.js" in media
    date_html = JalaliDateInput().render("issued_on", datetime.date(2026, 12, 7))
    assert 'value="۱۴۰۵/۰۹/۱۶"' in date_html and "data-jdp-only-date" in date_html


def test_the_english_widget_is_wagtails_gregorian_one(english):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 8, 0))
    html = JalaliDateTimeInput().render("opens_at", moment, attrs={"id": "id_opens_at"})
    assert 'value="2026-12-07 08:00"' in html
    assert "initDateTimeChooser" in html and "data-jdp" not in html
    assert "jalalidatepicker" not in str(JalaliDateTimeInput().media)
    assert JalaliDateTimeFormField().clean("2026-12-07 08:00") == moment
    with pytest.raises(ValidationError):
        JalaliDateFormField().clean("1405/09/16")  # English reads Gregorian only


def test_the_streamfield_date_block_reads_and_shows_jalali(persian):
    block = JalaliDateBlock(required=False)
    assert block.clean(block.value_from_datadict({"start": "۱۴۰۵/۰۹/۱۶"}, {}, "start")) == (
        datetime.date(2026, 12, 7)
    )
    with pytest.raises(ValidationError):
        block.clean("1405/12/31")
    assert 'value="۱۴۰۵/۰۹/۱۶"' in block.field.widget.render("start", datetime.date(2026, 12, 7))


def test_the_streamfield_widget_packs_for_the_language():
    from wagtail.admin.telepath import JSContext

    widget = JalaliDateBlock().field.widget
    with translation.override("fa"):
        packed = JSContext().pack(widget)
        assert packed["_type"] == "wagtail.widgets.Widget"
        assert "data-jdp" in packed["_args"][0]
    with translation.override("en"):
        assert JSContext().pack(widget)["_type"] == "wagtail.widgets.AdminDateInput"


def test_the_survey_date_question_shares_the_parser(persian):
    field = JalaliDateField()
    assert field.clean("۱۴۰۵/۰۹/۱۶") == datetime.date(2026, 12, 7)
    with pytest.raises(ValidationError) as caught:
        field.clean("1405/12/31")
    assert caught.value.code == "invalid"


# ---- jalali_text: the one Jalali text of a date or date-time ---------------------------


def test_jalali_text_writes_the_digits_of_the_language():
    day = datetime.date(2026, 12, 7)
    assert jalali_text(day, "fa") == "۱۴۰۵/۰۹/۱۶"
    assert jalali_text(day, "en") == "1405/09/16"
    with translation.override("fa"):
        assert jalali_text(day) == "۱۴۰۵/۰۹/۱۶"
    with translation.override("en"):
        assert jalali_text(day) == "1405/09/16"


def test_jalali_text_of_a_moment_is_on_the_local_clock_and_of_nothing_is_empty():
    moment = datetime.datetime(2026, 12, 7, 4, 30, tzinfo=UTC)  # 08:00 in Tehran
    with timezone.override("Asia/Tehran"):
        assert jalali_text(moment, "fa") == "۱۴۰۵/۰۹/۱۶ ۰۸:۰۰"
    assert jalali_text(None) == ""
