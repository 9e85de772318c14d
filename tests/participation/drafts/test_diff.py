import html
import re

import pytest
from django.utils.safestring import SafeString
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from participation.drafts.diff import (
    DiffPiece,
    compare_texts,
    render_word_diff,
    summary,
    text_after,
    text_before,
    tokenize,
    word_diff,
)
from participation.drafts.outline import build_outline

ZWNJ = "\u200c"


def eq(text, old_text=None):
    return DiffPiece("equal", text, old_text)


def ins(text):
    return DiffPiece("insert", text)


def dele(text):
    return DiffPiece("delete", text)


# ---- Tokens ---------------------------------------------------------------------------


def test_tokens_keep_zwnj_words_whole_and_split_punctuation():
    text = "این حکم «می‌شود» (الف)، لازم‌الاجرا است؛ آیا؟ بله! پایان.\nبعد: ۱۲"
    assert tokenize(text) == [
        "این",
        " ",
        "حکم",
        " ",
        "«",
        "می‌شود",
        "»",
        " ",
        "(",
        "الف",
        ")",
        "،",
        " ",
        "لازم‌الاجرا",
        " ",
        "است",
        "؛",
        " ",
        "آیا",
        "؟",
        " ",
        "بله",
        "!",
        " ",
        "پایان",
        ".",
        "\n",
        "بعد",
        ":",
        " ",
        "۱۲",
    ]


def test_tokens_keep_harakat_inside_the_word():
    assert tokenize("قانونِ اساسی") == ["قانونِ", " ", "اساسی"]


# ---- word_diff ------------------------------------------------------------------------


def test_identical_texts_are_one_equal_piece():
    text = "دانشگاه موظف است گزارش را منتشر کند."
    assert word_diff(text, text) == [eq(text)]


def test_empty_texts():
    assert word_diff("", "") == []
    assert word_diff("", "متن تازه") == [ins("متن تازه")]
    assert word_diff("متن قدیم", "") == [dele("متن قدیم")]


def test_insertion_of_a_zwnj_word():
    old = "گزارش منتشر شود."
    new = "گزارش سالانه‌ی دانشگاه منتشر شود."
    assert word_diff(old, new) == [
        eq("گزارش "),
        ins("سالانه‌ی دانشگاه "),
        eq("منتشر شود."),
    ]


def test_deletion_of_a_zwnj_word():
    old = "این آیین‌نامه از تاریخ تصویب اجرا می‌شود."
    new = "این آیین‌نامه اجرا می‌شود."
    assert word_diff(old, new) == [
        eq("این آیین‌نامه "),
        dele("از تاریخ تصویب "),
        eq("اجرا می‌شود."),
    ]


def test_replacing_a_zwnj_word_replaces_the_whole_word():
    old = "شورا تصمیم می‌گیرد."
    new = "شورا تصمیم نمی‌گیرد."
    assert word_diff(old, new) == [eq("شورا تصمیم "), dele("می‌گیرد"), ins("نمی‌گیرد"), eq(".")]


def test_replacement_of_several_words_is_one_deletion_then_one_insertion():
    # The shared spaces between the replaced words do not split the replacement.
    assert word_diff("مهلت سه ماه است", "مهلت شش هفته است") == [
        eq("مهلت "),
        dele("سه ماه"),
        ins("شش هفته"),
        eq(" است"),
    ]


def test_punctuation_changes_are_their_own_tokens():
    old = "دانشجویان، استادان و کارکنان"
    new = "دانشجویان؛ استادان، و کارکنان."
    assert word_diff(old, new) == [
        eq("دانشجویان"),
        dele("،"),
        ins("؛"),
        eq(" استادان"),
        ins("،"),
        eq(" و کارکنان"),
        ins("."),
    ]


def test_guillemets_and_parentheses_are_tokens():
    assert word_diff("«الف» (ب)", "«الف» ب") == [eq("«الف» "), dele("("), eq("ب"), dele(")")]


