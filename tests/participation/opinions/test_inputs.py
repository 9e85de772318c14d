"""What feeds a call's opinion map besides statements: a survey's Likert items and matrix rows,
a draft's clause stances (``participation.opinions.inputs``)."""

import json
import math
import uuid

import numpy as np
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from sklearn.metrics import adjusted_rand_score

from participation.choices import AnonymityMode, SubmissionStatus
from participation.drafts import services as draft_services
from participation.drafts.choices import CommentKind, ModerationState, Stance
from participation.drafts.models import ClauseComment
from participation.opinions import engine, inputs, maps
from participation.questions.schema import read_questions
from participation.submissions import services as submission_services
from participation.submissions.models import Answer, Submission, random_id
from tests.participation.drafts.factories import (
    ARTICLE_1,
    ARTICLE_2,
    CLAUSE_A,
    CLAUSE_B,
    NOTE_1,
    NOTE_2A,
    NOTE_2B,
    add_draft,
)
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

from .maps_data import PATTERNS

pytestmark = pytest.mark.django_db

CLAUSES = [ARTICLE_1, CLAUSE_A, CLAUSE_B, NOTE_1, ARTICLE_2, NOTE_2A, NOTE_2B]
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def qid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hadaf-test-inputs:{name}"))


def likert(name, label, points="5", reverse=False):
    return {
        "type": "likert",
        "id": qid(name),
        "value": {
            "label": label,
            "help_text": "",
            "required": False,
            "code": name,
            "show_if": {"question_code": "", "answer_in": ""},
            "points": points,
            "scale_labels": [],
            "reverse_coded": reverse,
        },
    }


def matrix(name, label, rows):
    block = likert(name, label)
    block["type"] = "matrix"
    block["value"]["rows"] = [
        {"type": "item", "value": {"label": text}, "id": qid(f"{name}:{row}")} for row, text in rows
    ]
    return block


LIKERT_LABELS = [f"گویهٔ شمارهٔ {n}" for n in range(6)]
QUESTIONS = [
    *[likert(f"l{n}", label) for n, label in enumerate(LIKERT_LABELS)],
    likert("seven", "گویهٔ هفت‌درجه‌ای", points="7"),
    likert("reversed", "برنامه‌ها خسته‌کننده‌اند.", reverse=True),
    matrix("grid", "تا چه حد موافقید؟", [("r1", "زمان مناسب است."), ("r2", "مکان مناسب است.")]),
]


@pytest.fixture
def likert_survey(calls):
    return SurveyCampaignPageFactory(parent=calls, questions=QUESTIONS)


def respond(survey, person, points, *, status=SubmissionStatus.SUBMITTED, excluded=False):
    """A response answering ``points`` ``{question name or "grid:r1": point}``."""
    submission = Submission.objects.create(
        call=survey,
        call_key=survey.call_key,
        participant=person,
        language="fa",
        status=status,
        excluded_from_results=excluded,
        respondent_role=getattr(person, "role", "") or "",
    )
    Answer.objects.bulk_create(answer_rows(submission, points))
    return submission


def answer_rows(submission, points):
    rows = []
    for name, point in points.items():
        question, _colon, row = name.partition(":")
        rows.append(
            Answer(
                submission=submission,
                question_id=qid(question),
                row_id=qid(f"{question}:{row}") if row else "",
                number=point,
                pk=random_id() if submission.is_anonymous else None,
            )
        )
    return rows


def respond_anonymously(survey, points):
    """A response as the mixing step stores it: no account, an edit secret's hash."""
    submission = Submission.objects.create(
        pk=random_id(),
        call=survey,
        call_key=survey.call_key,
        participant=None,
        edit_token_hash="ab" * 32,
        language="fa",
        respondent_role="student",  # what an old row may still hold: never read
    )
    Answer.objects.bulk_create(answer_rows(submission, points))
    return submission


def cell(matrix_, row_key, column_key):
    return matrix_.votes[matrix_.participants.index(row_key), matrix_.statements.index(column_key)]


