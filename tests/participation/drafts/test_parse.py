"""Paste-to-structure: a plain-text bylaw read as chapter, article, clause and note blocks."""

import re
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from participation.drafts.blocks import LegalTextBlock
from participation.drafts.outline import build_outline, raw_items
from participation.drafts.parse import ParsedText, clean_line, parse_legal_text

SAMPLE = Path(__file__).resolve().parents[3] / "participation/drafts/data/sample_bylaw_fa.txt"
BIDI_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture(scope="module")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text):
    return parse_legal_text(sample_text)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def kinds(parsed):
    return [block["type"] for block in parsed.blocks]


def texts(parsed, kind):
    key = "title" if kind == "chapter" else "text"
    return [block["value"][key] for block in parsed.blocks if block["type"] == kind]


def outline(parsed):
    return build_outline(raw_items(parsed.blocks))


def labelled(parsed):
    """{label of the article: [labels of its clauses and notes]} in English."""
    provisions = outline(parsed)
    articles = {p.id: p.label for p in provisions if p.kind == "article"}
    children = {label: [] for label in articles.values()}
    for provision in provisions:
        if provision.kind in ("clause", "note"):
            children[articles[provision.article_id]].append(provision.label)
    return children


def article(parsed, number):
    """The ``number``-th article's provision and its clauses and notes."""
    provisions = outline(parsed)
    found = [p for p in provisions if p.kind == "article" and p.number == number][0]
    return found, [p for p in provisions if p.article_id == found.id and p.kind != "article"]


# --- The sample bylaw ---------------------------------------------------------------------


def test_sample_counts(sample):
    assert Counter(kinds(sample)) == {"chapter": 5, "article": 24, "clause": 34, "note": 15}
    assert sample.warnings == []


def test_sample_counts_match_the_source_lines(sample, sample_text):
    """Count the headings of the file with plain string tests, not the parser's rules."""
    lines = [line.strip() for line in sample_text.splitlines()]
    assert sum(line.startswith("فصل ") for line in lines) == 5
    assert sum(line.startswith(("ماده ", "مادّه ")) for line in lines) == 24
    assert sum(line.startswith("تبصره") for line in lines) == 15
    letters = ["الف", "ب", "پ", "ت", "ث", "ج", "چ"]
    clause_lines = [
        line
        for line in lines
        if any(line.startswith((f"{letter} -", f"{letter})")) for letter in letters)
        or re.match("^[۱-۹]- ", line)
    ]
    assert len(clause_lines) == 34
    assert Counter(kinds(sample))["clause"] == len(clause_lines)


def test_sample_preamble_is_the_title_and_enabling_paragraph(sample):
    lines = sample.preamble.splitlines()
    assert lines[0] == "آیین‌نامه حمایت از تشکل‌های دانشجویی فرهنگی"
    assert lines[1] == "معاونت فرهنگی و اجتماعی وزارت علوم، تحقیقات و فناوری"
    assert lines[2].startswith("به منظور گسترش فعالیت‌های فرهنگی")
    assert len(lines) == 3


def test_sample_chapters(sample):
    assert texts(sample, "chapter") == [
        "کلیات و تعاریف",
        "شرایط تأسیس و ثبت تشکل",
        "حمایت‌ها و منابع مالی",
        "نظارت، ارزیابی و گزارش‌دهی",
        # «فصل پنجم» alone on its line: the title is on the next one.
        "تخلفات و مقررات پایانی",
    ]


def test_sample_articles_per_chapter(sample):
    per_chapter = Counter()
    for provision in outline(sample):
        if provision.kind == "article":
            per_chapter[provision.chapter_id] += 1
    chapter_ids = [block["id"] for block in sample.blocks if block["type"] == "chapter"]
    assert [per_chapter[chapter_id] for chapter_id in chapter_ids] == [3, 5, 6, 5, 5]


