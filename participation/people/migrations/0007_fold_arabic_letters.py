"""Recompute ``User.email_canonical`` with the Arabic letters folded to Persian ones.

``علي@…`` (Arabic ``ي``, U+064A) and ``علی@…`` (Persian ``ی``, U+06CC) look the same and are
now one address (``participation/emails.py``), as are ``ك``/``ک``. Where two existing
accounts now share a canonical address, the same rule as migration 0006 applies and the
upgrade never stops: one keeps it — an active account before an inactive one, then the one
whose stored address already is the canonical form, then the oldest — and the others are
deactivated with an empty canonical address, their data untouched, for an administrator to
review (``manage.py lookalike_accounts`` lists them). Accounts 0006 already deactivated
(empty canonical address) are left as they are. What changed is shown by ``migrate`` and
logged as a warning (``hadaf.people``), by primary key, never by address.

Reversing leaves the folded forms (they still compare every address as before, only more
strictly) and the deactivated accounts inactive.
"""

import logging
from collections import defaultdict

from django.db import migrations

from participation.emails import canonical_email

logger = logging.getLogger("hadaf.people")
BATCH = 1000


def _keeper(canonical, people):
    """Who keeps ``canonical``: active, then already spelled that way, then the oldest."""
    return min(
        people, key=lambda person: (not person.is_active, person.email != canonical, person.pk)
    )


def fold(apps, schema_editor):
    User = apps.get_model("people", "User")
    by_canonical = defaultdict(list)
    people = User.objects.filter(email_canonical__isnull=False).only(
        "pk", "email", "email_canonical", "is_active"
    )
    for person in people.order_by("pk").iterator(BATCH):
        by_canonical[canonical_email(person.email)].append(person)
    deactivated, refolded, kept_by = [], [], {}
    for canonical, group in by_canonical.items():
        keeper = _keeper(canonical, group)
        for other in group:
            if other is not keeper:
                other.email_canonical, other.is_active = None, False
                deactivated.append(other)
                kept_by[other.pk] = keeper.pk
        if keeper.email_canonical != canonical:
            keeper.email_canonical = canonical
            refolded.append(keeper)
    # Losers first: a keeper may take the form a loser holds now, and the index is unique.
    User.objects.bulk_update(deactivated, ["email_canonical", "is_active"], batch_size=BATCH)
    User.objects.bulk_update(refolded, ["email_canonical"], batch_size=BATCH)
    _report(len(refolded), kept_by)


def _report(refolded, kept_by):
    lines = []
    if refolded:
        lines.append(
            f"people.0007: {refolded} account(s) got a new canonical email address "
            "(Arabic ي/ى/ك folded to Persian ی/ک)."
        )
    if kept_by:
        pairs = ", ".join(f"{pk}->{kept}" for pk, kept in sorted(kept_by.items()))
        lines.append(
            f"people.0007: {len(kept_by)} account(s) now share a canonical email address with "
            f"another and were deactivated for review (deactivated pk -> kept pk): {pairs}. "
            "See `manage.py lookalike_accounts`."
        )
    for line in lines:
        # A warning reaches the console of whoever runs migrate even with no logging set up.
        logger.warning(line)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_email_canonical"),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop, elidable=False),
    ]