# ---- The mapping of every value ------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (5, {1: -1.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 1.0}),
        (7, {1: -1.0, 2: -1.0, 3: -1.0, 4: 0.0, 5: 1.0, 6: 1.0, 7: 1.0}),
    ],
)
def test_every_point_of_a_scale_maps_by_its_side(points, expected):
    assert {point: inputs.likert_vote(point, points) for point in expected} == expected
    for unseen in (None, 0, points + 1, math.nan):
        assert math.isnan(inputs.likert_vote(unseen, points))


def test_every_stance_is_mapped_explicitly():
    assert set(inputs.STANCE_VOTES) == set(Stance.values)
    assert inputs.stance_vote(Stance.AGREE) == engine.AGREE
    assert inputs.stance_vote(Stance.OPPOSE) == engine.DISAGREE
    assert inputs.stance_vote(Stance.DELETE) == engine.DISAGREE
    assert inputs.stance_vote(Stance.AMEND) == engine.PASS
    assert math.isnan(inputs.stance_vote(""))


def test_a_surveys_likert_and_matrix_answers_become_columns_of_counted_responses(likert_survey):
    counted, skipped, withdrawn, excluded = UserFactory.create_batch(4)
    respond(
        likert_survey,
        counted,
        {"l0": 5, "l1": 3, "l2": 1, "seven": 4, "reversed": 5, "grid:r1": 2, "grid:r2": 4},
    )
    respond(likert_survey, skipped, {"l0": 4})
    respond(likert_survey, withdrawn, {"l0": 1}, status=SubmissionStatus.WITHDRAWN)
    respond(likert_survey, excluded, {"l0": 1}, excluded=True)
    built = inputs.call_matrix(likert_survey.call_key)
    assert built.participants == [counted.pk, skipped.pk]  # withdrawn, excluded: not counted
    l0, grid_r1 = inputs.likert_key(qid("l0")), inputs.matrix_key(qid("grid"), qid("grid:r1"))
    assert cell(built, counted.pk, l0) == 1.0
    assert cell(built, counted.pk, inputs.likert_key(qid("l1"))) == 0.0
    assert cell(built, counted.pk, inputs.likert_key(qid("l2"))) == -1.0
    assert cell(built, counted.pk, inputs.likert_key(qid("seven"))) == 0.0
    # Reverse-coded: "strongly agree" with its wording is agree (the side, not the score).
    assert cell(built, counted.pk, inputs.likert_key(qid("reversed"))) == 1.0
    assert cell(built, counted.pk, grid_r1) == -1.0
    assert math.isnan(cell(built, skipped.pk, grid_r1))  # unanswered: unseen
    assert built.vote_count == 8
    assert built.columns[grid_r1].kind == inputs.MATRIX
    assert built.columns[grid_r1].labels == {"fa": "زمان مناسب است."}
    assert built.columns[grid_r1].texts == {"fa": "تا چه حد موافقید؟"}
    assert built.columns[l0].labels == {"fa": LIKERT_LABELS[0]}


# ---- Anonymous-verified surveys: no account anywhere ----------------------------------------


def test_anonymous_rows_carry_no_account_anywhere(likert_survey):
    likert_survey.anonymity = AnonymityMode.ANONYMOUS_VERIFIED
    likert_survey.save_revision().publish()
    likert_survey.refresh_from_db()
    people = UserFactory.create_batch(16, role="student")
    for index, _person in enumerate(people):
        side = 5 if index < 8 else 1
        answers = {f"l{n}": side if n % 2 else 6 - side for n in range(6)}
        respond_anonymously(likert_survey, {**answers, "grid:r1": side, "grid:r2": 6 - side})
    with CaptureQueriesContext(connection) as queries:
        built = inputs.call_matrix(likert_survey.call_key)
    assert len(built.participants) == 16 and built.anonymous
    assert not built.accounts  # rows are responses, never accounts
    for query in queries.captured_queries:
        if "submissions_submission" in query["sql"]:
            assert "participant_id" not in query["sql"]
    data = maps.recompute(likert_survey.call_key).data
    assert [group["size"] for group in data["groups"]] == [8, 8]
    assert data["breakdown"] == {}  # no role or university is kept with such a response
    text = json.dumps(data, ensure_ascii=False)
    ids = {str(submission.pk) for submission in Submission.objects.all()}
    ids |= {str(submission.uuid) for submission in Submission.objects.all()}
    for person in people:
        assert person.email not in text
    assert not any(value in text for value in ids)


