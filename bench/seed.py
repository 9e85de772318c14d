"""Seed the bench database fast: a survey page, its wagtail.contrib.forms twin, N responses.

Responses go in with PostgreSQL ``COPY`` (submissions, answers, and the same responses
as ``FormSubmission`` JSON rows), then the answer tallies are rebuilt from the answers
with one ``INSERT … SELECT … GROUP BY`` that follows ``participation.results.tally``'s
rules exactly (``verify_tallies`` checks that against ``tally.tally_keys`` in smoke runs).
"""

import datetime
import uuid
from collections import Counter

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import questionnaire as bq

COPY_BATCH = 20_000  # submissions per transaction


# --- Database ----------------------------------------------------------------------------------


def ensure_database(url, *, recreate=False):
    """Create the bench database if it does not exist (dropping it first with ``recreate``)."""
    parsed = psycopg.conninfo.conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = parsed.pop("dbname")
    if not name.startswith("hadaf_bench"):
        raise ValueError(f"Refusing to manage database {name!r}: bench databases are hadaf_bench*")
    with psycopg.connect(**parsed, dbname="postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            admin.execute(psycopg.sql.SQL("DROP DATABASE {}").format(psycopg.sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
            )
    return name


def postgres_version():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- Pages -------------------------------------------------------------------------------------


def ensure_tree():
    """Locales, the Persian home page as the default site's root, and the call index."""
    from pages.demo_content import CALLS, ensure_home_page, ensure_locales, ensure_page
    from pages.models import CallIndexPage

    with transaction.atomic():
        ensure_locales()
        home = ensure_home_page()
        calls = ensure_page(home, CallIndexPage, CALLS)
    return home, calls


def create_survey(slug):
    """A published, open survey with the 20 bench questions and live public results."""
    from pages.models import SurveyCampaignPage
    from participation.choices import AnonymityMode, Audience, ResultsVisibility

    _home, calls = ensure_tree()
    existing = calls.get_children().filter(slug=slug).first()
    if existing is not None:
        existing.delete()
    now = timezone.now()
    page = SurveyCampaignPage(
        title=f"نظرسنجی سنجش ({slug})",
        slug=slug,
        intro="<p>نظرسنجی آزمون کارایی با بیست پرسش.</p>",
        questions=bq.stream_data(),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        audience=Audience.SIGNED_IN,
        anonymity=AnonymityMode.NAMED,
        results_visibility=ResultsVisibility.LIVE,
        results_published=True,
    )
    with transaction.atomic():
        calls.add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def create_baseline(slug):
    """A published wagtail.contrib.forms page with the same questions (see ``baseline_fields``)."""
    from bench.baseline.models import BaselineFormField, BaselineFormPage

    home, _calls = ensure_tree()
    existing = home.get_children().filter(slug=slug).first()
    if existing is not None:
        existing.delete()
    page = BaselineFormPage(title=f"فرم پایه ({slug})", slug=slug)
    with transaction.atomic():
        home.add_child(instance=page)
        for order, (name, label, field_type, choices) in enumerate(bq.baseline_fields()):
            BaselineFormField.objects.create(
                page=page,
                sort_order=order,
                clean_name=name,
                label=label,
                field_type=field_type,
                required=True,
                choices="\n".join(choices),
            )
        page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- Responses ---------------------------------------------------------------------------------


def _table(model):
    return model._meta.db_table


