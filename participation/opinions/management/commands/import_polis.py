"""``manage.py import_polis FOLDER --call KEY_OR_PAGE_ID``: a Pol.is export into a call.

Reads a Pol.is data export (``comments.csv`` and ``participants-votes.csv``, see
``participation/opinions/polis_export.py``) and makes it the call's statements
conversation, so the opinion map can be computed on real Pol.is data (issue 19):

- each Pol.is comment becomes a statement of the call, seeded and published (a comment
  Pol.is moderated out is stored removed, so the map leaves it out as Pol.is did); text
  longer than a statement may be is shortened, with an ellipsis;
- each Pol.is participant becomes a pseudonymous record: an inactive account with an
  unusable password and an address in the reserved ``imported.invalid`` domain (RFC 2606:
  no mail can reach it), ``polis-<participant>.<call key>@imported.invalid``, named
  ``Pol.is`` ``#<participant>``. Nobody can sign in as it and it links to no person;
- each vote becomes a vote on the statement, created in participant order so the
  engine's rows follow the order Pol.is's participants joined in.

Safe to repeat: statements and participants are found again by their Pol.is ids (a
statement's ``uuid`` is derived from the call and the comment id), nothing is created
twice, and a vote the export changed takes the export's value. One call holds one Pol.is
conversation. A folder that is not a Pol.is export, or a call that cannot have statements,
stops the command with a message and changes nothing (one transaction).
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from participation.choices import ModerationState
from participation.lifecycle import CallPageMixin
from participation.opinions.models import MAX_STATEMENT_LENGTH, Statement, StatementVote
from participation.opinions.polis_export import PolisExportError, read_polis_export
from participation.opinions.services import check_statements_allowed
from participation.persian import localize_digits

IMPORTED_EMAIL_DOMAIN = "imported.invalid"
STATEMENT_NAMESPACE = uuid.UUID("6b1f7f55-63a4-4e0e-9a43-2f4ab8a0c1d9")
BATCH = 2000


def export_error_message(error):
    """The translated message for a :class:`PolisExportError`."""
    messages = {
        "missing_folder": _("The folder does not exist."),
        "missing_file": _("The file %(file)s is missing from the folder."),
        "unreadable": _("The file %(file)s cannot be read as UTF-8 CSV."),
        "bad_header": _("The header row of %(file)s is not that of a Pol.is export."),
        "bad_row": _("Line %(line)s of %(file)s is not as Pol.is writes it."),
        "bad_vote": _(
            "Line %(line)s of participants-votes.csv has the vote “%(value)s”; "
            "a vote is 1, -1, 0 or empty."
        ),
        "duplicate": _("%(file)s lists %(value)s twice."),
        "unknown_statement": _(
            "participants-votes.csv has votes on statement %(value)s, which comments.csv "
            "does not have."
        ),
    }
    params = {
        key: value
        if key in ("file", "value") and error.code != "unknown_statement"
        else localize_digits(value)
        for key, value in error.params.items()
    }
    return messages.get(error.code, _("The folder is not a Pol.is export.")) % params


def imported_email(call_key, participant_id):
    return f"polis-{participant_id}.{call_key.hex}@{IMPORTED_EMAIL_DOMAIN}"


def statement_uuid(call_key, comment_id):
    return uuid.uuid5(STATEMENT_NAMESPACE, f"{call_key}:polis-comment:{comment_id}")


def shorten(text):
    if len(text) <= MAX_STATEMENT_LENGTH:
        return text
    return text[: MAX_STATEMENT_LENGTH - 1].rstrip() + "…"


def resolve_call(value):
    """The call page named by a page id or a call key (translation key)."""
    page = None
    try:
        page = Page.objects.filter(translation_key=uuid.UUID(value)).first()
    except ValueError:
        if value.isdigit():
            page = Page.objects.filter(pk=int(value)).first()
    page = page.specific if page else None
    if not isinstance(page, CallPageMixin):
        raise CommandError(_("No call has the page id or key %(value)s.") % {"value": value})
    return page


def import_statements(call_key, export, language):
    """The export's comments as the call's statements: {comment id: statement}."""
    wanted = {statement_uuid(call_key, c.id): c for c in export.comments}
    existing = {s.uuid: s for s in Statement.objects.filter(call_key=call_key) if s.uuid in wanted}
    new = [
        Statement(
            uuid=key,
            call_key=call_key,
            text=shorten(comment.body),
            seeded_by_editor=True,
            language=language,
            moderation_state=(
                ModerationState.REMOVED if comment.moderated_out else ModerationState.PUBLISHED
            ),
        )
        for key, comment in wanted.items()
        if key not in existing
    ]
    for statement in new:  # created one by one, in comment order, so pks follow Pol.is ids
        statement.save()
        existing[statement.uuid] = statement
    return {comment.id: existing[key] for key, comment in wanted.items()}, len(new)


def import_participants(call_key, participant_ids):
    """A pseudonymous, inactive account per Pol.is participant: {participant id: user}."""
    User = get_user_model()
    emails = {imported_email(call_key, int(pid)): int(pid) for pid in participant_ids}
    imported = User.objects.filter(email__endswith=f".{call_key.hex}@{IMPORTED_EMAIL_DOMAIN}")
    existing = {u.email: u for u in imported}
    new = []
    for email, pid in emails.items():
        if email in existing:
            continue
        person = User(email=email, first_name="Pol.is", last_name=f"#{pid}", is_active=False)
        person.set_unusable_password()
        new.append(person)
    User.objects.bulk_create(new, batch_size=BATCH)
    people = {u.email: u for u in imported.all()}
    return {pid: people[email] for email, pid in emails.items()}, len(new)


def import_votes(call_key, export, statements, people):
    """The export's votes; returns (created, changed)."""
    columns = [statements[s] for s in export.statement_ids]
    wanted = {}
    for row, pid in enumerate(export.participant_ids):
        person = people[int(pid)]
        for column, value in enumerate(export.votes[row]):
            if value == value:  # not NaN: seen
                wanted[(columns[column].pk, person.pk)] = int(value)
    existing = {
        (v.statement_id, v.participant_id): v
        for v in StatementVote.objects.filter(statement__call_key=call_key)
    }
    new, changed, now = [], [], timezone.now()
    for (statement_id, person_id), value in wanted.items():
        vote = existing.get((statement_id, person_id))
        if vote is None:
            new.append(
                StatementVote(statement_id=statement_id, participant_id=person_id, value=value)
            )
        elif vote.value != value:
            vote.value = value
            vote.updated_at = now
            changed.append(vote)
    StatementVote.objects.bulk_create(new, batch_size=BATCH)
    StatementVote.objects.bulk_update(changed, ["value", "updated_at"], batch_size=BATCH)
    return len(new), len(changed)


