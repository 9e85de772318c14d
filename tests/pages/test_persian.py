import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from participation.persian import (
    format_date,
    format_number,
    normalize_for_search,
    relative_deadline,
    searchable_text,
    to_latin_digits,
    to_persian_digits,
    zwnj_joined_forms,
)

ZWNJ = "\u200c"
TEHRAN_NOON = datetime.datetime(2026, 11, 24, 8, 30, tzinfo=datetime.UTC)  # 12:00 in Tehran

# Characters the normaliser treats specially, so generated text hits them often.
TRICKY = (
    "يىكةۀھأإٱؤئآءيكی"
    "\u064b\u064e\u0650\u0651\u0652\u0654\u0670\u0640"
    "۰۱۲۹٠١٢٩0129٫٬"
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202b\u2067\ufeff\u00ad"
    "ﻛﻲﷲ \t\n\u00a0AbCİßﬁe\u0301"
)
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=60)


def persian_translation(msgid):
    """Fail when the compiled Persian catalogue has not got ``msgid``: a missing
    translation is a bug, not a reason to skip."""
    with translation.override("fa"):
        assert translation.gettext(msgid) != msgid, f"no Persian translation of {msgid!r}"


class TestDigits:
    def test_to_persian_digits_converts_latin_and_arabic_indic(self):
        assert to_persian_digits("2026 و ٣٤") == "۲۰۲۶ و ۳۴"
        assert to_persian_digits(1405) == "۱۴۰۵"

    def test_to_latin_digits_converts_persian_and_arabic_indic(self):
        assert to_latin_digits("۱۴۰۵/٠٩/٣") == "1405/09/3"

    @given(st.text())
    def test_round_trip_keeps_other_text(self, text):
        assert to_latin_digits(to_persian_digits(text)) == to_latin_digits(text)


class TestNormalizeForSearch:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("كتابي", "کتابی"),  # Arabic kaf and yeh
            ("موسى", "موسی"),  # alef maksura
            ("مدرسة", "مدرسه"),  # teh marbuta
            ("دربارهٔ", "درباره"),  # hamza above is a diacritic
            ("خانۀ", "خانه"),
            ("أسلام إمام ٱلله", "اسلام امام الله"),
            ("مسؤول پائیز", "مسوول پاییز"),
            ("آب", "آب"),  # alef madda is kept
            ("مُحَمَّد", "محمد"),  # harakat
            ("مـــدرســـه", "مدرسه"),  # tatweel
            ("۱۴۰۵ ٢٠٢٦ 7", "1405 2026 7"),
            ("۱۲٬۳۴۵٫۵", "12,345.5"),
            ("Hadaf SEARCH", "hadaf search"),
            ("می\u200cروم", "می روم"),  # ZWNJ is a word boundary
            ("می\u200bروم", "می روم"),
            ("\u200fمی\u200dروم\u200e", "میروم"),  # invisible controls vanish
            ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms from a PDF
            ("  فرهنگ \n\t و\u00a0 دانشگاه  ", "فرهنگ و دانشگاه"),
            ("", ""),
            (None, ""),
        ],
    )
    def test_folds(self, typed, expected):
        assert normalize_for_search(typed) == expected

    def test_zwnj_and_space_spellings_match(self):
        assert normalize_for_search("آیین\u200cنامه") == normalize_for_search("آیین نامه")

    @given(st.text())
    def test_idempotent_on_any_text(self, text):
        once = normalize_for_search(text)
        assert normalize_for_search(once) == once

    @given(tricky_text)
    def test_idempotent_on_persian_and_arabic_text(self, text):
        once = normalize_for_search(text)
        assert normalize_for_search(once) == once

    @given(tricky_text)
    def test_output_has_no_controls_diacritics_or_non_latin_digits(self, text):
        folded = normalize_for_search(text)
        assert not set(folded) & set("\u200c\u200d\u200f\u0640\u064e\u0651يكة۱٢")
        assert folded == folded.strip()
        assert "  " not in folded


class TestJoinedForms:
    def test_lists_joined_spelling_of_half_spaced_words(self):
        assert zwnj_joined_forms("کتاب\u200cها را می\u200cخوانم و کتاب\u200cها") == [
            "کتابها",
            "میخوانم",
        ]

    def test_ignores_leading_and_trailing_zwnj(self):
        assert zwnj_joined_forms("\u200cکتاب") == []

    def test_searchable_text_holds_both_spellings(self):
        text = searchable_text("می\u200cروم", None, "", "دانشگاه")
        assert text == "می روم دانشگاه میروم"


