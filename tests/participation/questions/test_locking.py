"""Questionnaire locking: once a call has responses, edits that would orphan answers are refused."""

import copy
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.test.utils.form_data import querydict_from_html

from pages.models import SurveyCampaignPage
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.locking import find_conflicts, locking_conflicts
from participation.questions.schema import read_questions
from participation.submissions.models import Answer
from participation.submissions.services import submit_response
from participation.surveys.demo import build_questions
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOCK = QuestionStreamBlock()

QUESTIONS = [
    ("step", "دربارهٔ شما"),
    (
        "single_choice",
        {"label": "مقطع تحصیلی", "code": "level", "choices": ["کارشناسی", "ارشد", "دکتری"]},
    ),
    ("short_text", {"label": "رشته", "code": "field", "required": False}),
    ("step", "نظر شما"),
    ("likert", {"label": "برنامه‌ها مفیدند.", "code": "useful", "points": "5"}),
    (
        "matrix",
        {"label": "موافقید؟", "code": "grid", "points": "5", "rows": ["متنوع‌اند.", "به‌موقع‌اند."]},
    ),
]


def raw_questions():
    """The stored form of a small questionnaire: ids fixed, so edits can keep or drop them."""
    return build_questions("locking-test", QUESTIONS)


def stream(raw):
    return BLOCK.to_python(copy.deepcopy(raw))


def question(raw, code):
    return next(item for item in raw if item["type"] != "step" and item["value"]["code"] == code)


def reasons(conflicts):
    return [(conflict.reason, conflict.label) for conflict in conflicts]


# The comparison on its own.


def test_an_unchanged_questionnaire_has_no_conflicts():
    assert find_conflicts(stream(raw_questions()), stream(raw_questions())) == []


def test_relabelling_reordering_and_adding_are_allowed():
    edited = raw_questions()
    question(edited, "level")["value"]["label"] = "مقطع تحصیلی شما"
    question(edited, "level")["value"]["help_text"] = "مقطع فعلی"
    choices = question(edited, "level")["value"]["choices"]
    choices[0]["value"]["label"] = "کارشناسی پیوسته"
    choices.reverse()
    choices.append({"type": "item", "value": {"label": "کاردانی"}, "id": "new-choice"})
    question(edited, "grid")["value"]["rows"].append(
        {"type": "item", "value": {"label": "ارزان‌اند."}, "id": "new-row"}
    )
    edited.reverse()  # Steps and questions in another order, steps included.
    edited.append({"type": "rating", "value": {"label": "امتیاز", "code": "nps"}, "id": "new-q"})
    edited = [item for item in edited if item["value"] != {"title": "نظر شما"}]  # A step gone.
    assert find_conflicts(stream(raw_questions()), stream(edited)) == []


def test_removing_a_question_is_refused():
    edited = [item for item in raw_questions() if item["value"].get("code") != "field"]
    conflicts = find_conflicts(stream(raw_questions()), stream(edited))
    assert reasons(conflicts) == [("removed", "رشته")]
    with translation.override("en"):
        assert conflicts[0].message == "«رشته» has responses: it cannot be removed."


def test_removing_a_choice_or_a_matrix_row_is_refused():
    edited = raw_questions()
    del question(edited, "level")["value"]["choices"][1]
    del question(edited, "grid")["value"]["rows"][0]
    conflicts = find_conflicts(stream(raw_questions()), stream(edited))
    assert reasons(conflicts) == [("choice_removed", "مقطع تحصیلی"), ("row_removed", "موافقید؟")]
    with translation.override("en"):
        assert "its choice «ارشد» cannot be removed" in conflicts[0].message
        assert "its statement «متنوع‌اند.» cannot be removed" in conflicts[1].message


def test_replacing_a_choice_by_a_new_one_with_the_same_label_is_refused():
    edited = raw_questions()
    question(edited, "level")["value"]["choices"][0]["id"] = "a-new-id"
    conflicts = find_conflicts(stream(raw_questions()), stream(edited))
    assert reasons(conflicts) == [("choice_removed", "مقطع تحصیلی")]