# ---- Statements and Likert together ---------------------------------------------------------


def test_statements_and_likert_answers_together_recover_planted_groups(likert_survey, editor):
    """Statements split a from b and c; only the survey tells b from c."""
    from participation.opinions import services

    from .factories import SEEDS

    statements = [services.seed_statement(editor, likert_survey, text) for text in SEEDS]
    rng = np.random.default_rng(7)
    truth, people = [], []
    for group in range(3):
        for _ in range(20):
            person = UserFactory(role="student")
            pattern = PATTERNS["a"] if group == 0 else PATTERNS["b"]
            for statement, value in zip(statements, pattern, strict=True):
                if rng.random() < 0.08:
                    value = -value
                statement.votes.create(participant=person, value=value)
            side = {0: 3, 1: 5, 2: 1}[group]
            answers = {}
            for n in range(6):
                point = side if n < 3 or side == 3 else 6 - side
                answers[f"l{n}"] = int(point if rng.random() > 0.08 else 6 - point)
            answers["grid:r1"] = side
            respond(likert_survey, person, answers)
            truth.append(group)
            people.append(person.pk)
    built = inputs.call_matrix(likert_survey.call_key)
    assert len(built.participants) == 60  # one row per account: votes and answers together
    result = engine.compute_map(built.votes, excluded_items=built.excluded)
    found = [result.labels[built.participants.index(pk)] for pk in people]
    score = adjusted_rand_score(truth, found)
    assert score >= 0.95, score
    statements_only = engine.compute_map(built.votes[:, : len(statements)])
    assert adjusted_rand_score(truth, statements_only.labels) < 0.95  # what the survey adds
    data = maps.recompute(likert_survey.call_key).data
    kinds = {column["kind"] for column in data["columns"].values()}
    assert kinds == {inputs.LIKERT, inputs.MATRIX}
    assert data["columns"][inputs.likert_key(qid("l0"))]["label"] == {"fa": LIKERT_LABELS[0]}


# ---- A draft's stances ----------------------------------------------------------------------


STANCE_PATTERNS = {
    "for": [Stance.AGREE] * 4 + [Stance.OPPOSE, Stance.DELETE, Stance.OPPOSE],
    "against": [Stance.DELETE, Stance.OPPOSE, Stance.OPPOSE, Stance.AMEND] + [Stance.AGREE] * 3,
}


def take_stances(page, people_by_pattern):
    for pattern, members in people_by_pattern.items():
        for person in members:
            for clause, stance in zip(CLAUSES, STANCE_PATTERNS[pattern], strict=True):
                draft_services.post_comment(
                    page,
                    person,
                    clause_id=clause,
                    kind=CommentKind.CLAUSE,
                    stance=stance,
                    body="نظر من",
                    language="fa",
                )


@pytest.fixture
def draft(calls):
    return add_draft(calls)


def test_a_drafts_stances_are_read_over_the_current_round_published_only(draft):
    first, second, pending = UserFactory.create_batch(3)
    draft_services.post_comment(
        draft, first, clause_id=CLAUSE_A, kind=CommentKind.CLAUSE, stance=Stance.AMEND,
        body="واژه‌ها", language="fa",
    )  # fmt: skip
    old = draft_services.post_comment(
        draft, second, clause_id=CLAUSE_B, kind=CommentKind.CLAUSE, stance=Stance.DELETE,
        body="حذف", language="fa",
    )  # fmt: skip
    ClauseComment.objects.filter(pk=old.pk).update(round_number=0)  # an earlier round's
    hidden = draft_services.post_comment(
        draft, pending, clause_id=NOTE_1, kind=CommentKind.CLAUSE, stance=Stance.OPPOSE,
        body="نه", language="fa",
    )  # fmt: skip
    ClauseComment.objects.filter(pk=hidden.pk).update(moderation_state=ModerationState.PENDING)
    built = inputs.call_matrix(draft.call_key)
    assert built.participants == [first.pk]
    clause_a = inputs.source_key(inputs.CLAUSE, CLAUSE_A)
    assert cell(built, first.pk, clause_a) == 0.0  # amend: pass
    assert built.columns[clause_a].kind == inputs.CLAUSE
    assert built.columns[clause_a].labels == {"fa": "ماده ۱، بند الف"}
    assert built.columns[clause_a].texts == {"fa": "گزارش مالی فعالیت‌ها"}
    assert len(built.statements) == len(CLAUSES)