class TestFormatNumber:
    @pytest.mark.parametrize(
        ("value", "language", "expected"),
        [
            (12345, "fa", "۱۲٬۳۴۵"),
            (12345, "en", "12,345"),
            (1234567.5, "fa", "۱٬۲۳۴٬۵۶۷٫۵"),
            (Decimal("0.25"), "fa", "۰٫۲۵"),
            (-1200, "en", "-1,200"),
            (7, "fa", "۷"),
            ("۱۲۳۴", "en", "1,234"),
            ("1234", "fa-ir", "۱٬۲۳۴"),
        ],
    )
    def test_formats(self, value, language, expected):
        assert format_number(value, language) == expected

    def test_follows_active_language(self):
        with translation.override("fa"):
            assert format_number(1000) == "۱٬۰۰۰"
        with translation.override("en"):
            assert format_number(1000) == "1,000"

    def test_decimal_places(self):
        assert format_number(2.5, "fa", decimal_pos=2) == "۲٫۵۰"

    def test_rejects_text_and_other_types(self):
        with pytest.raises(ValueError):
            format_number("بیست", "fa")
        with pytest.raises(TypeError):
            format_number(True, "fa")


class TestFormatDate:
    def test_jalali_in_persian(self):
        assert format_date(datetime.date(2026, 11, 24), "fa") == "۳ آذر ۱۴۰۵"
        assert format_date(datetime.date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"

    def test_gregorian_in_english(self):
        assert format_date(datetime.date(2026, 11, 24), "en") == "24 November 2026"

    def test_english_month_names_even_when_persian_is_active(self):
        with translation.override("fa"):
            assert format_date(datetime.date(2026, 11, 24), "en") == "24 November 2026"

    def test_datetimes_shown_in_tehran_time(self):
        late_utc = datetime.datetime(2026, 11, 23, 21, 0, tzinfo=datetime.UTC)
        assert format_date(late_utc, "fa") == "۳ آذر ۱۴۰۵"  # 00:30 next day in Tehran
        assert format_date(late_utc, "fa", with_time=True) == "۳ آذر ۱۴۰۵، ۰۰:۳۰"
        assert format_date(late_utc, "en", with_time=True) == "24 November 2026, 00:30"

    def test_with_time_ignored_for_dates(self):
        assert format_date(datetime.date(2026, 11, 24), "fa", with_time=True) == "۳ آذر ۱۴۰۵"


class TestRelativeDeadline:
    @pytest.mark.parametrize(
        ("left", "expected"),
        [
            (datetime.timedelta(days=3, hours=5), "3 days left"),
            (datetime.timedelta(days=1), "1 day left"),
            (datetime.timedelta(hours=5, minutes=59), "5 hours left"),
            (datetime.timedelta(hours=1), "1 hour left"),
            (datetime.timedelta(minutes=20), "Less than an hour left"),
            (datetime.timedelta(0), "Deadline passed"),
            (datetime.timedelta(days=-2), "Deadline passed"),
        ],
    )
    def test_datetime_deadlines_in_english(self, left, expected):
        assert relative_deadline(TEHRAN_NOON + left, now=TEHRAN_NOON, language="en") == expected

    @pytest.mark.parametrize(
        ("days", "expected"),
        [(0, "Ends today"), (-1, "Deadline passed"), (2, "2 days left")],
    )
    def test_date_deadlines_last_the_whole_day(self, days, expected):
        today = datetime.date(2026, 11, 24)
        deadline = today + datetime.timedelta(days=days)
        assert relative_deadline(deadline, now=TEHRAN_NOON, language="en") == expected

    def test_date_deadline_uses_tehran_day(self):
        # 22:00 UTC on the 23rd is already the 24th in Tehran.
        now = datetime.datetime(2026, 11, 23, 22, 0, tzinfo=datetime.UTC)
        assert relative_deadline(datetime.date(2026, 11, 24), now=now, language="en") == (
            "Ends today"
        )

    def test_persian_counts_use_persian_digits(self):
        text = relative_deadline(
            TEHRAN_NOON + datetime.timedelta(days=12), now=TEHRAN_NOON, language="fa"
        )
        assert "۱۲" in text
        assert "12" not in text

    @pytest.mark.parametrize(
        ("left", "msgid", "expected"),
        [
            (datetime.timedelta(days=3), "%(count)s day left", "۳ روز مانده"),
            (datetime.timedelta(hours=5), "%(count)s hour left", "۵ ساعت مانده"),
            (datetime.timedelta(minutes=5), "Less than an hour left", "کمتر از یک ساعت مانده"),
            (datetime.timedelta(hours=-1), "Deadline passed", "پایان یافته"),
        ],
    )
    def test_persian_wording(self, left, msgid, expected):
        persian_translation(msgid)
        assert relative_deadline(TEHRAN_NOON + left, now=TEHRAN_NOON, language="fa") == expected

    def test_persian_ends_today(self):
        persian_translation("Ends today")
        assert (
            relative_deadline(datetime.date(2026, 11, 24), now=TEHRAN_NOON, language="fa")
            == "امروز پایان می\u200cیابد"
        )

    def test_follows_active_language(self):
        with translation.override("en"):
            assert relative_deadline(TEHRAN_NOON, now=TEHRAN_NOON) == "Deadline passed"


def test_join_list_uses_the_language_separator():
    from django.utils import translation

    from participation.persian import join_list

    with translation.override("fa"):
        assert join_list(["دانشجویان", "کارکنان"]) == "دانشجویان، کارکنان"
    with translation.override("en"):
        assert join_list(["Students", "Staff"]) == "Students, Staff"
