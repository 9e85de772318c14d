"""List accounts with look-alike addresses and deactivated duplicates; deactivate look-alikes.

See ``participation/people/lookalikes.py`` and docs/security.md.
"""

from django.core.management.base import BaseCommand, CommandError

from participation.people import lookalikes


class Command(BaseCommand):
    help = (
        "List accounts whose address sign-up now refuses as a look-alike, and accounts the "
        "people migrations deactivated because another kept their canonical address. "
        "--deactivate ID (repeatable) deactivates a listed look-alike account."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--deactivate",
            action="append",
            type=int,
            default=[],
            metavar="ID",
            help="Deactivate this look-alike account (its data is kept).",
        )

    def handle(self, *args, **options):
        for pk in options["deactivate"]:
            try:
                changed = lookalikes.deactivate_lookalike(pk)
            except lookalikes.NotListed:
                raise CommandError(f"Account {pk} is not a look-alike account.") from None
            self.stdout.write(
                f"Account {pk} deactivated." if changed else f"Account {pk} was already inactive."
            )
        if options["deactivate"]:
            return
        listed = lookalikes.lookalike_accounts()
        if not listed:
            self.stdout.write("No look-alike or duplicate accounts.")
            return
        for item in listed:
            person = item.person
            state = "active" if person.is_active else "inactive"
            if item.kind == lookalikes.DUPLICATE:
                relation = "kept by " + (", ".join(map(str, item.resembles)) or "nobody")
            else:
                relation = "looks like " + (", ".join(map(str, item.resembles)) or "no account")
            odd = "; ".join(lookalikes.odd_characters(person.email))
            self.stdout.write(
                f"{person.pk}\t{item.kind}\t{state}\t{person.email}\t{relation}"
                + (f"\t[{odd}]" if odd else "")
            )
        unresolved = sum(1 for item in listed if item.person.is_active)
        self.stdout.write(
            f"{len(listed)} account(s) listed, {unresolved} still active. Deactivate a "
            "look-alike with --deactivate ID; merge or delete duplicates in the admin."
        )
