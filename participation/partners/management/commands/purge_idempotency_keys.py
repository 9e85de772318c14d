"""Delete stored idempotent responses older than 24 hours (also done as keys are used)."""

from django.core.management.base import BaseCommand

from participation.partners.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"{deleted} idempotency records deleted.")
