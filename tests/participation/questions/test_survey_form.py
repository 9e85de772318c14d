"""The survey form built from a questionnaire: every question type, valid and invalid."""

import datetime

import pytest
from django.core import signing
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from pages.models import SurveyCampaignPage
from participation.questions.forms import (
    FormBuilder,
    answers_from_cleaned_data,
    initial_from_answers,
    sign_started_at,
)
from participation.questions.schema import read_questions
from tests.participation.factories import C, Q, R, question_stream, valid_answers

# Building an unsaved page reads its default locale from the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def persian():
    with translation.override("fa"):
        yield


def questionnaire(steps=True):
    return read_questions(SurveyCampaignPage(questions=question_stream(steps)).questions)


def name(key, sub=None):
    return f"q_{Q[key]}" + (f"__{sub}" if sub else "")


def make_form(changes=None, remove=(), step=None, steps=True):
    data = valid_answers()
    data.update(changes or {})
    for key in remove:
        data.pop(key, None)
    data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    form_class = FormBuilder(questionnaire(steps)).get_form_class()
    return form_class(data, step=step)


def errors_of(form, field):
    return [str(error) for error in form.errors.get(field, [])]


def codes_of(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


def test_field_names_come_from_block_ids_not_labels():
    form_class = FormBuilder(questionnaire()).get_form_class()
    fields = form_class.base_fields
    assert name("attended") in fields  # labelled «»
    assert name("story") in fields  # labelled 🙂
    assert name("hours") in fields  # labelled ؟
    assert fields[name("attended")].label == "«»"
    assert {name("statements", R["varied"]), name("statements", R["timing"])} <= set(fields)
    assert {name("priorities", C[key]) for key in ("dorms", "food", "culture")} <= set(fields)


def test_a_complete_valid_response_gives_typed_answer_rows():
    form = make_form()
    assert form.is_valid(), form.errors
    answers = answers_from_cleaned_data(form.questionnaire, form.cleaned_data)
    rows = {(a.question_id, a.row_id, a.choice_id): a for a in answers}
    assert len(answers) == 16
    assert rows[(Q["major"], "", "")].text == "علوم اجتماعی"  # Arabic ي folded to ی
    assert rows[(Q["attended"], "", C["yes"])].number is None
    assert rows[(Q["story"], "", "")].text == "جشنوارهٔ تئاتر"
    assert rows[(Q["hours"], "", "")].number == 12
    assert rows[(Q["last_event"], "", "")].date == datetime.date(2026, 11, 24)
    assert {a.choice_id for a in answers if a.question_id == Q["interests"]} == {
        C["theatre"],
        C["books"],
    }
    assert rows[(Q["satisfied"], "", "")].number == 4
    assert rows[(Q["recommend"], "", "")].number == 9
    assert rows[(Q["priorities"], "", C["food"])].number == 1
    assert rows[(Q["priorities"], "", C["culture"])].number == 3
    assert rows[(Q["statements"], R["varied"], "")].number == 5
    assert rows[(Q["statements"], R["timing"], "")].number == 2
    assert rows[(Q["consent"], "", "")].number == 1
    assert rows[(Q["campus"], "", C["north"])]


def test_started_at_is_read_from_the_signed_value():
    moment = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
    form = make_form({"started_at": sign_started_at(moment)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["started_at"] == moment


@pytest.mark.parametrize("value", ["", "not-signed", signing.dumps(1.0, salt="other")])
def test_a_missing_or_tampered_start_time_is_refused(value):
    form = make_form({"started_at": value})
    assert not form.is_valid()
    assert "started_at" in form.errors


# ---- text ---------------------------------------------------------------------------


def test_oversized_text_is_refused_with_persian_digits():
    form = make_form({name("major"): "ا" * 51})
    assert not form.is_valid()
    assert codes_of(form, name("major")) == ["max_length"]
    assert "۵۰" in errors_of(form, name("major"))[0]
    assert "۵۱" in errors_of(form, name("major"))[0]


def test_required_text_cannot_be_only_spaces():
    form = make_form({name("major"): "   "})
    assert not form.is_valid()
    assert errors_of(form, name("major"))


# ---- choices ------------------------------------------------------------------------


def test_a_tampered_choice_id_is_refused():
    form = make_form({name("attended"): "00000000-0000-4000-8000-000000000000"})
    assert not form.is_valid()
    assert errors_of(form, name("attended"))


def test_select_display_accepts_empty_when_optional():
    form = make_form({name("campus"): ""})
    assert form.is_valid(), form.errors
    answers = answers_from_cleaned_data(form.questionnaire, form.cleaned_data)
    assert not [a for a in answers if a.question_id == Q["campus"]]


@pytest.mark.parametrize(
    ("chosen", "valid"),
    [
        ([], False),  # required, and at least one
        (["theatre"], True),
        (["theatre", "music"], True),
        (["theatre", "music", "books"], False),  # at most two
        (["theatre", "bogus"], False),
    ],
)
def test_multiple_choice_bounds(chosen, valid):
    ids = [C.get(key, "bogus-id") for key in chosen]
    form = make_form({name("interests"): ids})
    assert form.is_valid() is valid, form.errors


@pytest.mark.parametrize(("value", "valid"), [("1", True), ("5", True), ("0", False), ("6", False)])
def test_likert_accepts_only_scale_points(value, valid):
    assert make_form({name("satisfied"): value}).is_valid() is valid


@pytest.mark.parametrize(
    ("value", "valid"), [("0", True), ("10", True), ("11", False), ("-1", False), ("x", False)]
)
def test_rating_from_zero_to_ten(value, valid):
    assert make_form({name("recommend"): value}).is_valid() is valid


# ---- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("۱۲", 12), ("١٢", 12), ("12", 12), ("۰", 0)])
def test_numbers_accept_persian_arabic_and_latin_digits(value, expected):
    form = make_form({name("hours"): value})
    assert form.is_valid(), form.errors
    answers = answers_from_cleaned_data(form.questionnaire, form.cleaned_data)
    assert next(a for a in answers if a.question_id == Q["hours"]).number == expected


@pytest.mark.parametrize(
    ("value", "code", "message_part"),
    [
        ("۸۱", "range", "۸۰"),
        ("-1", "range", "۰"),
        ("۱٫۵", "whole", ""),
        ("دوازده", "invalid", ""),
        ("1e400", "too_large", ""),
        ("NaN", "invalid", ""),
    ],
)
def test_numbers_out_of_range_or_not_whole_are_refused(value, code, message_part):
    form = make_form({name("hours"): value})
    assert not form.is_valid()
    assert codes_of(form, name("hours")) == [code]
    assert message_part in errors_of(form, name("hours"))[0]


# ---- dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("۱۴۰۵/۰۹/۰۳", datetime.date(2026, 11, 24)),
        ("1405/9/3", datetime.date(2026, 11, 24)),
        ("۱۴۰۵-۰۱-۰۱", datetime.date(2026, 3, 21)),
    ],
)
def test_jalali_dates_are_stored_as_gregorian(value, expected):
    form = make_form({name("last_event"): value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[name("last_event")] == expected


@pytest.mark.parametrize("value", ["1405/13/01", "1405/02/32", "۱۴۰۵/۰۹", "دیروز"])
def test_impossible_or_malformed_dates_are_refused(value):
    form = make_form({name("last_event"): value})
    assert not form.is_valid()
    assert errors_of(form, name("last_event"))


# ---- ranking and matrix -------------------------------------------------------------


def test_ranking_needs_each_rank_once():
    form = make_form({name("priorities", C["culture"]): "1"})  # two items ranked 1
    assert not form.is_valid()
    assert "۳" in errors_of(form, name("priorities", C["dorms"]))[0]


def test_ranking_refuses_ranks_out_of_range_and_missing_items():
    assert not make_form({name("priorities", C["culture"]): "4"}).is_valid()
    assert not make_form(remove=[name("priorities", C["culture"])]).is_valid()


def test_matrix_needs_every_row_and_a_scale_point():
    assert not make_form(remove=[name("statements", R["timing"])]).is_valid()
    form = make_form({name("statements", R["varied"]): "9"})
    assert not form.is_valid()
    assert name("statements", R["varied"]) in form.errors


# ---- consent ------------------------------------------------------------------------


def test_required_consent_must_be_ticked():
    form = make_form(remove=[name("consent")])
    assert not form.is_valid()
    assert errors_of(form, name("consent"))


# ---- conditions ---------------------------------------------------------------------


def test_a_conditional_question_is_required_when_its_condition_holds():
    form = make_form({name("story"): ""})
    assert not form.is_valid()
    assert errors_of(form, name("story"))


def test_a_conditional_question_is_skipped_and_discarded_otherwise():
    form = make_form({name("attended"): C["no"], name("story"): "x" * 900})
    assert form.is_valid(), form.errors  # too long, but hidden: its answer doesn't count
    answers = answers_from_cleaned_data(form.questionnaire, form.cleaned_data)
    assert not [a for a in answers if a.question_id == Q["story"]]


# ---- steps --------------------------------------------------------------------------


def test_a_step_form_validates_only_its_steps():
    first_step = [name(key) for key in ("major", "attended", "story", "hours", "last_event")]
    data = {key: value for key, value in valid_answers().items() if key in first_step}
    data["started_at"] = sign_started_at()
    form_class = FormBuilder(questionnaire()).get_form_class()
    form = form_class(data, step=0)
    assert set(form.fields) == {*first_step, "started_at"}
    assert form.is_valid(), form.errors
    assert not form_class(data).is_valid()  # the whole form still needs step 2


def test_questionnaire_steps():
    assert questionnaire().step_count == 2
    assert questionnaire(steps=False).step_count == 1


# ---- editing ------------------------------------------------------------------------


def test_initial_from_answers_round_trips():
    form = make_form()
    assert form.is_valid()
    answers = answers_from_cleaned_data(form.questionnaire, form.cleaned_data)
    initial = initial_from_answers(form.questionnaire, answers)
    assert initial[name("hours")] == "۱۲"
    assert initial[name("last_event")] == "۱۴۰۵/۰۹/۰۳"
    assert initial[name("priorities", C["food"])] == "1"
    initial["started_at"] = sign_started_at()
    data = MultiValueDict(
        {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in initial.items()}
    )
    data.setlist(name("consent"), ["on"])
    again = type(form)(data)
    assert again.is_valid(), again.errors
    assert sorted(
        (a.question_id, a.row_id, a.choice_id, a.number, a.text, a.date)
        for a in answers_from_cleaned_data(form.questionnaire, again.cleaned_data)
    ) == sorted((a.question_id, a.row_id, a.choice_id, a.number, a.text, a.date) for a in answers)
