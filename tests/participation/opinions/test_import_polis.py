"""``import_polis``: a Pol.is export becomes a call's statements, pseudonymous
participants and votes; safe to repeat; a bad folder changes nothing."""

import shutil
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from bench.shared_data import shared_data
from participation.choices import AnonymityMode, ModerationState
from participation.opinions import engine
from participation.opinions.models import MAX_STATEMENT_LENGTH, Statement, StatementVote
from participation.opinions.polis_export import read_polis_export
from participation.persian import to_persian_digits
from tests.participation.factories import SurveyCampaignPageFactory

FIXTURE = Path(__file__).parent / "polis_fixture"
User = get_user_model()


def run_import(folder, call, **options):
    out = StringIO()
    with translation.override("fa"):
        call_command("import_polis", str(folder), call=str(call), stdout=out, **options)
    return out.getvalue()


def imported_people():
    return User.objects.filter(email__endswith="@imported.invalid")


def counts():
    return (Statement.objects.count(), imported_people().count(), StatementVote.objects.count())


@pytest.fixture
def export_copy(tmp_path):
    folder = tmp_path / "conversation"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.mark.django_db
def test_statements_participants_and_votes_are_imported(survey):
    run_import(FIXTURE, survey.call_key)
    statements = Statement.objects.filter(call_key=survey.call_key).order_by("pk")
    assert statements.count() == 5
    assert all(s.seeded_by_editor and s.author is None for s in statements)
    states = [s.moderation_state for s in statements]
    # comment 2 was moderated out in Pol.is: stored removed, the rest published.
    assert (
        states
        == [ModerationState.PUBLISHED] * 2
        + [ModerationState.REMOVED]
        + [ModerationState.PUBLISHED] * 2
    )
    assert statements[0].text == "Public transport should be free."
    long_text = statements[3].text
    assert len(long_text) == MAX_STATEMENT_LENGTH and long_text.endswith("…")
    assert long_text.startswith("Cycle lanes make streets safer for everyone")

    people = imported_people()
    assert people.count() == 5
    for person in people:
        assert not person.is_active
        assert not person.has_usable_password()
        assert person.first_name == "Pol.is"
    assert sorted(p.last_name for p in people) == ["#0", "#1", "#2", "#3", "#5"]

    assert StatementVote.objects.count() == 15
    second = statements[1]
    participant_two = people.get(last_name="#2")
    assert StatementVote.objects.get(statement=second, participant=participant_two).value == 1
    participant_one = people.get(last_name="#1")
    assert StatementVote.objects.get(statement=second, participant=participant_one).value == 0


@pytest.mark.django_db
def test_the_call_can_be_named_by_page_id(survey):
    run_import(FIXTURE, survey.pk)
    assert Statement.objects.filter(call_key=survey.call_key).count() == 5


@pytest.mark.django_db
def test_importing_again_creates_nothing_twice_and_takes_changed_votes(survey, export_copy):
    run_import(export_copy, survey.call_key)
    before = counts()
    output = run_import(export_copy, survey.call_key)
    assert counts() == before
    assert "۰" in output or "0" in output

    votes_file = export_copy / "participants-votes.csv"
    votes_file.write_text(votes_file.read_text().replace("3,,0,1,0,1,,-1,,", "3,,0,1,1,0,,1,,"))
    run_import(export_copy, survey.call_key)
    assert counts() == before
    changed = StatementVote.objects.get(participant__last_name="#3")
    assert changed.value == 1


@pytest.mark.django_db
def test_two_calls_get_their_own_participants(survey, calls):
    other = SurveyCampaignPageFactory(parent=calls)
    run_import(FIXTURE, survey.call_key)
    run_import(FIXTURE, other.call_key)
    assert imported_people().count() == 10
    assert Statement.objects.filter(call_key=other.call_key).count() == 5


@pytest.mark.django_db
def test_the_engine_sees_the_imported_votes_as_the_export_has_them(survey):
    run_import(FIXTURE, survey.call_key)
    export = read_polis_export(FIXTURE)
    statements = list(Statement.objects.filter(call_key=survey.call_key).order_by("pk"))
    column_of = {s.pk: i for i, s in enumerate(statements[: len(export.statement_ids)])}
    # Rows by first vote, as the service orders participants.
    votes = StatementVote.objects.filter(statement__call_key=survey.call_key).order_by("pk")
    row_of = {}
    for vote in votes:
        row_of.setdefault(vote.participant_id, len(row_of))
    matrix = np.full((len(row_of), len(column_of)), np.nan)
    for vote in votes:
        matrix[row_of[vote.participant_id], column_of[vote.statement_id]] = vote.value
    np.testing.assert_array_equal(matrix, export.votes)
    ours = engine.compute_map(matrix, excluded_items=export.moderated_out)
    theirs = engine.compute_map(export.votes, excluded_items=export.moderated_out)
    np.testing.assert_array_equal(ours.labels, theirs.labels)


# --- Bad input: a Persian message and nothing changed --------------------------------------