def add_responses(survey, baseline, count, *, seed=0, progress=None):
    """Add ``count`` generated responses to both pages (same answers on each side).

    Returns:
        int: the number of ``Answer`` rows added.
    """
    import json

    from wagtail.contrib.forms.models import FormSubmission

    from participation.choices import AnonymityMode
    from participation.submissions.models import (
        Answer,
        Submission,
        coarse_time,
        random_id,
    )

    rng = bq.new_rng(seed)
    call_key = survey.call_key
    # An anonymous-verified survey gets what ``submit_response`` gives its responses:
    # random ids (answers too), the day only, no start time, no time taken, mixing due.
    anonymous = survey.anonymity == AnonymityMode.ANONYMOUS_VERIFIED
    answers_added = 0
    done = 0
    base_time = timezone.now() - datetime.timedelta(days=1)
    while done < count:
        batch = min(COPY_BATCH, count - done)
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor
            if anonymous:
                ids = [random_id() for _ in range(batch)]
            else:
                sequence = f"{_table(Submission)}_id_seq"
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, batch])
                ids = [row[0] for row in cursor.fetchall()]
            responses = [bq.generate_response(rng) for _ in range(batch)]
            profiles = [(rng.choice(bq.ROLES), rng.choice(bq.UNIVERSITIES)) for _ in range(batch)]
            columns = (
                "id, uuid, call_id, call_key, participant_id, edit_token_hash, language, status, "
                "respondent_role, respondent_university, started_at, submitted_at, updated_at, "
                "duration_seconds, is_speeder, is_straightliner, excluded_from_results, "
                "awaiting_mix"
            )
            with cursor.copy(f"COPY {_table(Submission)} ({columns}) FROM STDIN") as copy:
                for index, submission_id in enumerate(ids):
                    when = base_time + datetime.timedelta(seconds=done + index)
                    duration = rng.randint(120, 900)
                    started_at = when - datetime.timedelta(seconds=duration)
                    if anonymous:
                        when, started_at = coarse_time(when), None
                        duration = None
                    copy.write_row(
                        (
                            submission_id,
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            survey.pk,
                            call_key,
                            None,
                            "",
                            "fa",
                            "submitted",
                            profiles[index][0],
                            profiles[index][1],
                            started_at,
                            when,
                            when,
                            duration,
                            False,
                            False,
                            False,
                            anonymous,
                        )
                    )
            answer_columns = "id, submission_id, question_id, row_id, choice_id, number, text, date"
            if not anonymous:
                answer_columns = answer_columns.removeprefix("id, ")
            with cursor.copy(f"COPY {_table(Answer)} ({answer_columns}) FROM STDIN") as copy:
                for submission_id, response in zip(ids, responses, strict=True):
                    for row in bq.answer_rows(response):
                        ids_part = (random_id(),) if anonymous else ()
                        copy.write_row((*ids_part, submission_id, *row))
                        answers_added += 1
            form_columns = "form_data, page_id, submit_time"
            with cursor.copy(f"COPY {_table(FormSubmission)} ({form_columns}) FROM STDIN") as copy:
                for index, response in enumerate(responses):
                    when = base_time + datetime.timedelta(seconds=done + index)
                    copy.write_row(
                        (json.dumps(bq.form_data(response), ensure_ascii=False), baseline.pk, when)
                    )
        done += batch
        if progress:
            progress(done, count)
    with connection.cursor() as cursor:
        for model in (Submission, Answer, FormSubmission):
            cursor.execute(f"ANALYZE {_table(model)}")
    return answers_added


# --- Tallies -----------------------------------------------------------------------------------

_NUMBER_KEY = (
    "CASE WHEN a.number IS NULL THEN '' "
    "WHEN a.number = trunc(a.number) THEN trunc(a.number)::bigint::text "
    "ELSE a.number::text END"
)


def rebuild_tallies(page):
    """Recompute the page's ``AnswerTally`` rows from its answers, in one statement.

    Follows ``participation.results.tally.tally_keys`` and ``segments_of``: one response
    count per submission, one key per answer by question type, one "respondents" key per
    answered (question, row), in the everyone / role / university segments; only
    submitted responses that are not excluded count.
    """
    from participation.questions.schema import read_questions
    from participation.submissions.models import Answer, AnswerTally, Submission

    questions = read_questions(page.questions).questions
    call_key = page.call_key
    values = ", ".join(["(%s, %s)"] * len(questions))
    type_params = [value for question in questions for value in (question.id, question.type)]
    submission, answer, tally = _table(Submission), _table(Answer), _table(AnswerTally)
    sql = f"""
        WITH qt(question_id, qtype) AS (VALUES {values}),
        counted AS (
            SELECT id, respondent_role, respondent_university FROM {submission}
            WHERE call_key = %s AND status = 'submitted' AND NOT excluded_from_results
        ),
        segments AS (
            SELECT id, '' AS segment FROM counted
            UNION ALL SELECT id, 'role:' || respondent_role FROM counted
                WHERE respondent_role <> ''
            UNION ALL SELECT id, left('university:' || respondent_university, 220) FROM counted
                WHERE respondent_university <> ''
        ),
        keyed AS (
            SELECT a.submission_id AS sid, a.question_id AS q,
                CASE WHEN qt.qtype = 'matrix' THEN a.row_id ELSE '' END AS r,
                CASE WHEN qt.qtype = 'matrix' THEN '' ELSE a.choice_id END AS c,
                CASE WHEN qt.qtype IN ('matrix', 'ranking', 'likert', 'rating', 'number')
                        AND (qt.qtype IN ('matrix', 'ranking') OR a.choice_id = '')
                    THEN {_NUMBER_KEY} ELSE '' END AS v
            FROM {answer} a JOIN qt ON qt.question_id = a.question_id
            JOIN counted s ON s.id = a.submission_id
            WHERE qt.qtype IN ('matrix', 'ranking', 'likert', 'rating', 'number')
                OR a.choice_id <> ''
        ),
        answered AS (
            SELECT DISTINCT a.submission_id AS sid, a.question_id AS q, a.row_id AS r
            FROM {answer} a JOIN qt ON qt.question_id = a.question_id
            JOIN counted s ON s.id = a.submission_id
        ),
        all_keys AS (
            SELECT id AS sid, '' AS q, '' AS r, '' AS c, '' AS v FROM counted
            UNION ALL SELECT sid, q, r, c, v FROM keyed
            UNION ALL SELECT sid, q, r, '', '' FROM answered
        )
        INSERT INTO {tally} (call_key, segment, question_id, row_id, choice_id, value, count)
        SELECT %s, g.segment, k.q, k.r, k.c, k.v, count(*)
        FROM all_keys k JOIN segments g ON g.id = k.sid
        GROUP BY g.segment, k.q, k.r, k.c, k.v
    """  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tally} WHERE call_key = %s", [call_key])  # noqa: S608
        cursor.execute(sql, [*type_params, call_key, call_key])
        cursor.execute(f"ANALYZE {tally}")
    return AnswerTally.objects.filter(call_key=call_key).count()