def test_a_drafts_stances_produce_a_map_on_its_page(client, draft, editor):
    people = {"for": UserFactory.create_batch(8), "against": UserFactory.create_batch(7)}
    take_stances(draft, people)
    snapshot = maps.recompute(draft.call_key)
    assert [group["size"] for group in snapshot.data["groups"]] == [8, 7]
    maps.publish(editor, draft, snapshot)
    html = client.get(draft.url).content.decode()
    assert 'id="opinion-map"' in html
    assert html.count("<ellipse") == 2
    assert "بند الف" in html and "بند پیش‌نویس" in html  # the clause, with its kind
    body = client.get(f"/api/v2/pages/{draft.pk}/").json()["opinion_map"]
    listed = [row for rows in body["groups"] for row in rows["representative"]]
    assert listed and {row["kind"] for row in listed} == {"clause"}
    assert all(row["text"] for row in listed)
    text = json.dumps(body, ensure_ascii=False)
    for person in [*people["for"], *people["against"]]:
        assert person.email not in text


# ---- Queries: constant in the number of participants -----------------------------------------


def queries_to_build(call_key):
    with CaptureQueriesContext(connection) as queries:
        inputs.call_matrix(call_key)
    return len(queries.captured_queries)


def test_building_the_matrix_costs_the_same_queries_for_few_or_many(likert_survey, draft, editor):
    from participation.opinions import services

    statement = services.seed_statement(editor, likert_survey, "گزاره‌ای برای شمردن")
    people = UserFactory.create_batch(3)
    for person in people:
        statement.votes.create(participant=person, value=1)
        respond(likert_survey, person, {"l0": 4, "grid:r2": 2})
    take_stances(draft, {"for": people})
    few = (queries_to_build(likert_survey.call_key), queries_to_build(draft.call_key))
    more = UserFactory.create_batch(12)
    for person in more:
        statement.votes.create(participant=person, value=-1)
        respond(likert_survey, person, {"l1": 2, "grid:r1": 5})
    take_stances(draft, {"against": more})
    many = (queries_to_build(likert_survey.call_key), queries_to_build(draft.call_key))
    assert few == many
    assert max(many) <= 8


# ---- Recomputation is queued by a counted response and a stance ------------------------------


@pytest.fixture
def dummy_tasks():
    from django.core.cache import cache
    from django_tasks import task_backends

    cache.clear()
    with override_settings(TASKS=DUMMY_TASKS, HADAF_OPINION_MAP_DELAY=30):
        backend = task_backends["default"]
        backend.results.clear()
        yield backend
    cache.clear()


def queued(backend):
    """The calls whose map recomputation is queued (other tasks, e.g. the effectiveness
    recount, are queued beside it)."""
    return [
        result.args[0] for result in backend.results if result.task.name == "recompute_opinion_map"
    ]


def test_a_counted_response_queues_the_maps_recomputation(
    likert_survey, dummy_tasks, django_capture_on_commit_callbacks
):
    person = UserFactory()
    questionnaire = read_questions(likert_survey.questions)
    answers = [Answer(question_id=qid("l0"), number=4)]
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.submit_response(
            likert_survey, person, answers, questionnaire, language="fa"
        )
    assert queued(dummy_tasks) == [str(likert_survey.call_key)]
    dummy_tasks.results.clear()
    from django.core.cache import cache

    cache.clear()
    submission = Submission.objects.get(participant=person)
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.set_counted(submission, questionnaire, counted=False)
    assert queued(dummy_tasks) == [str(likert_survey.call_key)]