def test_changing_a_question_type_is_refused():
    edited = raw_questions()
    level = question(edited, "level")
    level["type"] = "multiple_choice"
    conflicts = find_conflicts(stream(raw_questions()), stream(edited))
    assert reasons(conflicts) == [("type_changed", "مقطع تحصیلی")]
    with translation.override("en"):
        assert "from Single choice to Multiple choice" in conflicts[0].message


def test_changing_the_number_of_likert_or_matrix_points_is_refused():
    edited = raw_questions()
    question(edited, "useful")["value"]["points"] = "7"
    question(edited, "grid")["value"]["points"] = "7"
    conflicts = find_conflicts(stream(raw_questions()), stream(edited))
    assert reasons(conflicts) == [
        ("points_changed", "برنامه‌ها مفیدند."),
        ("points_changed", "موافقید؟"),
    ]
    with translation.override("fa"):
        assert "۵" in conflicts[0].message and "۷" in conflicts[0].message


# On a real call, through the page editor.


@pytest.fixture
def survey(home_page):
    calls = CallIndexPageFactory(parent=home_page)
    now = timezone.now()
    page = SurveyCampaignPage(
        title="نظرسنجی برنامه‌های فرهنگی",
        slug="survey",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        questions=raw_questions(),
    )
    calls.add_child(instance=page)
    page.save_revision().publish()
    return SurveyCampaignPage.objects.get(pk=page.pk)


def respond(page):
    """One response answering «level» (its second choice), «field» and «useful», not «grid»."""
    questionnaire = read_questions(page.questions)
    by_code = questionnaire.by_code()
    level = by_code["level"]
    answers = [
        Answer(question_id=level.id, choice_id=level.choices[1].id),
        Answer(question_id=by_code["field"].id, text="ریاضی"),
        Answer(question_id=by_code["useful"].id, number=4),
    ]
    submit_response(page, UserFactory(), answers, questionnaire, language="fa")


def test_a_call_without_responses_can_change_freely(survey):
    edited = [item for item in raw_questions() if item["type"] == "step"]
    assert locking_conflicts(survey, stream(edited)) == []
    respond(survey)
    # Only the three answered questions are locked; «grid» never was answered.
    assert reasons(locking_conflicts(survey, stream(edited))) == [
        ("removed", "مقطع تحصیلی"),
        ("removed", "رشته"),
        ("removed", "برنامه‌ها مفیدند."),
    ]


def test_only_what_has_answers_is_locked(survey):
    respond(survey)
    edited = [item for item in raw_questions() if item["value"].get("code") != "grid"]
    del question(edited, "level")["value"]["choices"][0]  # Never chosen.
    assert locking_conflicts(survey, stream(edited)) == []
    del question(edited, "level")["value"]["choices"][0]  # The one chosen.
    assert reasons(locking_conflicts(survey, stream(edited))) == [("choice_removed", "مقطع تحصیلی")]


def test_the_page_editor_removes_a_question_added_by_mistake(editor_client, survey):
    respond(survey)
    mistake = {"type": "short_text", "value": {"label": "اشتباه", "code": "oops"}, "id": "oops-id"}
    draft = survey.get_latest_revision_as_object()
    draft.questions = [*raw_questions(), mistake]
    draft.save_revision()
    edited = raw_questions()  # The unanswered question removed again.

    response = edit_page(editor_client, survey, edited)

    assert response.status_code == 302, response.context["form"].errors
    survey.refresh_from_db()
    latest = read_questions(survey.get_latest_revision_as_object().questions)
    assert "oops" not in latest.by_code()


def test_the_live_questions_count_even_when_a_draft_already_dropped_one(survey):
    respond(survey)
    draft = survey.get_latest_revision_as_object()
    draft.questions = [item for item in raw_questions() if item["value"].get("code") != "field"]
    # The editor's form compares with the draft it edits and with what participants answer.
    assert reasons(locking_conflicts(draft, draft.questions)) == [("removed", "رشته")]