def test_arabic_letter_forms_are_the_same_word_and_show_the_new_spelling():
    old = "شوراي عالي كميته"
    new = "شورای عالی کمیته"
    pieces = word_diff(old, new)
    assert pieces == [eq(new, old)]
    assert text_after(pieces) == new
    assert text_before(pieces) == old


def test_arabic_indic_digits_are_the_same_as_persian_digits():
    assert word_diff("ماده ٤٥", "ماده ۴۵") == [eq("ماده ۴۵", "ماده ٤٥")]


def test_kind_of_whitespace_does_not_count():
    old = "بند  الف\tو\nبند ب"
    new = "بند الف و بند\u00a0ب"
    assert word_diff(old, new) == [eq(new, old)]


def test_a_real_change_next_to_a_letter_form_difference():
    assert word_diff("كتاب قديم", "کتاب جدید") == [
        eq("کتاب ", "كتاب "),
        dele("قديم"),
        ins("جدید"),
    ]


def test_zwnj_versus_space_is_a_change():
    assert word_diff("می شود", "می‌شود") == [dele("می شود"), ins("می‌شود")]


persian_text = st.text(
    alphabet=st.sampled_from(
        [
            *"ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
            *"يكى٤۴",
            ZWNJ,
            " ",
            " ",
            "\n",
            "\t",
            "\u00a0",
            *"،؛.:!؟«»()",
            *"abcXYZ019",
            *"<>&\"'",
        ]
    ),
    max_size=60,
)


@given(old=persian_text, new=persian_text)
def test_pieces_put_back_together_give_both_texts(old, new):
    pieces = word_diff(old, new)
    assert "".join(piece.text for piece in pieces if piece.op != "delete") == new
    assert text_after(pieces) == new
    assert text_before(pieces) == old
    assert all(piece.text or piece.old_text for piece in pieces)
    # Adjacent pieces never have the same kind, and a deletion always precedes its insertion.
    ops = [piece.op for piece in pieces]
    assert all(first != second for first, second in zip(ops, ops[1:], strict=False))
    assert ("insert", "delete") not in set(zip(ops, ops[1:], strict=False))


@given(old=persian_text, new=persian_text)
def test_rendered_html_reads_as_the_new_text_without_deletions(old, new):
    rendered = str(render_word_diff(old, new))
    shown = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", rendered)
    shown = re.sub(r"<del [^>]*>[^<]*</del>", "", shown)
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == new


@given(text=persian_text)
def test_a_text_compared_with_itself_is_all_equal(text):
    assert all(piece.op == "equal" for piece in word_diff(text, text))


# ---- render_word_diff ----------------------------------------------------------------


def test_rendered_diff_in_english():
    with override("en"):
        rendered = render_word_diff("مهلت سه ماه است", "مهلت شش هفته و دو روز است")
    assert isinstance(rendered, SafeString)
    assert rendered == (
        '<span class="word-diff" dir="auto">مهلت '
        '<span class="word-diff__replacement">'
        '<del class="word-diff__del"><span class="visually-hidden">[deleted: </span>'
        'سه ماه<span class="visually-hidden">]</span></del>'
        '<ins class="word-diff__ins"><span class="visually-hidden">[inserted: </span>'
        'شش هفته و دو روز<span class="visually-hidden">]</span></ins>'
        "</span> است</span>"
    )


def test_rendered_insertion_and_deletion_alone():
    with override("en"):
        assert render_word_diff("الف ب", "الف ب ج") == (
            '<span class="word-diff" dir="auto">الف ب'
            '<ins class="word-diff__ins"><span class="visually-hidden">[inserted: </span>'
            ' ج<span class="visually-hidden">]</span></ins></span>'
        )
        assert render_word_diff("الف ب ج", "الف ج") == (
            '<span class="word-diff" dir="auto">الف '
            '<del class="word-diff__del"><span class="visually-hidden">[deleted: </span>'
            'ب <span class="visually-hidden">]</span></del>ج</span>'
        )