def test_sample_structure_of_articles(sample, english):
    children = labelled(sample)
    assert len(children) == 24
    assert children["Article 2"] == [f"Clause {letter}" for letter in "abcdefg"]
    assert children["Article 3"] == ["Note"]
    assert children["Article 4"] == ["Clause a", "Clause b", "Clause c", "Clause d", "Note"]
    assert children["Article 5"] == ["Note 1", "Note 2"]
    assert children["Article 7"] == ["Clause a", "Clause b", "Clause c", "Note"]
    assert children["Article 11"] == [
        *(f"Clause {letter}" for letter in "abcd"),
        "Note 1",
        "Note 2",
    ]
    assert children["Article 12"] == []
    assert children["Article 17"] == ["Note 1", "Note 2"]
    assert children["Article 21"] == [
        *(f"Clause {letter}" for letter in "abcd"),
        "Note 1",
        "Note 2",
    ]
    assert children["Article 22"] == []
    assert children["Article 24"] == []


def test_sample_texts(sample, english):
    first, _ = article(sample, 1)
    assert first.text.startswith("هدف از این آیین‌نامه")
    assert first.title == ""
    # The rest of a heading line is the article's text, also when it ends with «:».
    second, clauses = article(sample, 2)
    assert second.text == "در این آیین‌نامه، اصطلاحات زیر در معانی مشروح مربوط به کار می‌روند:"
    assert clauses[1].label == "Clause b"
    assert clauses[1].text == "معاونت فرهنگی: معاونت فرهنگی و اجتماعی وزارت."
    # A continuation line joins the article's text after a newline.
    fifth, notes = article(sample, 5)
    assert fifth.text.count("\n") == 1
    assert fifth.text.splitlines()[1].startswith("کمیته تشکل‌ها موظف است")
    assert notes[1].text.startswith("نام تشکل نباید")
    # «ماده ۱۲ -» alone on its line: its text is on the next one.
    twelfth, _ = article(sample, 12)
    assert twelfth.text.startswith("پرداخت هرگونه وجه")
    twenty_first, children = article(sample, 21)
    clause_b = [p for p in children if p.label == "Clause b"][0]
    assert clause_b.text.startswith("اخطار کتبی")
    assert clause_b.article_id == twenty_first.id
    last, _ = article(sample, 24)
    assert "بیست و چهار ماده و پانزده تبصره" in last.text


def test_sample_labels_in_persian(sample):
    """Persian labels number with Persian digits and letters (the words come from gettext)."""
    with translation.override("fa"):
        provisions = outline(sample)
        last_article = [p for p in provisions if p.kind == "article"][-1]
        assert "۲۴" in last_article.label
        clause = [p for p in provisions if p.kind == "clause"][1]
        assert clause.label.endswith(" ب")
        note = [p for p in provisions if p.kind == "note" and p.siblings == 2][1]
        assert "۲" in note.label


def test_sample_is_valid_stream_data(sample):
    stream = LegalTextBlock().to_python(sample.blocks)
    LegalTextBlock().clean(stream)
    assert [child.id for child in stream] == [block["id"] for block in sample.blocks]


# --- Headings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "ماده ۱ - متن ماده",
        "ماده ۱ـ متن ماده",
        "ماده ۱ ـ متن ماده",
        "ماده 1) متن ماده",
        "ماده ۱: متن ماده",
        "ماده ۱. متن ماده",
        "ماده ۱– متن ماده",
        "ماده ۱ — متن ماده",
        "ماده ۱ -متن ماده",
        "ماده۱-متن ماده",
        "ماده ۱ ) - متن ماده",
        "ماده\t۱\t-\tمتن ماده",
        "ماده   ۱   -   متن   ماده",
        "مادّه ۱ - متن ماده",
        "مادة ۱ - متن ماده",
        "مـاده ۱ - متن ماده",
        "ماده ١ - متن ماده",
        "ماده یک - متن ماده",
        "ماده اول - متن ماده",
        "ماده یکم: متن ماده",
        "ماده واحده - متن ماده",
        "\u200cماده\u200c۱\u200c-\u200cمتن ماده",
    ],
)
def test_article_headings(heading):
    parsed = parse_legal_text(heading)
    assert parsed.blocks == [
        {
            "type": "article",
            "value": {"title": "", "text": "متن ماده"},
            "id": parsed.blocks[0]["id"],
        }
    ]
    assert parsed.warnings == []


def test_article_text_on_the_following_lines():
    parsed = parse_legal_text("ماده ۱ -\nسطر اول\n\nسطر دوم\nماده ۲:\nمتن دوم")
    assert texts(parsed, "article") == ["سطر اول\nسطر دوم", "متن دوم"]


