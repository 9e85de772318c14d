"""Anonymous-verified answers cannot be linked to accounts (issue 16: findings 1, 2, 3, 12a).

The main test has N people answer an anonymous-verified survey through the real view (at
the same time, in threads, on PostgreSQL), with an incentive rule that gives each a
certificate, then closes the call and runs the mixing step. Knowing who wrote what (each
person gives a different text answer), it tries every join an operator with the whole
database and the admin could try — ids, ranks, timestamps exact and nearest, PostgreSQL's
row versions (``xmin``) and places (``ctid``), the session table, the awards, their
notices, certificates, emails and audit rows, the export — and requires that none links
better than chance. The same is tried on the answers' tallies (ids, places and row versions
of the rows a response created) and on what a submission might still say of its writer's
profile (role, university), alone and within the batch an award was given in.

The bound: an attack that pairs the k-th submission of one order with the k-th account of
another is right about as often as the fixed points of a random permutation of N, which
are Poisson(1) distributed. P(X >= 9) = e^-1 * sum_{k>=9} 1/k! ~ 1.1e-6, so over the few
hundred attacks below a false alarm has probability < 1e-3 (union bound), while the old
code matched 30 of 30. Attacks that guess per submission (nearest time, same xmin) are at
most as good as a guess among the tied candidates, which is bounded the same way.
"""

import csv
import datetime
import hashlib
import io
import re
import threading

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F, Max, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from participation.choices import AnonymityMode, IncentiveKind, Role
from participation.dashboard.choices import Trigger
from participation.dashboard.models import IncentiveRule, Notification
from participation.incentives.models import Award, Certificate
from participation.incentives.services import AWARDED_ACTION
from participation.results import exports, rebuild
from participation.results.disclosure import published_tallies
from participation.results.tally import CHANGES_VALUE, number_key
from participation.submissions import ballot_box, mixing
from participation.submissions.models import (
    Answer,
    AnswerTally,
    ParticipationReceipt,
    SealedBallot,
    Submission,
)
from participation.submissions.services import hash_edit_token
from participation.surveys.views import SECRET_COOKIE
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import Q, SurveyCampaignPageFactory, valid_answers
from tests.people.factories import EditorFactory, UserFactory, university_named

N = 30
# More right guesses than this, by any one attack, is not chance (see the module docstring).
CHANCE_LIMIT = 8
BATCH = 10

pytestmark = pytest.mark.django_db(transaction=True)


def postgres():
    return connection.vendor == "postgresql"


def threads_share_the_database():
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


@pytest.fixture
def setup(home_page, settings, monkeypatch):
    settings.HADAF_ANONYMOUS_BATCH = BATCH
    # The certificates' rows are what matter here, not their PDFs (slow to draw).
    monkeypatch.setattr("participation.incentives.pdf.store_certificate_pdf", lambda c: None)
    settings.HADAF_RATE_LIMITS = False
    calls = CallIndexPageFactory(parent=home_page)
    page = SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)
    IncentiveRule.objects.create(
        call=page, trigger=Trigger.SURVEY_RESPONSE, kind=IncentiveKind.WORKSHOP,
        with_certificate=True,
    )  # fmt: skip
    # Every (role, university) pair is different: what a copied profile would give away.
    roles = [Role.STUDENT, Role.FACULTY, Role.STAFF]
    people = [
        UserFactory(role=roles[i % 3], university=university_named(f"دانشگاه {i % 10}"))
        for i in range(N)
    ]
    return page, people


def answer_text(index):
    return f"major {index:02d}"


def answer_hours(index):
    """A number only this respondent gives: its tally row is created by their response."""
    return 40 + index