def test_rendered_announcements_in_persian():
    # The Persian comes from the fa catalogue (locale/fa/LC_MESSAGES/django.po).
    with override("fa"):
        rendered = render_word_diff("الف ب", "الف ج")
    assert rendered == (
        '<span class="word-diff" dir="auto">الف '
        '<span class="word-diff__replacement">'
        '<del class="word-diff__del"><span class="visually-hidden">[حذف: </span>'
        'ب<span class="visually-hidden">]</span></del>'
        '<ins class="word-diff__ins"><span class="visually-hidden">[افزوده: </span>'
        'ج<span class="visually-hidden">]</span></ins>'
        "</span></span>"
    )


def test_identical_texts_render_without_del_or_ins():
    assert render_word_diff("بند الف", "بند الف") == (
        '<span class="word-diff" dir="auto">بند الف</span>'
    )


def test_html_in_either_text_is_escaped():
    with override("en"):
        rendered = render_word_diff(
            '<script>alert("old")</script> ماده', "<script>alert('new')</script> ماده & <b>"
        )
    assert "<script>" not in rendered
    assert "<b>" not in rendered
    assert rendered == (
        '<span class="word-diff" dir="auto">&lt;script&gt;alert('
        '<span class="word-diff__replacement">'
        '<del class="word-diff__del"><span class="visually-hidden">[deleted: </span>'
        '&quot;old&quot;<span class="visually-hidden">]</span></del>'
        '<ins class="word-diff__ins"><span class="visually-hidden">[inserted: </span>'
        '&#x27;new&#x27;<span class="visually-hidden">]</span></ins>'
        "</span>)&lt;/script&gt; ماده"
        '<ins class="word-diff__ins"><span class="visually-hidden">[inserted: </span>'
        ' &amp; &lt;b&gt;<span class="visually-hidden">]</span></ins></span>'
    )


# ---- compare_texts -------------------------------------------------------------------


def article(block_id, text, title=""):
    return ("article", {"title": title, "text": text}, block_id)


def clause(block_id, text):
    return ("clause", {"text": text}, block_id)


def chapter(block_id, title):
    return ("chapter", {"title": title}, block_id)


def shape(changes):
    """(status, old id, new id, renumbered, moved) of each change."""
    return [
        (
            change.status,
            change.old.id if change.old else None,
            change.new.id if change.new else None,
            change.renumbered,
            change.moved,
        )
        for change in changes
    ]


@pytest.fixture
def rounds():
    old = build_outline(
        [
            chapter("ch1", "کليات"),
            article("a1", "تعاریف این آیین‌نامه.", "تعاریف"),
            clause("c1", "دانشگاه: دانشگاه تهران"),
            clause("c2", "شورا: شورای دانشگاه"),
            clause("c3", "دبیرخانه: دبیرخانه شورا"),
            article("a2", "مهلت سه ماه است."),
            clause("c4", "حذف‌شدنی اول"),
            clause("c5", "حذف‌شدنی دوم"),
            article("a3", "اجرا از تاریخ تصویب."),
        ]
    )
    new = build_outline(
        [
            chapter("ch1", "کلیات"),
            article("a1", "تعاریف این آیین‌نامه.", "واژه‌ها"),
            clause("c1", "دانشگاه: دانشگاه تهران"),
            clause("c3", "دبیرخانه: دبیرخانه شورا"),
            clause("c6", "کمیته: کمیته انضباطی"),
            article("a2", "مهلت شش هفته است."),
            article("a3", "اجرا از تاریخ تصویب."),
        ]
    )
    return old, new