def test_article_title_is_never_guessed():
    parsed = parse_legal_text("ماده ۱ - تعاریف:\nالف - وزارت: وزارت علوم.")
    assert parsed.blocks[0]["value"] == {"title": "", "text": "تعاریف:"}


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("فصل اول - کلیات", "کلیات"),
        ("فصل ۱: کلیات", "کلیات"),
        ("فصل 1) کلیات", "کلیات"),
        ("فصل اول ـ کلیات", "کلیات"),
        ("فصل اول کلیات", "کلیات"),
        ("فصل نخست - کلیات", "کلیات"),
        ("فصل اول\nکلیات", "کلیات"),
        ("فصل اول -\n\nکلیات", "کلیات"),
        ("بخش اول - کلیات", "کلیات"),
        ("بخش ۱: کلیات", "کلیات"),
    ],
)
def test_chapter_headings(heading, title):
    parsed = parse_legal_text(f"{heading}\nماده ۱ - متن")
    assert kinds(parsed) == ["chapter", "article"]
    assert texts(parsed, "chapter") == [title]
    assert parsed.warnings == []


def test_chapter_ordinal_words_are_numbers():
    parsed = parse_legal_text(
        "فصل اول - الف\nماده ۱ - متن\nفصل دوم - ب\nماده ۲ - متن\nفصل سوم - پ\nماده ۳ - متن\n"
        "فصل چهارم - ت\nماده ۴ - متن"
    )
    assert texts(parsed, "chapter") == ["الف", "ب", "پ", "ت"]
    assert parsed.warnings == []


def test_chapter_without_title_is_warned_about(english):
    parsed = parse_legal_text("فصل اول\nماده ۱ - متن")
    assert texts(parsed, "chapter") == [""]
    assert parsed.warnings == ["Line 1 («فصل اول»): the chapter has no title."]


def test_chapter_title_wrapped_over_two_lines():
    parsed = parse_legal_text("فصل اول - کلیات\nو تعاریف\nماده ۱ - متن")
    assert texts(parsed, "chapter") == ["کلیات و تعاریف"]


@pytest.mark.parametrize(
    "line",
    [
        "بند الف - متن بند",
        "بند الف) متن بند",
        "الف - متن بند",
        "الف-متن بند",
        "الف) متن بند",
        "(الف) متن بند",
        "الف: متن بند",
        "الف. متن بند",
        "۱- متن بند",
        "۱) متن بند",
        "1. متن بند",
        "١- متن بند",
        "بند ۱ - متن بند",
        "بند یک - متن بند",
    ],
)
def test_first_clause_headings(line):
    parsed = parse_legal_text(f"ماده ۱ - متن\n{line}")
    assert kinds(parsed) == ["article", "clause"]
    assert texts(parsed, "clause") == ["متن بند"]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "lines",
    [
        ["الف - یک", "ب - دو", "پ - سه", "ت - چهار"],
        ["الف) یک", "ب) دو", "پ) سه", "ت) چهار"],
        # The abjad order of older laws, with «هـ».
        ["الف - یک", "ب - دو", "ج - سه", "د - چهار", "هـ - پنج", "و - شش"],
        ["۱- یک", "۲- دو", "۳) سه", "۴. چهار"],
        ["بند ۱ - یک", "بند ۲ - دو"],
        ["بند الف -", "یک", "بند ب -", "دو"],
    ],
)
def test_clause_sequences(lines):
    parsed = parse_legal_text("\n".join(["ماده ۱ - متن", *lines]))
    count = len([line for line in lines if "-" in line or ")" in line or "." in line])
    assert kinds(parsed) == ["article"] + ["clause"] * count
    assert parsed.warnings == []
    assert texts(parsed, "clause")[0] == "یک"


@pytest.mark.parametrize(
    "line",
    [
        "تبصره - متن تبصره",
        "تبصره: متن تبصره",
        "تبصره ـ متن تبصره",
        "تبصره-متن تبصره",
        "تبصره ۱ - متن تبصره",
        "تبصره ۱: متن تبصره",
        "تبصره ١ـ متن تبصره",
        "تبصره یک - متن تبصره",
        "تبصره اول - متن تبصره",
        "تبصره -\nمتن تبصره",
        "تبصره\nمتن تبصره",
    ],
)
def test_note_headings(line, english):
    parsed = parse_legal_text(f"ماده ۱ - متن\n{line}")
    assert kinds(parsed) == ["article", "note"]
    assert texts(parsed, "note") == ["متن تبصره"]
    assert parsed.warnings == []
    # A lone note is just «تبصره», whatever number the source gave it.
    assert outline(parsed)[1].label == "Note"


