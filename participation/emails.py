"""One identity per email address: its canonical form, and the look-alikes refused.

Every comparison of email addresses in Hadaf goes through :func:`canonical_email` —
sign-up, both login pages, axes' lockout key, password reset, email change, invitations
to organizations and erasure's hash — and the database keeps it unique
(``User.email_canonical``). Look-ups compare it with exact equality, never ``iexact``:
the databases' case-insensitive matches disagree with each other and with Python
(PostgreSQL's ``UPPER`` turns the dotless ``ı`` and the long ``ſ`` into ``I`` and ``S``,
SQLite's ``LIKE`` folds ASCII only), so two spellings could be one person on one path and
two people on another.

The canonical form is Unicode's NFKC case fold (UTR #36 §2.11.2, what allauth itself
uses to compare identifiers) of the whole address, with the Arabic letters a keyboard
types for Persian ones folded to the Persian (``ي``/``ى`` to ``ی``, ``ك`` to ``ک``: the same
letter on screen, so ``علي@…`` and ``علی@…`` are one person); an internationalized domain
is also written as its IDNA A-label (``xn--…``), so the Unicode and ASCII spellings of one
domain are one address (a typed ``xn--`` label is decoded and folded first). Plain ASCII
addresses are simply lower-cased, as they were before. The Arabic fold came with people
migration 0007, which recomputed the stored forms and reported the accounts it merged;
``manage.py lookalike_accounts`` lists what is left for an administrator to resolve.

Canonical folding makes ``ſ``, the Kelvin sign and fullwidth letters equal to the ASCII
letters they look like, but many look-alikes are different letters in every form (the
dotless ``ı``, Cyrillic ``а``/``о``/``к``, Greek ``ο``/``κ``/``τ``, Arabic-Indic ``١`` for
``1``). Rather than list them, where a new address enters the system (:func:`email_problem`,
at sign-up, email change, organization and co-author invitations, adding a juror, awards
and the admin) an allow-list holds:

* each local part and domain label is either plain ASCII, or made only of letters of the
  Arabic script (Persian and Arabic letters; no marks, tatweel or zero-width non-joiner);
  every other script is refused with one message, whatever its letters look like;
* an ``xn--`` label is checked as the Unicode it decodes to, as well as typed (it is the
  same address), and one that does not decode is refused;
* digits are ASCII only. Persian and Arabic-Indic digits are refused with a message asking
  for Latin digits rather than converted: converting would change the canonical form of
  addresses already stored (and their unique index) and would make ``۱`` and ``1`` one
  address on some paths but not in mail servers, which treat them as different.

The refusal depends on what was typed alone, never on whether an account has the address,
so it reveals nothing. Addresses stored before a rule existed are kept; the people
migration reports them.
"""

import unicodedata

import idna
from confusable_homoglyphs import categories
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

LOOK_ALIKE_MESSAGE = _(
    "This email address mixes alphabets or has characters that look like other letters. "
    "Type it with plain Latin letters and digits."
)
DIGITS_MESSAGE = _(
    "This email address has Persian, Arabic or other non-Latin digits. "
    "Type its digits as Latin digits (0-9)."
)
INVISIBLE_MESSAGE = _("This email address has invisible or control characters. Type it again.")
# Letters, digits and the punctuation of addresses: anything else (format characters such
# as the zero-width joiner, controls, spaces, private use) has no business in an address.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