def test_compare_texts_statuses_and_order(rounds):
    old, new = rounds
    with override("fa"):
        changes = compare_texts(old, new)
    assert shape(changes) == [
        ("unchanged", "ch1", "ch1", False, False),  # only ي → ی in the title
        ("changed", "a1", "a1", False, False),  # title changed
        ("unchanged", "c1", "c1", False, False),
        ("removed", "c2", None, False, False),  # after its old neighbour c1
        ("unchanged", "c3", "c3", True, False),  # بند پ became بند ب
        ("added", None, "c6", False, False),
        ("changed", "a2", "a2", False, False),
        ("removed", "c4", None, False, False),  # after a2, in old order
        ("removed", "c5", None, False, False),
        ("unchanged", "a3", "a3", False, False),
    ]
    assert summary(changes) == {
        "unchanged": 4,
        "changed": 2,
        "added": 1,
        "removed": 3,
        "renumbered": 1,
        "moved": 0,
    }


def test_compare_texts_diffs(rounds):
    old, new = rounds
    with override("en"):
        changes = {change.provision.id: change for change in compare_texts(old, new)}
        assert changes["a2"].diff_html == render_word_diff("مهلت سه ماه است.", "مهلت شش هفته است.")
        assert changes["a1"].title_diff_html == render_word_diff("تعاریف", "واژه‌ها")
        assert changes["c6"].diff_html == render_word_diff("", "کمیته: کمیته انضباطی")
        assert changes["c2"].diff_html == render_word_diff("شورا: شورای دانشگاه", "")
    assert "[deleted: " in changes["a2"].diff_html
    assert changes["a1"].diff_html == (
        '<span class="word-diff" dir="auto">تعاریف این آیین‌نامه.</span>'
    )
    assert changes["ch1"].title_diff_html == '<span class="word-diff" dir="auto">کلیات</span>'
    assert changes["ch1"].diff_html == ""  # chapters have no text
    assert "<del" not in changes["c6"].diff_html
    assert "<ins" not in changes["c2"].diff_html
    # Clauses have no title: nothing to show.
    assert changes["c1"].title_diff_html == ""
    assert changes["c2"].provision is changes["c2"].old
    assert changes["c6"].provision is changes["c6"].new


def test_removed_provisions_before_any_survivor_come_first():
    old = build_outline([article("x", "رفته"), article("a", "مانده")])
    new = build_outline([article("n", "تازه"), article("a", "مانده")])
    assert shape(compare_texts(old, new)) == [
        ("removed", "x", None, False, False),
        ("added", None, "n", False, False),
        ("unchanged", "a", "a", False, False),
    ]


def test_moved_and_renumbered_articles():
    old = build_outline([article("a", "یک"), article("b", "دو"), article("c", "سه")])
    new = build_outline([article("c", "سه"), article("a", "یک"), article("b", "دو")])
    assert shape(compare_texts(old, new)) == [
        ("unchanged", "c", "c", True, True),
        ("unchanged", "a", "a", True, False),
        ("unchanged", "b", "b", True, False),
    ]


def test_clause_moved_to_another_article():
    old = build_outline(
        [article("a", "یک"), clause("k", "بند"), article("b", "دو"), clause("m", "دیگر")]
    )
    new = build_outline(
        [article("a", "یک"), article("b", "دو"), clause("k", "بند"), clause("m", "دیگر")]
    )
    assert shape(compare_texts(old, new)) == [
        ("unchanged", "a", "a", False, False),
        ("unchanged", "b", "b", False, False),
        ("unchanged", "k", "k", False, True),
        ("unchanged", "m", "m", True, False),
    ]


def test_provisions_without_id_are_not_matched():
    old = build_outline([article("", "یک")])
    new = build_outline([article("", "یک")])
    assert shape(compare_texts(old, new)) == [
        ("removed", "", None, False, False),
        ("added", None, "", False, False),
    ]


def test_summary_of_nothing():
    assert summary([]) == {
        "unchanged": 0,
        "changed": 0,
        "added": 0,
        "removed": 0,
        "renumbered": 0,
        "moved": 0,
    }
