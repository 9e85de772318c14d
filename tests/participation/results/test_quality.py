import pytest
from django.test import override_settings

from participation.questions.schema import read_questions
from participation.results import quality
from participation.submissions.models import AnswerTally, Submission
from participation.submissions.services import set_counted

pytestmark = pytest.mark.django_db


def counted_total(page):
    row = AnswerTally.objects.filter(
        call_key=page.call_key, segment="", question_id="", row_id="", choice_id="", value=""
    ).first()
    return row.count if row else 0


def test_median_is_computed_by_the_database(make_response, survey):
    for seconds in (100, 200, 300, 400):
        make_response(survey, seconds=seconds, likert=[1, 2, 3, 4, 5])
    assert quality.median_duration(survey.call_key) == pytest.approx(250, abs=2)
    make_response(survey, seconds=1000, likert=[1, 2, 3, 4, 5])
    assert quality.median_duration(survey.call_key) == pytest.approx(300, abs=2)


def test_speeders_are_far_faster_than_the_median(make_response, survey):
    normal = [make_response(survey, seconds=300, likert=[1, 2, 3, 4, 5]) for _ in range(4)]
    fast = make_response(survey, seconds=20, likert=[1, 2, 3, 4, 5])
    assert quality.flag_speeders(survey.call_key) == 1
    assert Submission.objects.get(pk=fast.pk).is_speeder
    assert not Submission.objects.filter(pk__in=[s.pk for s in normal], is_speeder=True).exists()


@override_settings(HADAF_SPEEDER_FRACTION=0.05)
def test_speeder_fraction_is_a_setting(make_response, survey):
    for _ in range(4):
        make_response(survey, seconds=300, likert=[1, 2, 3, 4, 5])
    make_response(survey, seconds=20, likert=[1, 2, 3, 4, 5])
    assert quality.flag_speeders(survey.call_key) == 0


def test_straightliners_on_a_matrix_or_a_likert_run(make_response, survey):
    questionnaire = read_questions(survey.questions)
    varied = make_response(survey, likert=[1, 2, 3, 4, 5], matrix=(1, 2, 3, 4))
    matrix_line = make_response(survey, likert=[1, 2, 3, 4, 5], matrix=(3, 3, 3, 3))
    likert_line = make_response(survey, likert=4, matrix=(1, 2, 1, 2))
    assert quality.flag_straightliners(survey.call_key, questionnaire) == 2
    flagged = set(Submission.objects.filter(is_straightliner=True).values_list("pk", flat=True))
    assert flagged == {matrix_line.pk, likert_line.pk}
    assert varied.pk not in flagged


def test_short_runs_are_not_straightlining():
    from participation.questions.schema import Question, Questionnaire

    likert = [Question(id=str(n), type="likert", label="x") for n in range(4)]
    text = Question(id="t", type="short_text", label="y")
    assert quality.likert_runs(Questionnaire(questions=(*likert, text, *likert))) == []
    six = Questionnaire(questions=(text, *likert, *likert[:2]))
    assert quality.likert_runs(six) == [tuple(q.id for q in (*likert, *likert[:2]))]


def test_refresh_clears_stale_flags_and_exclusion_keeps_the_submission(make_response, survey):
    questionnaire = read_questions(survey.questions)
    for _ in range(3):
        make_response(survey, seconds=300, likert=[1, 2, 3, 4, 5])
    flagged = make_response(survey, seconds=10, likert=5)
    assert quality.refresh_quality_flags(survey) == {"speeders": 1, "straightliners": 1}
    assert counted_total(survey) == 4
    set_counted(flagged, questionnaire, counted=False)
    assert counted_total(survey) == 3
    stored = Submission.objects.get(pk=flagged.pk)
    assert stored.excluded_from_results and stored.is_speeder and stored.is_straightliner
    Submission.objects.filter(pk=flagged.pk).update(duration_seconds=300)
    assert quality.refresh_quality_flags(survey)["speeders"] == 0


def test_a_call_without_durations_or_long_scales_flags_nothing(make_response, survey):
    submission = make_response(survey, likert=[1, 2, 3, 4, 5])
    Submission.objects.filter(pk=submission.pk).update(duration_seconds=None, is_speeder=True)
    assert quality.flag_speeders(survey.call_key) == 0
    assert not Submission.objects.get(pk=submission.pk).is_speeder