def block_form_data(block, value, prefix):
    """The page editor's POST data for a StreamField, StructBlock, ListBlock or field value."""
    data = {}
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(value))
        for index, child in enumerate(value):
            item = f"{prefix}-{index}"
            data.update({f"{item}-type": child.block_type, f"{item}-id": child.id})
            data.update({f"{item}-deleted": "", f"{item}-order": str(index)})
            data.update(block_form_data(child.block, child.value, f"{item}-value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            data.update(block_form_data(child_block, value[name], f"{prefix}-{name}"))
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(value))
        for index, child in enumerate(value.bound_blocks):
            item = f"{prefix}-{index}"
            data.update(
                {f"{item}-id": child.id, f"{item}-deleted": "", f"{item}-order": str(index)}
            )
            data.update(block_form_data(block.child_block, child.value, f"{item}-value"))
    elif isinstance(block, blocks.BooleanBlock):
        if value:
            data[prefix] = "on"
    else:
        data[prefix] = "" if value is None else str(block.value_for_form(value))
    return data


def edit_page(client, page, questions, **extra):
    """POST the page editor's form for ``page`` as it is, with ``questions`` (stored form)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    body_block = SurveyCampaignPage._meta.get_field("body").stream_block
    data.update(block_form_data(body_block, page.body, "body"))
    data.update(block_form_data(BLOCK, stream(questions), "questions"))
    data.update(extra)
    return client.post(url, data)


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory(email="editor@ministry.test"))
    return client


def test_the_page_editor_refuses_an_edit_that_orphans_answers(editor_client, survey):
    respond(survey)
    revisions = survey.revisions.count()
    edited = [item for item in raw_questions() if item["value"].get("code") != "level"]
    question(edited, "useful")["value"]["points"] = "7"

    response = edit_page(editor_client, survey, edited)

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["questions"]
    messages = [str(message) for message in error.non_block_errors]
    with translation.override("fa"):  # The admin speaks the editor's language, Persian here.
        assert messages == [
            _("«%(label)s» has responses: it cannot be removed.") % {"label": "مقطع تحصیلی"},
            _("«%(label)s» has responses: its points cannot change from %(before)s to %(after)s.")
            % {"label": "برنامه‌ها مفیدند.", "before": "۵", "after": "۷"},
        ]
    survey.refresh_from_db()
    assert survey.revisions.count() == revisions
    assert read_questions(survey.get_latest_revision_as_object().questions).by_code().keys() == {
        "level",
        "field",
        "useful",
        "grid",
    }


def test_the_page_editor_saves_added_questions_and_corrected_labels(editor_client, survey):
    respond(survey)
    edited = raw_questions()
    question(edited, "level")["value"]["label"] = "مقطع تحصیلی شما"
    question(edited, "level")["value"]["choices"].append(
        {
            "type": "item",
            "value": {"label": "کاردانی"},
            "id": "11111111-2222-3333-4444-555555555555",
        }
    )
    edited.append(
        {"type": "rating", "value": {"label": "امتیاز شما", "code": "nps"}, "id": "new-question"}
    )

    response = edit_page(editor_client, survey, edited)

    assert response.status_code == 302, response.context["form"].errors
    survey.refresh_from_db()
    draft = read_questions(survey.get_latest_revision_as_object().questions)
    level = draft.by_code()["level"]
    assert level.label == "مقطع تحصیلی شما"
    assert [choice.label for choice in level.choices][-1] == "کاردانی"
    assert "nps" in draft.by_code()


def test_locking_applies_to_administrators_publishing_too(client, survey):
    client.force_login(
        UserFactory(email="root@ministry.test", is_staff=True, is_superuser=True, role="")
    )
    respond(survey)
    edited = raw_questions()
    question(edited, "level")["type"] = "multiple_choice"
    question(edited, "level")["value"].update(min_selected=None, max_selected=None)

    response = edit_page(client, survey, edited, **{"action-publish": "action-publish"})

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["questions"]
    assert [conflict.code for conflict in error.non_block_errors.as_data()] == ["locked"]
    survey.refresh_from_db()
    assert read_questions(survey.questions).by_code()["level"].type == "single_choice"
