"""Apply every call's incentive rules to all past contributions; safe to run again."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from participation.dashboard import awarding


class Command(BaseCommand):
    help = (
        "Award what the incentive rules offer to every contribution that earns it, "
        "including rules added after the fact. Nothing is awarded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--call", help="Only the call with this translation key (UUID).")

    def handle(self, *args, call=None, **options):
        call_key = None
        if call:
            try:
                call_key = uuid.UUID(call)
            except ValueError:
                raise CommandError(
                    "--call takes the call page's translation key (a UUID)."
                ) from None
        held = awarding.replay(call_key)
        self.stdout.write(f"{held} award(s) held under the rules.")
