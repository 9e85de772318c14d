from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile the project's .po catalogues into .mo files with polib, so set-up "
        "works on machines without GNU gettext (unlike compilemessages)."
    )

    def handle(self, *args, verbosity=1, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                if verbosity > 1:
                    self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(f"Compiled {compiled} catalogue(s)."))