class Command(BaseCommand):
    help = (
        "Import a Pol.is export folder (comments.csv, participants-votes.csv) into a call: "
        "statements, pseudonymous participants and their votes. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder of the Pol.is export.")
        parser.add_argument(
            "--call", required=True, help="The call's page id or call key (translation key)."
        )
        parser.add_argument(
            "--language", default="", help="The statements' language code (e.g. en); none given."
        )

    def handle(self, *args, folder, call, language, **options):
        if language and language not in dict(settings.LANGUAGES):
            raise CommandError(
                _("%(value)s is not one of the site's languages.") % {"value": language}
            )
        page = resolve_call(call)
        try:
            check_statements_allowed(page)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            export = read_polis_export(folder)
        except PolisExportError as error:
            raise CommandError(
                _("%(folder)s: %(problem)s Nothing was imported.")
                % {"folder": folder, "problem": export_error_message(error)}
            ) from None
        empty = [c.id for c in export.comments if not c.body]
        if empty:
            raise CommandError(
                _("%(folder)s: statement %(value)s has no text. Nothing was imported.")
                % {"folder": folder, "value": localize_digits(empty[0])}
            )
        call_key = page.call_key
        with transaction.atomic():
            statements, new_statements = import_statements(call_key, export, language)
            people, new_people = import_participants(call_key, export.participant_ids)
            new_votes, changed_votes = import_votes(call_key, export, statements, people)
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "%(name)s: %(statements)s new statements, %(people)s new participants, "
                    "%(votes)s new votes, %(changed)s changed votes."
                )
                % {
                    "name": export.name,
                    "statements": localize_digits(new_statements),
                    "people": localize_digits(new_people),
                    "votes": localize_digits(new_votes),
                    "changed": localize_digits(changed_votes),
                }
            )
