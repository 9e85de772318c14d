"""Conditions between questions refer to block and choice ids, picked in the admin.

Legacy conditions (a question code and typed labels, with «,» or «،») keep working; a
condition pointing at a question or choice that does not exist is refused in the editor;
translators are never offered a condition.
"""

import copy

import pytest
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from wagtail.blocks import StreamBlockValidationError
from wagtail_localize.segments.extract import StreamFieldSegmentExtractor

from pages.models import SurveyCampaignPage
from participation.questions.api import questionnaire_json
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.forms import FormBuilder, sign_started_at
from participation.questions.schema import read_questions

BLOCK = QuestionStreamBlock()
GROUP = "a0000000-0000-4000-8000-000000000001"
REASON = "a0000000-0000-4000-8000-000000000002"
NEVER, ONCE, OFTEN = (f"b0000000-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))


def raw(show_if):
    """A choice question and a text question shown under ``show_if``."""
    return [
        {
            "type": "single_choice",
            "id": GROUP,
            "value": {
                "label": "چند بار شرکت کرده‌اید؟",
                "help_text": "",
                "code": "frequency",
                "required": True,
                "choices": [
                    {"type": "item", "value": {"label": "هرگز"}, "id": NEVER},
                    {"type": "item", "value": {"label": "۱ تا ۳ بار"}, "id": ONCE},
                    {"type": "item", "value": {"label": "بیش از ۳ بار"}, "id": OFTEN},
                ],
            },
        },
        {
            "type": "short_text",
            "id": REASON,
            "value": {
                "label": "چرا کم؟",
                "help_text": "",
                "code": "why",
                "required": True,
                "max_length": 200,
                "show_if": show_if,
            },
        },
    ]


def stream(data):
    return BLOCK.to_python(copy.deepcopy(data))


def form_for(data, choice):
    form_class = FormBuilder(read_questions(stream(data))).get_form_class()
    data = {f"q_{GROUP}": [choice], f"q_{REASON}": [""], "started_at": [sign_started_at()]}
    return form_class(MultiValueDict(data))


@pytest.mark.parametrize("separator", ["،", ",", " ، "])
def test_a_legacy_condition_typed_with_either_comma_is_read_as_choice_ids(separator):
    legacy = {"question_code": "frequency", "answer_in": f"هرگز{separator}۱ تا ۳ بار"}
    [_, reason] = read_questions(stream(raw(legacy))).questions
    assert reason.condition.question_id == GROUP
    assert reason.condition.answers == (NEVER, ONCE)


@pytest.mark.django_db
@pytest.mark.parametrize(("choice", "shown"), [(NEVER, True), (ONCE, True), (OFTEN, False)])
def test_a_condition_typed_with_the_persian_comma_shows_its_question(choice, shown):
    legacy = {"question_code": "frequency", "answer_in": "هرگز، ۱ تا ۳ بار"}
    form = form_for(raw(legacy), choice)
    # Shown means required here: its empty answer is an error.
    assert form.is_valid() is not shown


def test_a_legacy_condition_is_shown_in_the_editor_as_ids():
    legacy = {"question_code": "frequency", "answer_in": "هرگز، ۱ تا ۳ بار"}
    value = stream(raw(legacy))
    state = BLOCK.get_form_state(value)
    show_if = state[1]["value"]["show_if"]
    assert show_if == {"question": GROUP, "answers": f"{NEVER} {ONCE}"}
    # And saved so from then on.
    assert BLOCK.get_prep_value(value)[1]["value"]["show_if"] == show_if


@pytest.mark.django_db
def test_relabelled_or_translated_choices_keep_the_condition():
    data = raw({"question": GROUP, "answers": f"{NEVER} {ONCE}"})
    for item, label in zip(
        data[0]["value"]["choices"], ["Never", "1–3 times", "More"], strict=True
    ):
        item["value"]["label"] = label
    assert not form_for(data, ONCE).is_valid()  # Shown, and required.
    assert form_for(data, OFTEN).is_valid()


def errors_of(data):
    with pytest.raises(StreamBlockValidationError) as caught:
        BLOCK.clean(stream(data))
    return caught.value.as_json_data()["blockErrors"]


@pytest.mark.parametrize(
    ("show_if", "field", "message"),
    [
        (
            {"question": "a0000000-0000-4000-8000-0000000000ff", "answers": NEVER},
            "question",
            "پرسشی که این شرط به آن اشاره می‌کند پیش از این پرسش وجود ندارد.",
        ),
        (
            {"question": GROUP, "answers": "b0000000-0000-4000-8000-0000000000ff"},
            "answers",
            "این شرط به پاسخی اشاره می‌کند که پرسش پیشین آن را ندارد.",
        ),
        (
            {"question": GROUP, "answers": ""},
            "answers",
            "دست‌کم یکی از پاسخ‌های پرسش پیشین را برگزینید.",
        ),
    ],
)
def test_a_condition_on_a_missing_question_or_choice_is_refused(show_if, field, message):
    with translation.override("fa"):
        errors = errors_of(raw(show_if))
    assert list(errors) == [1]
    assert errors[1]["blockErrors"]["show_if"]["blockErrors"][field] == {"messages": [message]}


def test_a_condition_on_a_later_question_is_refused():
    data = raw({"question": "", "answers": ""})
    data[0]["value"]["show_if"] = {"question": REASON, "answers": NEVER}
    assert list(errors_of(data)) == [0]


def test_a_sound_condition_passes():
    BLOCK.clean(stream(raw({"question": GROUP, "answers": OFTEN})))


def test_the_api_schema_gives_choice_ids():
    questions = questionnaire_json(stream(raw({"question": GROUP, "answers": f"{OFTEN}"})))
    assert questions["questions"][1]["show_if"] == {
        "question_id": GROUP,
        "question_code": "frequency",
        "answers": [OFTEN],
        "labels": ["بیش از ۳ بار"],
    }


def test_translators_are_not_offered_conditions_or_codes():
    field = SurveyCampaignPage._meta.get_field("questions")
    value = stream(raw({"question": GROUP, "answers": f"{NEVER} {ONCE}"}))
    segments = StreamFieldSegmentExtractor(field).handle_stream_block(value)
    texts = {segment.path: segment.render_text() for segment in segments}
    assert not [path for path in texts if "show_if" in path or path.endswith(".code")]
    assert "چند بار شرکت کرده‌اید؟" in texts.values()


def test_the_editor_widgets_carry_the_picker_script():
    from wagtail.blocks.base import BlockWidget

    assert "js/condition-picker.js" in str(BlockWidget(BLOCK).media)


@pytest.mark.django_db
def test_the_page_editor_offers_the_picker_not_text_boxes(client, home_page):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tests.pages.factories import CallIndexPageFactory
    from tests.people.factories import EditorFactory

    calls = CallIndexPageFactory(parent=home_page)
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی",
        slug="conditions",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        questions=raw({"question_code": "frequency", "answer_in": "هرگز، ۱ تا ۳ بار"}),
    )
    calls.add_child(instance=page)
    client.force_login(EditorFactory(email="conditions@ministry.test"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "js/condition-picker.js" in html
    assert "data-condition-picker" in html
    # The legacy condition arrives in the editor as ids, ready for the picker.
    assert NEVER in html and ONCE in html and "answer_in" not in html