def verify_tallies(page):
    """Compare the stored tallies with ``tally.tally_keys`` applied to every response.

    Returns:
        list[str]: the differences (empty when they agree). Meant for small data.
    """
    from participation.questions.schema import read_questions
    from participation.results import tally
    from participation.submissions.models import AnswerTally, Submission

    question_types = {q.id: q.type for q in read_questions(page.questions).questions}
    expected = Counter()
    submissions = Submission.objects.filter(
        call_key=page.call_key, status="submitted", excluded_from_results=False
    ).prefetch_related("answers")
    for submission in submissions:
        keys = tally.tally_keys(list(submission.answers.all()), question_types)
        for segment in tally.segments_of(submission):
            for key, count in keys.items():
                expected[(segment, *key)] += count
    stored = Counter(
        {
            (row.segment, row.question_id, row.row_id, row.choice_id, row.value): row.count
            for row in AnswerTally.objects.filter(call_key=page.call_key)
            if row.count
        }
    )
    differences = []
    for key in sorted(set(expected) | set(stored)):
        if expected[key] != stored[key]:
            differences.append(f"{key}: expected {expected[key]}, stored {stored[key]}")
    return differences


# --- Participants for the submission benchmark ---------------------------------------------------


def create_participants(count, prefix):
    """``count`` active users with signed-in sessions; returns their session keys.

    Sessions are written directly (what ``login()`` stores), so no password hashing
    or login requests are part of the benchmark.
    """
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string

    user_model = get_user_model()
    user_model.objects.filter(email__startswith=f"{prefix}-").delete()
    users = [
        user_model(
            email=f"{prefix}-{index:06d}@bench.hadaf.test",
            first_name="بنچ",
            last_name=str(index),
            role=bq.ROLES[index % len(bq.ROLES)],
            password="!" + get_random_string(40),  # unusable: sessions are made directly
        )
        for index in range(count)
    ]
    user_model.objects.bulk_create(users, batch_size=2000)
    users = list(user_model.objects.filter(email__startswith=f"{prefix}-").order_by("email"))
    # The backend a real sign-in records: the first that can load users (axes' cannot).
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    store = SessionStore()
    expire = timezone.now() + datetime.timedelta(days=1)
    sessions = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                session_data=store.encode(data),
                expire_date=expire,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=2000)
    return [session.session_key for session in sessions]


STATEMENT_COUNT = 40


def add_statements(survey, count=STATEMENT_COUNT):
    """``count`` published statements on ``survey``: the conversation the vote benchmark
    votes in (written directly, as an editor's seeding stores them)."""
    from participation.choices import ModerationState
    from participation.opinions.models import Statement

    Statement.objects.filter(call_key=survey.call_key).delete()
    return Statement.objects.bulk_create(
        Statement(
            call_key=survey.call_key,
            text=f"گزارهٔ شمارهٔ {index + 1} دربارهٔ زندگی فرهنگی دانشگاه.",
            language="fa",
            moderation_state=ModerationState.PUBLISHED,
            seeded_by_editor=True,
        )
        for index in range(count)
    )