def respond_all(page, people, concurrent=True, first=0):
    """Each person answers once through the view; concurrently when threads can share the
    database. Returns the redirects' Location headers and the secrets' cookies. ``first``
    is the index of ``people[0]`` in the answers given (text, hours)."""
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)
    locations, secrets_seen, errors = [], [], []
    concurrent = concurrent and threads_share_the_database()
    start = threading.Barrier(len(people)) if concurrent else None

    def respond(index):
        data = {**valid_answers(), "_step": "1", "_action": "submit"}
        data[f"q_{Q['major']}"] = answer_text(first + index)
        data[f"q_{Q['hours']}"] = str(answer_hours(first + index))
        try:
            if start is not None:
                start.wait()
            response = clients[index].post(page.url, data)
            assert response.status_code == 302, response.status_code
            locations.append(response["Location"])
            secrets_seen.append(response.cookies[SECRET_COOKIE].value)
            clients[index].get(response["Location"])  # the thank-you page shows the secret
        except Exception as error:  # reported in the main thread
            errors.append(error)
        finally:
            if start is not None:
                connections.close_all()

    if start is None:
        for index in range(len(people)):
            respond(index)
    else:
        threads = [threading.Thread(target=respond, args=(i,)) for i in range(len(people))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert not errors, errors
    return locations, secrets_seen


def truth_of(people):
    """submission pk -> the account that wrote it (known only to the test)."""
    by_text = {answer_text(index): person.pk for index, person in enumerate(people)}
    return {
        answer.submission_id: by_text[answer.text]
        for answer in Answer.objects.filter(question_id=Q["major"])
    }


# ---- what an operator can read -----------------------------------------------------------


def system_column(table, column):
    """{pk: PostgreSQL's ``xmin`` or ``ctid`` of the row} for a table (PostgreSQL only)."""
    expression = "xmin::text::bigint" if column == "xmin" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {expression} FROM {table}")  # noqa: S608 - fixed names
        return dict(cursor.fetchall())


def ctid_key(ctid):
    page, line = str(ctid).strip("()").split(",")
    return int(page), int(line)


def submission_orders(page):
    """Orders of the submissions an operator could sort by; name -> [submission pk]."""
    submissions = Submission.objects.filter(call_key=page.translation_key)
    orders = {
        "id": list(submissions.order_by("pk").values_list("pk", flat=True)),
        "submitted_at": list(
            submissions.order_by("submitted_at", "pk").values_list("pk", flat=True)
        ),
        "updated_at": list(submissions.order_by("updated_at", "pk").values_list("pk", flat=True)),
        "uuid": list(submissions.order_by("uuid").values_list("pk", flat=True)),
        "first answer id": list(
            submissions.annotate(first=Min("answers__id")).order_by("first")
            .values_list("pk", flat=True)
        ),
        "last answer id": list(
            submissions.annotate(last=Max("answers__id")).order_by("last")
            .values_list("pk", flat=True)
        ),
        "export rows": export_order(page),
        "admin list": list(
            submissions.order_by("-submitted_at", "-pk").values_list("pk", flat=True)
        ),
        **tally_orders(page),
    }  # fmt: skip
    if postgres():
        for column in ("xmin", "ctid"):
            values = system_column(Submission._meta.db_table, column)
            key = ctid_key if column == "ctid" else int
            orders[f"submission {column}"] = sorted(values, key=lambda pk: key(values[pk]))
            answer_owner = dict(Answer.objects.values_list("pk", "submission_id"))
            by_answer = {}
            for answer_pk, value in system_column(Answer._meta.db_table, column).items():
                owner = answer_owner[answer_pk]
                if owner not in by_answer or key(value) < key(by_answer[owner]):
                    by_answer[owner] = value
            orders[f"first answer {column}"] = sorted(by_answer, key=lambda pk: key(by_answer[pk]))
    return orders


def tally_orders(page):
    """Orders of the submissions by the tally row each one created (its own "hours"
    value, count 1): by id and, on PostgreSQL, by place and row version."""
    tallies = AnswerTally.objects.filter(call_key=page.translation_key, segment="")
    row_of = dict(
        tallies.filter(question_id=Q["hours"], row_id="", choice_id="").values_list("value", "pk")
    )
    created = {
        answer.submission_id: row_of[number_key(answer.number)]
        for answer in Answer.objects.filter(question_id=Q["hours"])
    }
    orders = {"tally id": sorted(created, key=created.get)}
    if postgres():
        for column in ("xmin", "ctid"):
            values = system_column(AnswerTally._meta.db_table, column)
            key = ctid_key if column == "ctid" else int
            orders[f"tally {column}"] = sorted(created, key=lambda pk: key(values[created[pk]]))
    return orders


def export_order(page):
    """The CSV export's rows, as submission pks."""
    by_uuid = {str(uuid): pk for pk, uuid in Submission.objects.values_list("pk", "uuid")}
    text = "".join(exports.csv_lines(page)).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    return [by_uuid[row[0]] for row in rows[1:]]


def session_users():
    """Session rows as (expire_date, pk, user pk): what the session table says of people."""
    rows = []
    for session in Session.objects.all():
        user = session.get_decoded().get("_auth_user_id")
        if user is not None:
            rows.append((session.expire_date, session.pk, int(user)))
    return rows


def account_orders(people, outbox):
    """Orders of the accounts an operator could sort by; name -> [user pk]."""
    receipts = ParticipationReceipt.objects.all()
    awards = Award.objects.all()
    award_owner = dict(awards.values_list("pk", "recipient_user_id"))
    by_email = {person.email: person.pk for person in people}
    logged = ModelLogEntry.objects.filter(action=AWARDED_ACTION).order_by("timestamp", "pk")
    orders = {
        "receipt id": list(receipts.order_by("pk").values_list("participant_id", flat=True)),
        "receipt date": list(
            receipts.order_by("created_at", "pk").values_list("participant_id", flat=True)
        ),
        "award time": list(
            awards.order_by("awarded_at", "pk").values_list("recipient_user_id", flat=True)
        ),
        "award id": list(awards.order_by("pk").values_list("recipient_user_id", flat=True)),
        "certificate id": list(
            Certificate.objects.order_by("pk").values_list("award__recipient_user_id", flat=True)
        ),
        "notification": list(
            Notification.objects.order_by("created_at", "pk").values_list("person_id", flat=True)
        ),
        "audit log": [award_owner[int(entry.object_id)] for entry in logged],
        "emails": [by_email[message.to[0]] for message in outbox if message.to[0] in by_email],
        "session expiry": [user for _expiry, _key, user in sorted(session_users())],
        "last login": [person.pk for person in sorted(people, key=lambda p: (p.last_login, p.pk))],
    }
    if postgres():
        for column in ("xmin", "ctid"):
            key = ctid_key if column == "ctid" else int
            for model, owner in (
                (ParticipationReceipt, "participant_id"),
                (Award, "recipient_user_id"),
                (Notification, "person_id"),
            ):
                values = system_column(model._meta.db_table, column)
                owners = dict(model.objects.values_list("pk", owner))
                ordered = sorted(values, key=lambda pk: key(values[pk]))
                orders[f"{model.__name__} {column}"] = [owners[pk] for pk in ordered]
    return {name: order for name, order in orders.items() if order}


# ---- attacks -------------------------------------------------------------------------------


def rank_join(truth, submissions, accounts):
    """Right guesses when the k-th submission is taken for the k-th account."""
    return sum(truth.get(pk) == person for pk, person in zip(submissions, accounts, strict=False))


def nearest_time(truth, submission_times, account_times):
    """Right guesses when each submission is taken for the account with the nearest event."""
    right = 0
    for pk, when in submission_times.items():
        best = min(account_times, key=lambda item: abs((item[0] - when).total_seconds()))
        right += truth[pk] == best[1]
    return right


def same_value(truth, submission_values, account_values):
    """Right guesses when each submission is taken for the first account sharing a value."""
    by_value = {}
    for person, value in account_values:
        by_value.setdefault(value, person)
    return sum(truth[pk] == by_value.get(value) for pk, value in submission_values.items())


def profile_of(person):
    """What an account says of its holder that a submission could have copied."""
    return (person.role, person.university.name if person.university_id else "")


def same_profile(truth, people):
    """Right guesses when each submission is taken for an account with its role and
    university."""
    submissions = {
        s.pk: (s.respondent_role, s.respondent_university) for s in Submission.objects.all()
    }
    return same_value(truth, submissions, [(p.pk, profile_of(p)) for p in people])


def as_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def account_times(people):
    """(time, user pk) of every event an operator can see per account."""
    events = [
        (as_datetime(r.created_at), r.participant_id) for r in ParticipationReceipt.objects.all()
    ]
    events += [(a.awarded_at, a.recipient_user_id) for a in Award.objects.all()]
    events += [(n.created_at, n.person_id) for n in Notification.objects.all()]
    events += [(expiry, user) for expiry, _key, user in session_users()]
    events += [(person.last_login, person.pk) for person in people if person.last_login]
    return events  # fmt: skip


def test_concurrent_anonymous_responses_link_no_better_than_chance(setup, mailoutbox):
    page, people = setup
    locations, secrets_seen = respond_all(page, people)
    for person in people:
        person.refresh_from_db()
    # Each complete batch was opened as it filled; the rest wait sealed.
    assert Submission.objects.count() + SealedBallot.objects.count() == N
    assert Submission.objects.count() >= N - BATCH + 1
    assert ParticipationReceipt.objects.count() == N
    assert not Submission.objects.filter(participant__isnull=False).exists()
    # The call closes; the mixing step that closing calls for runs (cron in production).
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision().publish()
    call_command("mix_anonymous", "--closed", stdout=io.StringIO())
    assert Submission.objects.count() == N and not SealedBallot.objects.exists()
    assert not Submission.objects.filter(awaiting_mix=True).exists()
    assert Award.objects.count() == Certificate.objects.count() == N  # all awarded, once
    truth = truth_of(people)
    assert len(truth) == N and set(truth.values()) == {person.pk for person in people}

    # Finding 1 and 12a: the secret is nowhere on the server and in no URL.
    hashes = set(Submission.objects.values_list("edit_token_hash", flat=True))
    assert {hash_edit_token(secret) for secret in secrets_seen} == hashes
    for session in Session.objects.all():
        for key, value in session.get_decoded().items():
            assert "token" not in key
            assert hashlib.sha256(str(value).encode()).hexdigest() not in hashes
            assert not any(secret in str(value) for secret in secrets_seen)
    assert not any(secret in location for secret in secrets_seen for location in locations)

    # No time of day, no start time, random ids on the anonymous side.
    for submission in Submission.objects.all():
        local = timezone.localtime(submission.submitted_at)
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
        assert submission.started_at is None and submission.pk < 0
        # Nothing copied from the account.
        assert (submission.respondent_role, submission.respondent_university) == ("", "")
    # Tallies: random ids, and the everyone segment only (no role or university segments).
    tallies = AnswerTally.objects.filter(call_key=page.translation_key)
    assert not tallies.filter(id__gt=0).exists()
    assert set(tallies.values_list("segment", flat=True)) == {""}

    # Every join: orders of submissions against orders of accounts, both ways round.
    results = {}
    accounts = account_orders(people, mailoutbox)
    assert {"receipt id", "award time", "notification", "audit log", "emails"} <= set(accounts)
    for sub_name, submissions in submission_orders(page).items():
        assert sorted(submissions) == sorted(truth), sub_name
        for account_name, order in accounts.items():
            results[f"{sub_name} ~ {account_name}"] = rank_join(truth, submissions, order)
            results[f"{sub_name} ~ reversed {account_name}"] = rank_join(
                truth, submissions, order[::-1]
            )
    # Timestamps, exact or nearest: the time each submission was sent or changed.
    events = account_times(people)
    submissions = Submission.objects.all()
    results["nearest submitted_at"] = nearest_time(
        truth, {s.pk: s.submitted_at for s in submissions}, events
    )
    results["nearest updated_at"] = nearest_time(
        truth, {s.pk: s.updated_at for s in submissions}, events
    )
    results["same submitted_at"] = same_value(
        truth, {s.pk: s.submitted_at for s in submissions}, [(p, t) for t, p in events]
    )
    results["same role and university"] = same_profile(truth, people)
    if postgres():
        for column in ("xmin", "ctid"):
            values = system_column(Submission._meta.db_table, column)
            receipts = system_column(ParticipationReceipt._meta.db_table, column)
            owners = dict(ParticipationReceipt.objects.values_list("pk", "participant_id"))
            results[f"same {column}"] = same_value(
                truth, values, [(owners[pk], value) for pk, value in sorted(receipts.items())]
            )
    linked = {name: right for name, right in results.items() if right > CHANCE_LIMIT}
    assert not linked, linked
    assert len(results) > 150  # every attack above ran


@pytest.mark.django_db  # not transactional: the export's audit row is append-only
def test_anonymous_export_gives_no_role_university_or_time_of_day(setup):
    """Finding 3: the export of an anonymous-verified survey narrows and dates nobody."""
    page, people = setup
    respond_all(page, people[:3], concurrent=False)
    mixing.mix(page.translation_key, closing=True)  # the call's last batch, at closing
    editor = EditorFactory(is_superuser=True)
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("hadaf_survey_report:export", args=[page.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    assert not any("[role]" in cell or "[university]" in cell for cell in header)
    iso = header.index(next(cell for cell in header if cell.endswith("[submitted_iso]")))
    for row in rows[1:]:
        datetime.date.fromisoformat(row[iso])  # a day, no time
    assert len(rows) == 4


def every_stored_text():
    """Every text, number and date value of every table, as one string per row."""
    for model in apps.get_models():
        for row in model.objects.values_list():
            yield model, " ".join(str(value) for value in row)


def test_answers_waiting_for_their_batch_are_readable_nowhere(setup, settings):
    """People answer one after another (sign-in order is answer order): until BATCH wait, no
    submission, answer or tally exists, and no column of any table holds an answer; the
    sealed ballots open only with this server's key. Before: the waiting submissions and
    their answers sat in arrival order (9 of 9 linked by ``ctid`` against ``last_login``)."""
    page, people = setup
    tallies_before = sorted(
        AnswerTally.objects.filter(call_key=page.translation_key).values_list("pk", "count")
    )
    for index, person in enumerate(people[: BATCH - 1]):
        respond_all(page, [person], concurrent=False, first=index)
    assert SealedBallot.objects.count() == ParticipationReceipt.objects.count() == BATCH - 1
    assert not Submission.objects.exists() and not Answer.objects.exists()
    assert (
        sorted(AnswerTally.objects.filter(call_key=page.translation_key).values_list("pk", "count"))
        == tallies_before
    )
    written = [answer_text(index) for index in range(BATCH - 1)]
    for model, text in every_stored_text():
        assert not any(answer in text for answer in written), model
    # Another server's key opens none of them; this server's opens all.
    sealed = list(SealedBallot.objects.values_list("sealed", flat=True))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another server", []
    for text in sealed:
        with pytest.raises(ValueError):
            ballot_box.unseal(page.translation_key, text)
    settings.SECRET_KEY = "test-only-key"  # noqa: S105
    contents = [ballot_box.unseal(page.translation_key, text) for text in sealed]
    majors = [a["text"] for c in contents for a in c["answers"] if a["question_id"] == Q["major"]]
    assert sorted(majors) == written
    # The BATCH-th answer opens the batch: all of it, in one transaction, in a random order.
    respond_all(page, people[BATCH - 1 : BATCH], concurrent=False, first=BATCH - 1)
    assert Submission.objects.count() == BATCH and not SealedBallot.objects.exists()
    truth = truth_of(people)
    last_login = [p.pk for p in sorted(people[:BATCH], key=lambda p: p.last_login)]
    for name, order in submission_orders(page).items():
        assert rank_join(truth, order, last_login) <= CHANCE_LIMIT, name
    if postgres():
        assert len(set(system_column(Submission._meta.db_table, "xmin").values())) == 1


def test_an_edit_waits_sealed_until_the_call_closes_and_then_replaces_its_response(setup):
    """An anonymous edit changes nothing stored while its writer is online, nor when the next
    batch of new responses opens (the response that changed would name that batch's time):
    it waits sealed, written with a batch of receipts, until the call closes; then the
    response is stored again under a new random id. Before: the edited response was replaced
    in the next batch and its writer found among that batch's few sign-ins (2 of 2)."""
    page, people = setup
    _locations, secrets_seen = respond_all(page, people[:BATCH], concurrent=False)
    assert Submission.objects.count() == BATCH
    secret = secrets_seen[0]
    before = Submission.objects.get(edit_token_hash=hash_edit_token(secret))
    client = Client()
    client.force_login(people[0])
    data = {**valid_answers(), "edit_secret": secret}
    data[f"q_{Q['major']}"] = "edited"
    data[f"q_{Q['hours']}"] = str(answer_hours(0))
    response = client.post(page.url + "?edit=1", data)
    assert response.status_code == 302 and "updated=1" in response["Location"]
    if postgres():
        ballot_xmin = set(system_column(SealedBallot._meta.db_table, "xmin").values())
        receipts = system_column(ParticipationReceipt._meta.db_table, "xmin").values()
        assert sum(1 for value in receipts if value in ballot_xmin) >= BATCH
    # The next batch of new responses opens without it.
    respond_all(page, people[BATCH : 2 * BATCH], concurrent=False, first=BATCH)
    assert Submission.objects.count() == 2 * BATCH and SealedBallot.objects.count() == 1
    stored = Submission.objects.get(pk=before.pk)
    assert stored.answers.get(question_id=Q["major"]).text == answer_text(0)
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision().publish()
    call_command("mix_anonymous", stdout=io.StringIO())
    after = Submission.objects.get(edit_token_hash=hash_edit_token(secret))
    assert after.pk != before.pk and after.submitted_at == before.submitted_at
    # Not marked as edited: its last change is its first day, like every other's.
    assert not Submission.objects.exclude(updated_at=F("submitted_at")).exists()
    assert after.answers.get(question_id=Q["major"]).text == "edited"
    assert Submission.objects.count() == 2 * BATCH and not SealedBallot.objects.exists()
    assert rebuild.tally_differences(page.translation_key) == {}
    # No time taken is kept for anonymous answers (sign-ins and rate-limit counters date
    # the sitting; their difference matched the response's rounded duration, 7 of 10).
    assert not Submission.objects.filter(duration_seconds__isnull=False).exists()


def test_receipts_and_submissions_written_in_turn_share_no_order(setup):
    """Finding 2, one at a time (SQLite too): ranks of ids, answer ids and dates match
    nothing (before: receipt k was submission k)."""
    page, people = setup
    respond_all(page, people)
    truth = truth_of(people)
    receipts = list(
        ParticipationReceipt.objects.order_by("pk").values_list("participant_id", flat=True)
    )
    for name, order in submission_orders(page).items():
        assert rank_join(truth, order, receipts) <= CHANCE_LIMIT, name


def batch_guesses(truth, people, submission_batches, award_batches):
    """Right guesses when each submission is taken for an account awarded in its batch,
    the one with its role and university when there is one (the first otherwise)."""
    profiles = {person.pk: profile_of(person) for person in people}
    submissions = {
        s.pk: (s.respondent_role, s.respondent_university) for s in Submission.objects.all()
    }
    right = 0
    for mixed, awarded in zip(submission_batches, award_batches, strict=True):
        candidates = sorted(awarded)
        for pk in mixed:
            same = [person for person in candidates if profiles[person] == submissions[pk]]
            right += truth[pk] == (same or candidates)[0]
    return right


def test_responses_in_turn_link_by_neither_tallies_nor_profile_within_award_batches(setup):
    """People sign in and answer one after another, so sign-in order is answer order. Each
    batch of BATCH is mixed and awarded as it fills; the attacker is even told exactly which
    submissions were mixed, and which accounts awarded, together. Before: the tally row a
    response created had the next id (30 of 30 against ``last_login``), and role plus
    university picked the writer out of the batch (30 of 30). Now: at most one per batch."""
    page, people = setup
    submission_batches, award_batches = [], []
    for index, person in enumerate(people):
        respond_all(page, [person], concurrent=False, first=index)
        mixed = set(Submission.objects.values_list("pk", flat=True))
        awarded = set(Award.objects.values_list("recipient_user_id", flat=True))
        mixed -= set().union(*submission_batches)
        awarded -= set().union(*award_batches)
        if mixed or awarded:
            submission_batches.append(mixed)
            award_batches.append(awarded)
    for person in people:
        person.refresh_from_db()
    assert [len(batch) for batch in award_batches] == [BATCH] * (N // BATCH)
    assert [len(batch) for batch in submission_batches] == [BATCH] * (N // BATCH)
    assert [p.pk for p in sorted(people, key=lambda p: p.last_login)] == [p.pk for p in people]
    truth = truth_of(people)

    results = {"award batch and profile": batch_guesses(
        truth, people, submission_batches, award_batches
    )}  # fmt: skip
    results["same role and university"] = same_profile(truth, people)
    accounts = {
        "last login": [p.pk for p in people],
        "session expiry": [user for _expiry, _key, user in sorted(session_users())],
        "receipt id": list(
            ParticipationReceipt.objects.order_by("pk").values_list("participant_id", flat=True)
        ),
    }
    for name, order in tally_orders(page).items():
        for account_name, accounts_order in accounts.items():
            results[f"{name} ~ {account_name}"] = rank_join(truth, order, accounts_order)
            results[f"{name} ~ reversed {account_name}"] = rank_join(
                truth, order, accounts_order[::-1]
            )
    assert results["award batch and profile"] <= N // BATCH
    linked = {name: right for name, right in results.items() if right > CHANCE_LIMIT}
    assert not linked, (linked, results)


def test_every_mix_rewrites_the_tallies_with_new_ids_and_the_same_counts(setup):
    """A batch's mixing step (not only the closing one) writes the call's tallies again with
    new random ids; the counts, the change counter and the published figures stay exact."""
    page, people = setup
    respond_all(page, people[:BATCH], concurrent=False)
    tallies = AnswerTally.objects.filter(call_key=page.translation_key)
    fields = ("segment", "question_id", "row_id", "choice_id", "value", "count")
    ids_before = set(tallies.values_list("pk", flat=True))
    assert ids_before and all(pk < 0 for pk in ids_before)  # no sequence
    respond_all(page, people[BATCH : 2 * BATCH], concurrent=False, first=BATCH)
    assert Submission.objects.count() == 2 * BATCH  # the second batch was opened
    assert not ids_before & set(tallies.values_list("pk", flat=True))
    assert not tallies.filter(pk__gt=0).exists()
    assert rebuild.tally_differences(page.translation_key) == {}
    changes = tallies.get(segment="", question_id="", value=CHANGES_VALUE).count
    assert changes == 2 * BATCH
    counts = sorted(tallies.values_list(*fields))
    assert published_tallies([page], threshold=5)[page.translation_key][0] == 2 * BATCH
    mixing.mix(page.translation_key, closing=True)
    assert sorted(tallies.values_list(*fields)) == counts


def test_the_cron_command_opens_the_last_few_ballots_of_a_closed_call(setup):
    """Fewer than a batch answered before the call closed: ``mix_anonymous`` (the hourly
    cron line, no flags) opens them however few, so no answer is left uncounted."""
    page, people = setup
    respond_all(page, people[:3], concurrent=False)
    out = io.StringIO()
    call_command("mix_anonymous", stdout=out)  # still open: a batch is not complete
    assert SealedBallot.objects.count() == 3 and not Submission.objects.exists()
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision().publish()
    call_command("mix_anonymous", stdout=out)
    assert Submission.objects.count() == 3 and not SealedBallot.objects.exists()
    assert sorted(truth_of(people[:3]).values()) == sorted(p.pk for p in people[:3])
    assert Award.objects.count() == 3  # the batch's awards were made


def test_the_opening_steps_statements_keep_no_pairing_of_ballots_and_submissions(setup):
    """A statement log (``log_statement = 'mod'``) keeps the values of each statement in the
    order given. Before: the ballots were deleted in the shuffled order their submissions
    were written in, so the k-th ``INSERT`` was the k-th id of the ``DELETE`` (41 of 41
    linked). Now every list of ballots or hashes a statement carries is sorted."""
    page, people = setup
    respond_all(page, people[: BATCH - 1], concurrent=False)
    with CaptureQueriesContext(connection) as queries:
        mixing.mix(page.translation_key, closing=True)
    statements = [query["sql"] for query in queries.captured_queries]
    deletes = [sql for sql in statements if "DELETE" in sql and "sealedballot" in sql]
    assert deletes
    for sql in deletes:
        ids = [int(value) for value in re.findall(r"-?\d{6,}", sql)]
        assert len(ids) == BATCH - 1 and ids == sorted(ids), sql
    for sql in statements:
        if 'edit_token_hash" IN' in sql:
            hashes = re.findall(r"'([0-9a-f]{64})'", sql)
            assert hashes == sorted(hashes), sql
    assert Submission.objects.count() == BATCH - 1