def test_numbered_notes(english):
    parsed = parse_legal_text("ماده ۱ - متن\nتبصره ۱ - یک\nتبصره ۲: دو\nماده ۲ - متن\nتبصره - سه")
    assert [p.label for p in outline(parsed)] == [
        "Article 1",
        "Note 1",
        "Note 2",
        "Article 2",
        "Note",
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "line",
    [
        "ماده ۵ قانون برنامه در این مورد حاکم است.",
        "ماده ۱۲",  # ends the line: a heading
        "تبصره این ماده نیز رعایت شود.",
        "تبصره‌ها به همین ترتیب است.",
        "بند الف ماده ۳ حذف می‌شود.",
        "۱.۵ درصد از اعتبارات",
        "۱-۲ نفر از اعضا",
        "۱۴۰۲- سال تصویب",
        "۱۲",
        "ج.ا.ا. نماینده دارد",
        "ب.ظ ساعت جلسه",
        "به ترتیب زیر: الف - یک",
        "بخش عمده‌ای از اعتبارات",
        "فصل مشترک دو برنامه",
        "بخش سه درصد",
        "الفبای فارسی",
        "بـرای اجرای این ماده",
    ],
)
def test_text_lines_that_are_not_headings(line):
    parsed = parse_legal_text(f"ماده ۱ - متن\n{line}")
    if line == "ماده ۱۲":
        assert kinds(parsed) == ["article", "article"]
        return
    assert kinds(parsed) == ["article"]
    assert parsed.blocks[0]["value"]["text"] == "متن\n" + line.replace("بـرای", "برای")


# --- Cleaning -----------------------------------------------------------------------------


def test_arabic_letters_and_digits_become_persian():
    parsed = parse_legal_text("ماده ١ - تعريف كلي\nبند ٢ يا ٣ يك\u0649")
    assert parsed.blocks[0]["value"]["text"] == "تعریف کلی\nبند ۲ یا ۳ یکی"


def test_bidi_marks_are_stripped():
    text = "\u200fماده ۱\u200e - \u202bمتن\u202c\n\u2067الف\u2069) \u202eبند\u202c"
    parsed = parse_legal_text(text)
    assert texts(parsed, "article") == ["متن"]
    assert texts(parsed, "clause") == ["بند"]
    for block in parsed.blocks:
        assert not set(str(block["value"])) & set(BIDI_MARKS)


def test_windows_and_old_mac_line_endings_tabs_and_blank_lines():
    parsed = parse_legal_text("\r\n\r\nماده ۱ -\t متن\t\tیک\r\n\r\n  ادامه  \rماده ۲ - دو\r\n")
    assert texts(parsed, "article") == ["متن یک\nادامه", "دو"]


def test_zwnj_is_kept_inside_words_and_trimmed_around_spaces():
    assert clean_line("\u200cآیین\u200c\u200cنامه \u200c ها\u200c") == "آیین\u200cنامه ها"


def test_presentation_forms_from_pdfs():
    # «ماده» in Arabic presentation forms, as some PDFs give it.
    assert clean_line("\ufee3\ufe8e\ufea9\ufeea ۱ -") == "ماده ۱ -"


def test_kashida_is_removed_but_a_tatweel_separator_kept():
    assert clean_line("مـــاده ۱ـ بـرای") == "ماده ۱ـ برای"


def test_control_characters_are_removed():
    parsed = parse_legal_text("ماده ۱ - م\x00تن\x07")
    assert texts(parsed, "article") == ["متن"]


# --- Preamble, sub-items and misplaced headings -----------------------------------------


def test_preamble_is_kept_apart():
    parsed = parse_legal_text("آیین‌نامه نمونه\n۱- قانون برنامه\nتبصره - در مقدمه\n\nماده ۱ - متن")
    assert parsed.preamble == "آیین‌نامه نمونه\n۱- قانون برنامه\nتبصره - در مقدمه"
    assert kinds(parsed) == ["article"]
    assert parsed.warnings == []


