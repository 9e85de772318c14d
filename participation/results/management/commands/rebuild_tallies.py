"""``manage.py rebuild_tallies [--call KEY_OR_PAGE_ID] [--check]``."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from participation.results import rebuild


class Command(BaseCommand):
    help = (
        "Recompute answer tallies from the submissions that count (all calls, or one), "
        "or with --check only report where they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--call",
            action="append",
            default=[],
            help="A call's page id or translation key (repeatable); all calls when omitted.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; list differences and fail if there are any.",
        )

    def handle(self, *args, call, check, **options):
        keys = [self.call_key(value) for value in call] or rebuild.call_keys()
        differing = 0
        for key in keys:
            if check:
                differences = rebuild.tally_differences(key)
                if differences:
                    differing += 1
                    self.stdout.write(f"{key}: {len(differences)} tallies differ")
                    for tally_key, (stored, expected) in sorted(differences.items())[:20]:
                        self.stdout.write(f"  {tally_key}: stored {stored}, answers say {expected}")
                elif options["verbosity"] > 1:
                    self.stdout.write(f"{key}: in step")
                continue
            written = rebuild.rebuild_tallies(key)
            if written is None:
                self.stderr.write(f"{key}: no page has this call; its tallies are left alone")
            elif options["verbosity"]:
                self.stdout.write(f"{key}: {written} tally rows rebuilt")
        if check and differing:
            raise CommandError(f"{differing} call(s) have tallies out of step with their answers")

    def call_key(self, value):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
        try:
            return Page.objects.get(pk=int(value)).translation_key
        except (ValueError, Page.DoesNotExist):
            raise CommandError(f"No call with page id or key {value!r}") from None
