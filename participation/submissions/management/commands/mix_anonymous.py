"""``manage.py mix_anonymous``: the mixing step of anonymous-verified calls, for cron.

Open calls with a complete batch of sealed ballots waiting have it opened and mixed; closed
calls with ballots waiting have them all opened, however few, and are mixed completely (every
response and receipt of the call), and their remaining awards are made. ``--closed`` mixes
every closed call completely, waiting or not: run it once after calls close
(docs/privacy.md). Running either again changes nothing anyone can read.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from participation.submissions import mixing
from participation.submissions.models import SealedBallot, Submission


def is_closed(call_key):
    """Whether the call of ``call_key`` is closed (or its page is gone)."""
    page = Page.objects.filter(translation_key=call_key).first()
    return page is None or not getattr(page.specific, "is_open", False)


class Command(BaseCommand):
    help = "Mix anonymous-verified responses: complete batches, and closed calls fully."

    def add_arguments(self, parser):
        parser.add_argument("--call", help="Only this call key (a page's translation key).")
        parser.add_argument(
            "--closed",
            action="store_true",
            help="Mix every closed call completely, even with nothing waiting.",
        )

    def handle(self, *args, call=None, closed=False, **options):
        anonymous = Submission.objects.filter(participant__isnull=True).exclude(edit_token_hash="")
        if not closed:
            anonymous = anonymous.filter(awaiting_mix=True)
        sealed = SealedBallot.objects.all()
        if call:
            anonymous = anonymous.filter(call_key=call)
            sealed = sealed.filter(call_key=call)
        keys = set(anonymous.values_list("call_key", flat=True))
        keys |= set(sealed.values_list("call_key", flat=True))
        keys = sorted(keys, key=str)
        mixed = 0
        for key in keys:
            closing = is_closed(key)
            if closed and not closing:
                continue
            mixed += mixing.mix(key, closing=closing)
        self.stdout.write(f"Opened or mixed {mixed} anonymous response(s).")