def assert_refused(folder, call, fragment):
    with pytest.raises(CommandError) as refusal:
        run_import(folder, call)
    message = str(refusal.value)
    assert fragment in message
    assert "Nothing" not in message  # translated, not the English text
    assert counts() == (0, 0, 0)
    return message


@pytest.mark.django_db
def test_a_missing_folder_is_refused(survey, tmp_path):
    message = assert_refused(tmp_path / "nowhere", survey.call_key, "وجود ندارد")
    assert "چیزی وارد نشد" in message


@pytest.mark.django_db
def test_a_missing_file_is_refused(survey, export_copy):
    (export_copy / "comments.csv").unlink()
    assert_refused(export_copy, survey.call_key, "comments.csv")


@pytest.mark.django_db
def test_a_vote_pol_is_never_writes_is_refused(survey, export_copy):
    votes_file = export_copy / "participants-votes.csv"
    votes_file.write_text(votes_file.read_text().replace("1,0,1,1\n", "1,0,2,1\n"))
    message = assert_refused(export_copy, survey.call_key, "«2»")
    assert "۳" in message  # the line, in Persian digits


@pytest.mark.django_db
def test_a_short_row_is_refused(survey, export_copy):
    votes_file = export_copy / "participants-votes.csv"
    votes_file.write_text(votes_file.read_text() + "9,,0,1,1,0,1\n")
    assert_refused(export_copy, survey.call_key, "participants-votes.csv")


@pytest.mark.django_db
def test_votes_on_a_statement_comments_csv_lacks_are_refused(survey, export_copy):
    comments = export_copy / "comments.csv"
    lines = comments.read_text().splitlines(keepends=True)
    comments.write_text("".join(line for line in lines if ",1,0,2,3,1," not in line))
    assert_refused(export_copy, survey.call_key, "comments.csv")


@pytest.mark.django_db
def test_an_unknown_call_is_refused(db, tmp_path):
    with pytest.raises(CommandError) as refusal:
        run_import(FIXTURE, "999999")
    assert "فراخوانی" in str(refusal.value)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_an_anonymous_verified_call_is_refused(calls):
    sealed = SurveyCampaignPageFactory(parent=calls, anonymity=AnonymityMode.ANONYMOUS_VERIFIED)
    with pytest.raises(CommandError):
        run_import(FIXTURE, sealed.call_key)
    assert counts() == (0, 0, 0)


def test_newer_exports_with_an_xid_column_read_the_same(tmp_path):
    folder = tmp_path / "with-xid"
    shutil.copytree(FIXTURE, folder)
    votes_file = folder / "participants-votes.csv"
    lines = votes_file.read_text().splitlines()
    with_xid = [lines[0].replace("participant,", "participant,xid,", 1)]
    with_xid += [line.replace(",", ",x-" + line.split(",")[0] + ",", 1) for line in lines[1:]]
    votes_file.write_text("\n".join(with_xid) + "\n")
    plain, newer = read_polis_export(FIXTURE), read_polis_export(folder)
    np.testing.assert_array_equal(plain.votes, newer.votes)
    np.testing.assert_array_equal(plain.polis_groups, newer.polis_groups)
    assert plain.statement_ids == newer.statement_ids == ("0", "1", "2", "3")


@pytest.mark.django_db
def test_a_real_conversation_imports_whole_and_maps_as_its_export(survey):
    folder = shared_data("polis", "brexit-consensus")
    output = run_import(folder, survey.call_key)
    export = read_polis_export(folder)
    cast = int((~np.isnan(export.votes)).sum())
    assert StatementVote.objects.filter(statement__call_key=survey.call_key).count() == cast
    assert imported_people().count() == len(export.participant_ids)
    assert to_persian_digits(cast) in output
    statements = list(Statement.objects.filter(call_key=survey.call_key).order_by("pk"))
    column_of = {s.pk: i for i, s in enumerate(statements)}
    votes = StatementVote.objects.filter(statement__call_key=survey.call_key).order_by("pk")
    values = list(votes.values_list("participant_id", "statement_id", "value"))
    rows = {}
    for participant, _statement, _value in values:
        rows.setdefault(participant, len(rows))
    matrix = engine.votes_from_triples(
        [rows[p] for p, _, _ in values],
        [column_of[s] for _, s, _ in values],
        [v for _, _, v in values],
        (len(rows), len(statements)),
    )
    np.testing.assert_array_equal(matrix, export.votes)
    assert run_import(folder, survey.call_key).count("۰") >= 4  # nothing new the second time


@pytest.mark.django_db
def test_statements_take_the_language_given_and_an_unknown_one_is_refused(survey):
    with pytest.raises(CommandError) as refusal:
        run_import(FIXTURE, survey.call_key, language="klingon")
    assert "زبان" in str(refusal.value)
    assert counts() == (0, 0, 0)
    run_import(FIXTURE, survey.call_key, language="en")
    assert set(Statement.objects.values_list("language", flat=True)) == {"en"}
