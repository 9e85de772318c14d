from django.core.management.base import BaseCommand

from participation.privacy.services import purge_expired_exports


class Command(BaseCommand):
    help = "Delete the zips of expired data exports (run it periodically, e.g. hourly)."

    def handle(self, *args, **options):
        purged = purge_expired_exports()
        self.stdout.write(f"Purged {purged} expired data export(s).")
