from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pages.demo_content import seed_pages
from participation.people.demo import (
    ADMIN_EMAIL,
    EDITOR_EMAIL,
    MODERATOR_EMAIL,
    demo_password,
    seed_accounts,
)


class Command(BaseCommand):
    help = "Create realistic Persian demo content and accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (for staging sites, never production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to seed demo accounts with DEBUG off; pass --force.")
        with transaction.atomic():
            seed_accounts()
            pages = seed_pages()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {pages['home'].url_path}"))
        self.stdout.write(
            f"Admin at /admin/ — editor: {EDITOR_EMAIL}, moderator: {MODERATOR_EMAIL}, "
            f"administrator: {ADMIN_EMAIL}, password: {demo_password()}"
        )
