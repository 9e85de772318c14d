"""``User.email_canonical``: one identity per address, unique in the database.

The backfill never stops an upgrade. Where existing accounts share one canonical
address (``editor@hadaf.test`` and ``editor@hadaf.teſt`` were two accounts on
PostgreSQL), one keeps it: the account whose stored address already is the canonical
form, else the oldest. The others are deactivated with an empty canonical address (the
check constraint allows that only on inactive accounts). They could not sign in any
more anyway (both login pages now find the keeper), and no data of theirs is touched:
an operator reviews them in the admin (Users, inactive) and merges or deletes them.
Accounts whose address is a look-alike that sign-up now refuses (``admın@…``) keep
working; they are listed for review too. Both lists are shown by ``migrate`` and
logged as warnings (``hadaf.people``), by primary key, never by address.

Reversing drops the column and leaves deactivated accounts inactive.
"""

import logging
from collections import defaultdict

from django.db import migrations, models

import participation.people.fields
from participation.emails import canonical_email, email_problem

logger = logging.getLogger("hadaf.people")
BATCH = 1000


def _keeper(canonical, people):
    """The account that keeps ``canonical``: already spelled that way, else the oldest."""
    return min(people, key=lambda person: (person.email != canonical, person.pk))


def backfill(apps, schema_editor):
    User = apps.get_model("people", "User")
    by_canonical = defaultdict(list)
    look_alikes = []
    for person in User.objects.only("pk", "email", "is_active").order_by("pk").iterator(BATCH):
        by_canonical[canonical_email(person.email)].append(person)
        if email_problem(person.email):
            look_alikes.append(person.pk)
    changed, deactivated = [], []
    for canonical, people in by_canonical.items():
        keeper = _keeper(canonical, people)
        keeper.email_canonical = canonical
        changed.append(keeper)
        for other in people:
            if other is not keeper:
                other.email_canonical = None
                other.is_active = False
                changed.append(other)
                deactivated.append((other.pk, keeper.pk))
    User.objects.bulk_update(changed, ["email_canonical", "is_active"], batch_size=BATCH)
    gone = {pk for pk, _kept in deactivated}
    _report(deactivated, [pk for pk in look_alikes if pk not in gone])


def _report(deactivated, look_alikes):
    lines = []
    if deactivated:
        lines.append(
            "people.0006: %d account(s) shared a canonical email address with another and were "
            "deactivated for review (deactivated pk -> kept pk): %s"
            % (len(deactivated), ", ".join(f"{pk}->{kept}" for pk, kept in deactivated))
        )
    if look_alikes:
        lines.append(
            "people.0006: %d account(s) have a look-alike address sign-up now refuses; "
            "review them (pk): %s" % (len(look_alikes), ", ".join(map(str, look_alikes)))
        )
    for line in lines:
        # A warning reaches the console of whoever runs migrate even with no logging set up.
        logger.warning(line)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("people", "0005_editors_verify_and_manage_universities"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=participation.people.fields.CanonicalEmailField(
                blank=True, null=True, unique=True, verbose_name="canonical email address"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("email_canonical__isnull", False), ("is_active", False), _connector="OR"
                ),
                name="active_people_have_a_canonical_email",
            ),
        ),
    ]