def test_no_preamble():
    assert parse_legal_text("ماده ۱ - متن").preamble == ""


def test_numbered_items_under_lettered_clauses_continue_the_clause():
    parsed = parse_legal_text(
        "ماده ۱ - موارد:\nالف - گروه اول:\n۱- یک\n۲- دو\nب - گروه دوم\nتبصره - یادداشت\nپ - سوم"
    )
    assert kinds(parsed) == ["article", "clause", "clause", "note", "clause"]
    assert texts(parsed, "clause") == ["گروه اول:\n۱- یک\n۲- دو", "گروه دوم", "سوم"]
    assert parsed.warnings == []


def test_items_of_a_note_continue_the_note():
    parsed = parse_legal_text("ماده ۱ - متن\nتبصره - به شرح زیر:\nالف - یک\nب - دو\nماده ۲ - متن")
    assert kinds(parsed) == ["article", "note", "article"]
    assert texts(parsed, "note") == ["به شرح زیر:\nالف - یک\nب - دو"]


def test_clause_outside_any_article(english):
    parsed = parse_legal_text("فصل اول - کلیات\nالف - بی‌ماده\nتبصره - بی‌ماده\nماده ۱ - متن")
    assert kinds(parsed) == ["chapter", "clause", "note", "article"]
    assert parsed.warnings == [
        "Line 2 («الف - بی‌ماده»): a clause outside any article.",
        "Line 3 («تبصره - بی‌ماده»): a note outside any article.",
    ]


def test_clause_without_text(english):
    parsed = parse_legal_text("ماده ۱ - متن\nالف -\nب - دو")
    assert texts(parsed, "clause") == ["", "دو"]
    assert parsed.warnings == ["Line 2 («الف -»): it has no text."]


# --- Numbering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "found", "expected"),
    [
        ("ماده ۱ - یک\nماده ۳ - سه", 2, "3", "2"),
        ("ماده ۱ - یک\nماده ۲ - دو\nماده ۲ - دو", 3, "2", "3"),
        ("ماده ۲ - دو", 1, "2", "1"),
        ("فصل دوم - ب\nماده ۱ - یک", 1, "2", "1"),
        ("ماده ۱ - یک\nالف - یک\nپ - سه", 3, "پ", "ب"),
        ("ماده ۱ - یک\nالف - یک\nب - دو\nب - دو", 4, "ب", "پ"),
        ("ماده ۱ - یک\n۱- یک\n۲- دو\n۴- چهار", 4, "4", "3"),
        ("ماده ۱ - یک\nتبصره ۱ - یک\nتبصره ۳ - سه", 3, "3", "2"),
    ],
)
def test_numbering_gaps_and_repeats_are_warned_about(text, line, found, expected, english):
    parsed = parse_legal_text(text)
    assert len(parsed.warnings) == 1
    heading = text.splitlines()[line - 1]
    assert parsed.warnings[0] == (
        f"Line {line} («{heading}»): numbered {found} where {expected} was expected. Numbers "
        "follow from the order of the text, so check that nothing is missing or repeated."
    )


def test_one_gap_gives_one_warning():
    parsed = parse_legal_text("ماده ۱ - یک\nماده ۳ - سه\nماده ۴ - چهار\nماده ۵ - پنج")
    assert len(parsed.warnings) == 1


def test_numbering_restarts_in_each_article():
    parsed = parse_legal_text(
        "ماده ۱ - یک\nالف - یک\nب - دو\nتبصره ۱ - یک\nتبصره ۲ - دو\n"
        "ماده ۲ - دو\nالف - یک\nتبصره ۱ - یک\nتبصره ۲ - دو"
    )
    assert parsed.warnings == []


def test_warnings_use_persian_digits_in_persian():
    with translation.override("fa"):
        parsed = parse_legal_text("ماده ۱ - یک\nماده ۳ - سه")
    assert "۲" in parsed.warnings[0]
    assert "2" not in parsed.warnings[0]


def test_long_heading_is_shortened_in_warnings(english):
    parsed = parse_legal_text("ماده ۲ - " + "متن " * 40)
    assert "…»" in parsed.warnings[0]


