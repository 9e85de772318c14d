"""Demo incentive rules for ``seed_demo``: what last year's festival call earned.

Winners get a certificate and a cash prize, honourable mentions a certificate, every
shortlisted idea a workshop seat. The rules are applied by the same replay as
``award_incentives``, so running the seed again awards nothing twice.
"""

from participation.choices import IncentiveKind

from .awarding import replay
from .choices import Trigger
from .models import IncentiveRule

FESTIVAL_RULES = [
    # (trigger, kind, amount in rials, certificate, description)
    (Trigger.IDEA_WINNER, IncentiveKind.PRIZE, 500_000_000, True, "برگزیدهٔ جشنواره ایده‌های فرهنگی"),
    (Trigger.IDEA_MENTION, IncentiveKind.CERTIFICATE, None, True, "شایستهٔ تقدیر جشنواره"),
    (Trigger.IDEA_SHORTLISTED, IncentiveKind.WORKSHOP, None, False, "کارگاه ایده تا اجرا"),
]


def _ensure_rule(page, trigger, kind, amount, certificate, description):
    IncentiveRule.objects.get_or_create(
        call_key=page.translation_key,
        trigger=trigger,
        kind=kind,
        defaults={
            "call": page,
            "amount": amount,
            "with_certificate": certificate,
            "description": description,
        },
    )


def seed_incentives(festival_call):
    """The festival's rules, applied to its shortlisted, winning and mentioned ideas."""
    for rule in FESTIVAL_RULES:
        _ensure_rule(festival_call, *rule)
    replay(festival_call.translation_key)
