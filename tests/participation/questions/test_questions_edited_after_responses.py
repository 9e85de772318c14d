"""Questions edited after responses exist: the old answers stay stored as they were, and
the export still carries them (under the corrected label)."""

import csv
import io

import pytest
from django.urls import reverse

import participation.surveys.wagtail_hooks  # noqa: F401 - registers the export URL
from participation.questions.schema import read_questions
from participation.submissions.models import Answer
from participation.submissions.services import submit_response
from tests.participation.questions.test_locking import edit_page, question, raw_questions, survey  # noqa: F401
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_FIELD_ANSWER = "مهندسی-فرهنگ-۴۸۲"


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory(email="editor@ministry.test"))
    return client


@pytest.fixture
def answered(survey):  # noqa: F811 - the survey fixture comes from test_locking
    questionnaire = read_questions(survey.questions)
    by_code = questionnaire.by_code()
    answers = [
        Answer(question_id=by_code["level"].id, choice_id=by_code["level"].choices[1].id),
        Answer(question_id=by_code["field"].id, text=OLD_FIELD_ANSWER),
    ]
    submit_response(survey, UserFactory(), answers, questionnaire, language="fa")
    return survey


def stored_answers(page):
    return sorted(
        Answer.objects.filter(submission__call_key=page.call_key).values_list(
            "question_id", "choice_id", "text", "number"
        )
    )


def exported_rows(client, page):
    response = client.get(reverse("hadaf_survey_report:export", args=[page.pk]), {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def column(rows, header_part):
    index = next(i for i, header in enumerate(rows[0]) if header_part in header)
    return [row[index] for row in rows[1:]]


def test_relabelled_and_extended_questions_keep_and_export_old_answers(editor_client, answered):
    before = stored_answers(answered)
    edited = raw_questions()
    question(edited, "level")["value"]["label"] = "مقطع تحصیلی شما"
    question(edited, "field")["value"]["label"] = "رشتهٔ تحصیلی"
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

    response = edit_page(editor_client, answered, edited, **{"action-publish": "action-publish"})
    assert response.status_code == 302, response.context["form"].errors

    answered.refresh_from_db()
    assert read_questions(answered.questions).by_code()["field"].label == "رشتهٔ تحصیلی"
    assert stored_answers(answered) == before
    rows = exported_rows(editor_client, answered)
    assert column(rows, "رشتهٔ تحصیلی") == [OLD_FIELD_ANSWER]
    assert column(rows, "مقطع تحصیلی شما") == ["ارشد"]
    assert column(rows, "امتیاز شما") == [""]  # asked after this response: left empty


def test_removing_an_answered_question_is_refused_and_its_answers_stay_exportable(
    editor_client, answered
):
    before = stored_answers(answered)
    edited = [item for item in raw_questions() if item["value"].get("code") != "field"]

    response = edit_page(editor_client, answered, edited, **{"action-publish": "action-publish"})

    assert response.status_code == 200  # the form comes back with the refusal
    assert stored_answers(answered) == before
    assert column(exported_rows(editor_client, answered), "رشته") == [OLD_FIELD_ANSWER]