def test_a_stance_and_its_moderation_queue_the_maps_recomputation(
    draft, editor, dummy_tasks, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = draft_services.post_comment(
            draft, person, clause_id=CLAUSE_A, kind=CommentKind.CLAUSE, stance=Stance.AGREE,
            body="موافقم", language="fa",
        )  # fmt: skip
    assert queued(dummy_tasks) == [str(draft.call_key)]
    dummy_tasks.results.clear()
    from django.core.cache import cache

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft_services.moderate(comment, editor, approve=False)
    assert queued(dummy_tasks) == [str(draft.call_key)]


def test_a_call_with_nothing_to_map_stores_no_snapshot(calls):
    survey = SurveyCampaignPageFactory(parent=calls, questions=[])
    assert maps.recompute(survey.call_key) is None


# ---- The demo: the draft's stances and the survey's Likert answers feed their maps -----------


def test_the_demo_drafts_stances_give_its_published_map_the_planted_camps(calls, editor):
    import random

    from participation.drafts import demo as draft_demo
    from participation.opinions import demo as opinion_demo

    page = add_draft(calls, slug="demo-bylaw", text=draft_demo.round_one_text())
    # Addresses of their own: a camp is drawn from the address, and the factory's numbering
    # depends on how many accounts the tests before made (PostgreSQL's CI run drew another
    # 40 camps, one of which the map put in the other camp: adjusted Rand 0.8999).
    people = [UserFactory(role="student", email=f"camp-{n}@university.test") for n in range(40)]
    stored = draft_demo.seed_stances(page, people, random.Random(draft_demo.SEED))  # noqa: S311
    assert stored > 40 * draft_demo.STANCE_CLAUSES * 0.6
    built = inputs.call_matrix(page.call_key)
    result = engine.compute_map(built.votes, excluded_items=built.excluded)
    camps = {person.pk: draft_demo.camp_of(person) for person in people}
    truth = [camps[key] for key in built.participants]
    assert adjusted_rand_score(truth, result.labels) >= 0.9
    snapshot = opinion_demo.publish_demo_map(page, editor)
    assert snapshot is not None and snapshot.published
    assert len(snapshot.data["groups"]) >= 2
    assert {column["kind"] for column in snapshot.data["columns"].values()} == {inputs.CLAUSE}


def test_the_demo_surveys_map_reads_its_respondents_likert_answers(likert_survey, editor):
    from participation.opinions import demo as opinion_demo

    people = UserFactory.create_batch(30, role="student")
    for index, person in enumerate(people):
        respond(likert_survey, person, {f"l{n}": 1 + (index + n) % 5 for n in range(6)})
    opinion_demo.seed_statements(likert_survey, editor, people)
    snapshot = maps.published(likert_survey.call_key)
    assert snapshot is not None
    assert snapshot.participant_count == 30  # one row per person: votes and answers
    kinds = {column["kind"] for column in snapshot.data["columns"].values()}
    assert inputs.LIKERT in kinds


def test_cron_finds_calls_whose_responses_or_stances_changed_since_their_map(likert_survey, draft):
    person = UserFactory()
    respond(likert_survey, person, {"l0": 4})
    take_stances(draft, {"for": [person]})
    assert {likert_survey.call_key, draft.call_key} <= set(maps.stale_calls())
    maps.recompute(likert_survey.call_key)
    maps.recompute(draft.call_key)
    assert not {likert_survey.call_key, draft.call_key} & set(maps.stale_calls())
    respond(likert_survey, UserFactory(), {"l0": 2})
    assert likert_survey.call_key in maps.stale_calls()


def test_the_admin_map_of_a_draft_without_statements_does_not_say_it_has_no_map(
    client, draft, editor
):
    """Its map comes from the clause stances: no "seed a statement" notice beside it."""
    from django.urls import reverse

    take_stances(
        draft, {"for": UserFactory.create_batch(8), "against": UserFactory.create_batch(7)}
    )
    maps.recompute(draft.call_key)
    client.force_login(editor)
    response = client.get(reverse("hadaf_opinion_map:map", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<ellipse" in html or "گروه ۱" in html
    assert "گفت‌وگوی گزاره‌ای ندارد" not in html
