"""Tallies kept incrementally equal tallies rebuilt from answers, after any sequence of
submits, edits, exclusions and re-inclusions; the rebuild command repairs and verifies."""

import pytest
from django.core.management import CommandError, call_command

from participation.questions.schema import read_questions
from participation.results import rebuild
from participation.submissions.models import AnswerTally
from participation.submissions.services import set_counted, update_response
from tests.helpers.results import random_answers, respond, seeded

pytestmark = pytest.mark.django_db


def play(page, rng, steps):
    """A random sequence of submit / update / exclude / include through the services."""
    questionnaire = read_questions(page.questions)
    submissions = []
    for _ in range(steps):
        action = rng.choice(["submit", "submit", "update", "exclude", "include"])
        if action == "submit" or not submissions:
            submissions.append(
                respond(
                    page,
                    role=rng.choice(["student", "faculty", ""]),
                    university=rng.choice(["", "دانشگاه تهران", "دانشگاه شیراز"]),
                    answer_rows=random_answers(questionnaire, rng),
                )
            )
        elif action == "update":
            update_response(
                page, rng.choice(submissions), random_answers(questionnaire, rng), questionnaire
            )
        else:
            set_counted(rng.choice(submissions), questionnaire, counted=action == "include")
    return submissions


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_tallies_equal_a_rebuild_from_answers(results_survey, seed):
    play(results_survey, seeded(seed), steps=40)
    key = results_survey.call_key
    assert rebuild.tally_differences(key) == {}
    before = rebuild.stored_tallies(key)
    assert before[("", "", "", "", "")] > 0
    assert any(segment.startswith("university:") for segment, *_ in before)

    rebuild.rebuild_tallies(key)
    assert rebuild.stored_tallies(key) == before


def test_rebuild_repairs_damaged_tallies(results_survey):
    play(results_survey, seeded(7), steps=15)
    key = results_survey.call_key
    expected = rebuild.stored_tallies(key)
    AnswerTally.objects.filter(call_key=key, segment="").update(count=99)
    AnswerTally.objects.filter(call_key=key, segment__startswith="role:").delete()
    assert rebuild.tally_differences(key)

    written = rebuild.rebuild_tallies(key)
    assert written == len(expected)
    assert rebuild.stored_tallies(key) == expected
    assert rebuild.tally_differences(key) == {}


def test_rebuild_tallies_command_checks_and_repairs(results_survey, capsys):
    play(results_survey, seeded(11), steps=10)
    call_command("rebuild_tallies", "--check")
    AnswerTally.objects.filter(call_key=results_survey.call_key, question_id="").update(count=0)

    with pytest.raises(CommandError, match="out of step"):
        call_command("rebuild_tallies", "--check", "--call", str(results_survey.pk))
    assert "differ" in capsys.readouterr().out

    call_command("rebuild_tallies", "--call", str(results_survey.call_key))
    assert "rebuilt" in capsys.readouterr().out
    call_command("rebuild_tallies", "--check")


def test_rebuild_tallies_command_refuses_unknown_calls(db):
    with pytest.raises(CommandError, match="No call"):
        call_command("rebuild_tallies", "--call", "999999")
