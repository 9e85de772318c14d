"""Accounts an administrator must resolve by hand: look-alikes and deactivated duplicates.

Sign-up and email change refuse look-alike addresses (``emails.email_problem``) and the
canonical form makes two spellings of one address one account, but accounts made before
those rules are kept as they were (people migrations 0006 and 0007):

* a **look-alike** has an address sign-up now refuses (``admın@…`` with a dotless ``ı``,
  Cyrillic letters…); it still signs in, and may be someone impersonating another account
  or a person who really has that address. Only a person can tell.
* a **duplicate** shared its canonical address with another account and was deactivated
  by the migration, its data untouched; the account that kept the address is named.

``manage.py lookalike_accounts`` lists both and deactivates a look-alike on request.
"""

import logging
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from confusable_homoglyphs import utils as homoglyphs
from django.contrib.auth import get_user_model
from django.db import transaction

from participation.emails import canonical_email, email_problem

logger = logging.getLogger("hadaf.people")

LOOK_ALIKE = "look-alike"
DUPLICATE = "duplicate"
BATCH = 1000


@dataclass
class Listed:
    """One account to resolve, why, and the accounts it looks like or shares an address with."""

    person: object
    kind: str
    resembles: list = field(default_factory=list)


@cache
def _confusables():
    return homoglyphs.load("confusables.json")


def _ascii_twin(char):
    """The ASCII letter or digit ``char`` is confusable with (Unicode's table), or ``char``."""
    if char.isascii():
        return char
    for glyph in _confusables().get(char, ()):
        twin = glyph["c"]
        if len(twin) == 1 and twin.isascii() and twin.isalnum():
            return twin.lower()
    return char


def skeleton(address):
    """The canonical address with every non-ASCII letter replaced by its ASCII look-alike:
    ``skeleton("admın@hadaf.test") == skeleton("admin@hadaf.test")``."""
    return "".join(map(_ascii_twin, canonical_email(address)))


def odd_characters(address):
    """The characters of ``address`` outside ASCII and the Arabic script, named, for a
    person to see what a look-alike is made of: ``["U+0131 LATIN SMALL LETTER DOTLESS I"]``."""
    return [
        f"U+{ord(char):04X} {unicodedata.name(char, '?')}"
        for char in dict.fromkeys(address)
        if not char.isascii() and "ARABIC" not in unicodedata.name(char, "")
    ]


def lookalike_accounts():
    """Every look-alike and deactivated duplicate account, oldest first.

    Returns:
        list[Listed]: with ``resembles`` the primary keys of the accounts it looks like
        (same :func:`skeleton`) or, for a duplicate, that kept its canonical address.
    """
    User = get_user_model()
    by_skeleton, listed = {}, []
    people = User.objects.only("pk", "email", "email_canonical", "is_active").order_by("pk")
    for person in people.iterator(BATCH):
        by_skeleton.setdefault(skeleton(person.email), []).append(person.pk)
        if person.email_canonical is None and not person.is_active and person.email:
            listed.append(Listed(person, DUPLICATE))
        elif email_problem(person.email):
            listed.append(Listed(person, LOOK_ALIKE))
    holders = dict(
        User.objects.filter(
            email_canonical__in=[
                canonical_email(item.person.email) for item in listed if item.kind == DUPLICATE
            ]
        ).values_list("email_canonical", "pk")
    )
    for item in listed:
        if item.kind == DUPLICATE:
            kept = holders.get(canonical_email(item.person.email))
            item.resembles = [kept] if kept else []
        else:
            twins = by_skeleton.get(skeleton(item.person.email), [])
            item.resembles = [pk for pk in twins if pk != item.person.pk]
    return listed


class NotListed(Exception):
    """The account is not a look-alike (nothing to resolve here)."""


def deactivate_lookalike(pk):
    """Deactivate look-alike account ``pk`` (it can no longer sign in; its data stays).

    Returns:
        bool: False if it was already inactive.

    Raises:
        NotListed: ``pk`` is no account, or its address is not a look-alike.
    """
    User = get_user_model()
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=pk).first()
        if person is None or not email_problem(person.email):
            raise NotListed(pk)
        if not person.is_active:
            return False
        person.is_active = False
        person.save(update_fields=["is_active"])
    logger.warning("deactivated look-alike account pk=%s", pk)
    return True
