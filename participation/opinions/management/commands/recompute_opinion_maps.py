"""``manage.py recompute_opinion_maps [--call KEY] [--all]``: for cron in the embedded profile."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from participation.opinions import maps


class Command(BaseCommand):
    help = (
        "Recompute the opinion maps of calls whose statement votes changed since their "
        "latest map (or of the calls named), storing each as a new unpublished snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--call", action="append", default=[], help="A call's translation key (repeatable)."
        )

    def handle(self, *args, call, **options):
        try:
            keys = [uuid.UUID(value) for value in call] or maps.stale_calls()
        except ValueError as error:
            raise CommandError(f"Not a call key: {error}") from None
        for key in keys:
            snapshot = maps.recompute(key)
            if snapshot is None:
                self.stdout.write(f"{key}: nothing to map")
                continue
            self.stdout.write(
                f"{key}: {len(snapshot.data['groups'])} groups, "
                f"{snapshot.participant_count} participants, {snapshot.vote_count} votes"
            )
