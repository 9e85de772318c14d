from django.core.management.base import BaseCommand

from participation.calls import call_page_model
from participation.choices import CallKind
from participation.drafts import services


class Command(BaseCommand):
    help = (
        "Email the authors of decided comments whose decisions have become public "
        "(an outcome published at a later time). Safe to run often, e.g. hourly: "
        "each author is told once."
    )

    def handle(self, *args, **options):
        told = sum(
            services.announce_decisions(page)
            for page in call_page_model(CallKind.DRAFT).objects.live()
        )
        self.stdout.write(f"{told} notices queued.")
