"""Recount the effectiveness dashboard's figures (run it from cron, e.g. hourly)."""

from django.core.management.base import BaseCommand

from participation.impact.tasks import refresh_effectiveness


class Command(BaseCommand):
    help = "Recount the effectiveness dashboard's figures, now or in the task queue."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="queue a task instead")

    def handle(self, *args, queue=False, **options):
        if queue:
            refresh_effectiveness.enqueue()
            self.stdout.write("queued")
            return
        written = refresh_effectiveness.call()
        self.stdout.write(f"{written} rows counted")
