"""Property-based fuzzing of the normalisers and the form validators (items 9 and 12).

Strategies draw from the characters that make Persian input hard: Arabic and Persian
letter forms, ZWNJ, bidi controls, Persian and Arabic-Indic digits, emoji, NUL, other
controls, lone surrogates, and long runs. Normalisers must be idempotent, drop bidi
controls, keep ZWNJ inside words where their policy says so, and never grow the text
much; every form must validate or return errors, never raise.
"""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.models import SurveyCampaignPage
from participation.drafts.forms import ClauseCommentForm
from participation.forms import normalize_text
from participation.people.names import normalize_name
from participation.persian import normalize_for_search, to_latin_digits
from participation.questions.forms import FormBuilder
from participation.questions.schema import read_questions
from tests.participation.factories import question_stream

EXAMPLES = 150
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKS = ["\u200e", "\u200f", "\u061c"]
ZWNJ = "\u200c"
PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
ARABIC_FORMS = "يكىةۀأإؤئ" + "ﻻﺏﷲ"  # with presentation forms, as pasted from PDFs
DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789٫٬"
EMOJI = ["🙂", "👩🏽‍🎓", "🇮🇷", "❤️"]
SPECIAL = [ZWNJ, "\u200b", "\u200d", "\ufeff", "\u00ad", "\x00", "\r\n", "\t", "\u0640", "\u064b"]

tricky_char = st.one_of(
    st.sampled_from(list(PERSIAN_LETTERS + ARABIC_FORMS + DIGITS)),
    st.sampled_from(BIDI_CONTROLS + MARKS + EMOJI + SPECIAL),
    st.sampled_from(list(string.ascii_letters + string.punctuation + " ")),
    st.characters(codec="utf-8"),
)
tricky_text = st.lists(tricky_char, max_size=80).map("".join)
# With lone surrogates (allowed by Python str, refused by any encoder).
any_text = st.one_of(tricky_text, st.text(max_size=80))
long_text = st.builds(lambda piece, n: piece * n, tricky_text, st.integers(1, 1500))


# ---- Normalisers ------------------------------------------------------------------------


@fuzz
@given(tricky_text)
def test_search_normaliser_is_idempotent_and_strips_controls(text):
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once
    assert not set(once) & set(BIDI_CONTROLS + MARKS + [ZWNJ, "\ufeff"])
    assert not set(once) & set("يكى")
    assert to_latin_digits(once) == once
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in once)
    assert '"' not in once  # SQLite's full-text query syntax
    # NFKC may expand a ligature (ﷲ is four letters), never more than a few times.
    assert len(once) <= 18 * len(text)


@fuzz
@given(tricky_text)
def test_name_normaliser_is_idempotent_keeps_zwnj_and_drops_bidi(text):
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert not set(once) & set(BIDI_CONTROLS + MARKS)
    assert not set(once) & set("يك")
    assert len(once) <= len(text) * 3 + 1
    assert once == once.strip() and "  " not in once


@fuzz
@given(
    st.text(PERSIAN_LETTERS, min_size=1, max_size=8),
    st.text(PERSIAN_LETTERS, min_size=1, max_size=8),
)
def test_zwnj_inside_a_word_is_kept_by_names_and_a_space_for_search(left, right):
    word = f"{left}{ZWNJ}{right}"
    assert normalize_name(word) == word
    assert normalize_for_search(word) == f"{left} {right}"


@fuzz
@given(tricky_text)
def test_free_text_normaliser_folds_arabic_letters_and_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert not set(once) & set("يك")
    assert "\r\n" not in once


@fuzz
@given(long_text)
def test_normalisers_take_long_text_in_bounded_size(text):
    assert len(normalize_name(text)) <= len(text) * 3
    assert len(normalize_for_search(text)) <= len(text) * 18


# ---- Form validators --------------------------------------------------------------------


@pytest.fixture(scope="module")
def survey_form_class():
    """The form of a survey asking every question type."""
    stream_block = SurveyCampaignPage._meta.get_field("questions").stream_block
    questions = stream_block.to_python(question_stream())
    return FormBuilder(read_questions(questions)).get_form_class()


def post_data_for(form_class):
    """A strategy of POST data: each field missing, text, a list of texts, or junk."""
    names = [name for name in form_class.base_fields if name != "started_at"]
    value = st.one_of(any_text, long_text, st.lists(any_text, max_size=4))
    return st.dictionaries(st.sampled_from(names), value, max_size=len(names))


def querydict(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def validate(form):
    """Validation either passes or reports errors; any exception fails the test."""
    if form.is_valid():
        return form.cleaned_data
    assert form.errors
    return None


def test_every_question_type_is_fuzzed(survey_form_class):
    from participation.questions.choices import QuestionType

    asked = {q.type for q in survey_form_class.questionnaire.questions}
    assert asked >= set(QuestionType.values) - {"step"}


@pytest.mark.django_db
def test_survey_form_validates_or_reports_never_raises(survey_form_class):
    @fuzz
    @given(post_data_for(survey_form_class), st.sampled_from([None, 1, 2]))
    def check(data, step):
        validate(survey_form_class(querydict(data), step=step))

    check()


@pytest.mark.django_db
def test_clause_comment_form_validates_or_reports_never_raises():
    fields = ["kind", "stance", "body", "proposed_text", "form_rendered", "website"]

    @fuzz
    @given(st.dictionaries(st.sampled_from(fields), st.one_of(any_text, long_text)))
    def check(data):
        validate(ClauseCommentForm(querydict(data), clause_text="متن بند"))

    check()


@pytest.mark.django_db
def test_idea_form_validates_or_reports_never_raises(home_page):
    from participation.ideas.forms import IdeaForm
    from tests.participation.ideas.factories import add_idea_call
    from tests.people.factories import UserFactory

    page = add_idea_call(home_page, slug="fuzz-ideas")
    user = UserFactory(role="faculty")
    fields = ["kind", "category", "title", "summary", "body", "organization", "show_in_gallery"]

    @fuzz
    @given(st.dictionaries(st.sampled_from(fields), st.one_of(any_text, long_text)))
    def check(data):
        validate(IdeaForm(querydict(data), page=page, user=user))

    check()


def test_a_nul_byte_is_a_form_error_not_a_crash(survey_form_class):
    """Lone surrogates cannot arrive in a form: Django decodes bodies with "replace"."""
    from tests.participation.factories import Q

    field = f"q_{Q['major']}"
    form = survey_form_class(querydict({field: "علی\x00"}), step=1)
    assert not form.is_valid()
    assert field in form.errors