# Arabic letters that are the Persian letter on screen (Persian keyboards and Arabic ones
# type different code points for them); the canonical form has the Persian ones.
PERSIAN_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def casefold(text: str) -> str:
    """NFKC case fold: NFKC, full case folding, NFKC again (folding can un-normalize)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def fold(text: str, *, persian_letters: bool = True) -> str:
    """:func:`casefold`, then (by default) Arabic ``ي``/``ى``/``ك`` to Persian ``ی``/``ک``."""
    text = casefold(text)
    return text.translate(PERSIAN_LETTERS) if persian_letters else text


def canonical_domain(domain: str, *, persian_letters: bool = True) -> str:
    """The folded domain; if internationalized, its IDNA A-label (``xn--…``).

    A typed A-label is decoded, folded and encoded again, so it is one address with its
    Unicode spelling in either letter. A domain IDNA refuses is kept as it is: it cannot
    receive mail, but it must still compare equal to itself.
    """
    domain = fold(domain, persian_letters=persian_letters)
    if persian_letters and "xn--" in domain:
        try:
            domain = fold(idna.decode(domain))
        except (idna.IDNAError, UnicodeError):
            return domain
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return domain


def canonical_email(address: str | None, *, persian_letters: bool = True) -> str:
    """The form an email address is compared and stored unique in (see the module doc).

    ``canonical_email(" Editor@HADAF.teſt ") == "editor@hadaf.test"`` and
    ``canonical_email("علي@x.ir") == canonical_email("علی@x.ir")``. Applying it twice
    changes nothing more (folding comes before trimming: NFKC turns some characters
    into a space and a combining mark).

    ``persian_letters=False`` gives the form used before people migration 0007 (without the
    Arabic-letter fold), for the HMACs of erased addresses made before it.
    """
    address = fold(address or "", persian_letters=persian_letters).strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local}@{canonical_domain(domain, persian_letters=persian_letters)}"


def _is_arabic_letter(char: str) -> bool:
    """Whether ``char`` is a letter of the Arabic script (Persian and Arabic letters).

    Letters only: no harakat or other marks (they make one written word into several
    addresses), no tatweel (it is Common, and only stretches a letter), no digits.
    """
    return categories.aliases_categories(char) == ("ARABIC", "Lo")


def _part_problem(part: str) -> StrPromise | None:
    """Why one part (the local part or a domain label) is refused, or ``None``.

    The allow-list: plain ASCII, or letters of the Arabic script only. Everything else —
    another script (Cyrillic, Greek, Cherokee, Coptic, non-ASCII Latin …), Arabic letters
    mixed with Latin ones, marks — is refused, whatever it looks like.
    """
    if part.isascii() or all(map(_is_arabic_letter, part)):
        return None
    return LOOK_ALIKE_MESSAGE


def _decoded_labels(domain: str) -> list[str] | None:
    """The domain's labels, each ``xn--`` label also as the Unicode it stands for.

    A typed A-label is the same address as its Unicode spelling (:func:`canonical_domain`),
    so it must pass the same check. Returns ``None`` if an ``xn--`` label does not decode:
    such a label is no domain anyone can own, and only hides what it spells.
    """
    labels = []
    for label in domain.split("."):
        labels.append(label)
        if label.lower().startswith("xn--"):
            try:
                labels.append(idna.decode(label.lower()))
            except (idna.IDNAError, UnicodeError):
                return None
    return labels


def email_problem(address: str | None) -> StrPromise | None:
    """Why ``address`` cannot be a new account's or an invitation's address, or ``None``.

    Refused, in this order: invisible or control characters (the zero-width non-joiner
    too: after a letter that does not join, such as ``ا``, it changes nothing on screen);
    digits other than ASCII ``0``–``9``; characters that NFKC changes (fullwidth letters,
    the Kelvin sign, ``ſ``, presentation forms); a local part or domain label — typed, or
    decoded from its ``xn--`` form — that is neither plain ASCII nor made only of
    Arabic-script letters; an ``xn--`` label that does not decode. The answer depends on
    the address alone, never on whether it has an account. The address's syntax is the
    email field's job.
    """
    address = (address or "").strip()
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in address):
        return INVISIBLE_MESSAGE
    if any(char.isdigit() and not char.isascii() for char in address):
        return DIGITS_MESSAGE
    if unicodedata.normalize("NFKC", address) != address:
        return LOOK_ALIKE_MESSAGE
    local, _at, domain = address.rpartition("@")
    labels = _decoded_labels(domain)
    if labels is None:
        return LOOK_ALIKE_MESSAGE
    # A decoded label can hold digits too (``xn--`` of ``۱۲۳``).
    if any(char.isdigit() and not char.isascii() for label in labels for char in label):
        return DIGITS_MESSAGE
    problems = [problem for problem in map(_part_problem, [local, *labels]) if problem]
    return problems[0] if problems else None


def validate_email_identity(address: str | None) -> None:
    """Raise a translated ``ValidationError`` if :func:`email_problem` finds one."""
    problem = email_problem(address)
    if problem:
        raise ValidationError(problem, code="look_alike_email")