# --- Errors, ids, repeatability ----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t\n", "\u200f\u200e\u200c\n\ufeff"])
def test_empty_text_is_an_error(text):
    with pytest.raises(ValidationError) as error:
        parse_legal_text(text)
    assert error.value.code == "empty"


@pytest.mark.parametrize(
    "text",
    [
        "آیین‌نامه نمونه\nمتنی بدون ماده",
        "فصل اول - کلیات\nالف - بند\nتبصره - یادداشت",
        "ماده ۵ قانون برنامه در این مورد حاکم است.",
    ],
)
def test_text_without_article_is_an_error(text, english):
    with pytest.raises(ValidationError) as error:
        parse_legal_text(text)
    assert error.value.code == "no_article"
    assert "«ماده" in error.value.messages[0]


def test_ids_are_unique_uuid4_strings(sample):
    ids = [block["id"] for block in sample.blocks]
    assert len(set(ids)) == len(ids)
    for block_id in ids:
        assert isinstance(block_id, str)
        assert uuid.UUID(block_id).version == 4
        assert str(uuid.UUID(block_id)) == block_id


def test_parsing_twice_gives_the_same_blocks_with_new_ids(sample_text):
    first, second = parse_legal_text(sample_text), parse_legal_text(sample_text)

    def without_ids(parsed):
        return [(block["type"], block["value"]) for block in parsed.blocks]

    assert without_ids(first) == without_ids(second)
    assert (first.warnings, first.preamble) == (second.warnings, second.preamble)
    assert not {block["id"] for block in first.blocks} & {block["id"] for block in second.blocks}


def test_block_values_are_not_shared(sample_text):
    parsed = parse_legal_text(sample_text)
    parsed.blocks[1]["value"]["text"] = "changed"
    assert parse_legal_text(sample_text).blocks[1]["value"]["text"] != "changed"


# --- Anything pasted ----------------------------------------------------------------------

HEADINGISH = st.sampled_from(
    [
        "ماده",
        "مادّه",
        "فصل",
        "بخش",
        "تبصره",
        "بند",
        "الف",
        "ب",
        "هـ",
        "۱",
        "١٢",
        "12",
        "یک",
        "اول",
        "بیست و یکم",
        "واحده",
        " ",
        "\t",
        "-",
        "ـ",
        ")",
        "(",
        ".",
        ":",
        "–",
        "\u200c",
        "\u200f",
        "\u202b",
        "ي",
        "ك",
        "\r\n",
        "\n",
        "متن",
    ]
)
PASTED = st.one_of(
    st.text(),
    st.lists(HEADINGISH, max_size=40).map("".join),
    st.lists(st.one_of(HEADINGISH, st.text(max_size=3)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(PASTED)
def test_anything_pasted_parses_or_is_a_validation_error(text):
    try:
        parsed = parse_legal_text(text)
    except ValidationError:
        return
    assert isinstance(parsed, ParsedText)
    assert "article" in kinds(parsed)
    assert len({block["id"] for block in parsed.blocks}) == len(parsed.blocks)
    for block in parsed.blocks:
        assert block["type"] in ("chapter", "article", "clause", "note")
        assert not set(str(block["value"])) & set(BIDI_MARKS + "\r")
    assert all(isinstance(warning, str) for warning in parsed.warnings)
    build_outline(raw_items(parsed.blocks))


def test_clause_numbering_restarts_after_a_chapter(english):
    parsed = parse_legal_text("ماده ۱ - یک\nالف - یک\nب - دو\nفصل دوم - ب\nالف - بی‌ماده")
    assert parsed.warnings == [
        "Line 4 («فصل دوم - ب»): numbered 2 where 1 was expected. Numbers follow from the "
        "order of the text, so check that nothing is missing or repeated.",
        "Line 5 («الف - بی‌ماده»): a clause outside any article.",
    ]


def test_number_words_beyond_ten():
    parsed = parse_legal_text(
        "ماده بیست و یک - یک\nماده بیست و دوم - دو\nماده صد و یک - سه\nفصل سی‌ام - ت\n"
        "ماده ۱۰۲ - چهار"
    )
    assert kinds(parsed) == ["article", "article", "article", "chapter", "article"]
