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
uses to compare identifiers) of the whole address; an internationalized domain is also
written as its IDNA A-label (``xn--…``), so the Unicode and ASCII spellings of one domain
are one address. Plain ASCII addresses are simply lower-cased, as they were before.

Canonical folding makes ``ſ``, the Kelvin sign and fullwidth letters equal to the ASCII
letters they look like, but some look-alikes are different letters in every form (the
dotless ``ı``, Cyrillic ``а``/``е``/``о`` in a Latin address). Those are refused where a
new address enters the system (:func:`email_problem`, at sign-up, email change, invitations
and the admin), so nobody can own a second identity that looks like someone else's.
"""

import unicodedata

import idna
from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOOK_ALIKE_MESSAGE = _(
    "This email address mixes alphabets or has characters that look like other letters. "
    "Type it with plain Latin letters and digits."
)
INVISIBLE_MESSAGE = _("This email address has invisible or control characters. Type it again.")
# Letters, digits and the punctuation of addresses: anything else (format characters such
# as the zero-width joiner, controls, spaces, private use) has no business in an address.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def casefold(text):
    """NFKC case fold: NFKC, full case folding, NFKC again (folding can un-normalize)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def canonical_domain(domain):
    """The folded domain; if internationalized, its IDNA A-label (``xn--…``).

    A domain IDNA refuses is kept as it is: it cannot receive mail, but it must still
    compare equal to itself.
    """
    domain = casefold(domain)
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return domain


def canonical_email(address):
    """The form an email address is compared and stored unique in (see the module doc).

    ``canonical_email(" Editor@HADAF.teſt ") == "editor@hadaf.test"``. Applying it twice
    changes nothing more (folding comes before trimming: NFKC turns some characters
    into a space and a combining mark).
    """
    address = casefold(address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local}@{canonical_domain(domain)}"


def _scripts(text):
    """The Unicode scripts of ``text``'s characters, leaving out Common and Inherited."""
    return categories.unique_aliases(text) - {"COMMON", "INHERITED"}


def _part_problem(part):
    """Why one part (the local part or a domain label) is a look-alike, or ``None``.

    The rule: ASCII is always fine. A part with other characters must be written wholly
    in one script other than Latin (Persian, Cyrillic, …), without Latin letters mixed in,
    and not only of letters that look like Latin ones (Cyrillic ``аре`` reads as ``ape``).
    Non-ASCII Latin letters are refused outright: few addresses need them, and they hold
    the worst look-alikes (``ı``, ``ɑ``, ``ḿ``).
    """
    if part.isascii():
        return None
    scripts = _scripts(part)
    if "LATIN" in scripts or len(scripts) != 1:
        return LOOK_ALIKE_MESSAGE
    letters = [char for char in part if char.isalpha()]
    if letters and all(map(_looks_ascii, letters)):
        return LOOK_ALIKE_MESSAGE
    return None


def _looks_ascii(char):
    """Whether Unicode's confusables list ``char`` as looking like an ASCII character."""
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin", "common"])
    return any(glyph["c"].isascii() for entry in found or [] for glyph in entry["homoglyphs"])


def email_problem(address):
    """Why ``address`` cannot be a new account's or an invitation's address, or ``None``.

    Refused: invisible or control characters; characters that NFKC changes (fullwidth
    letters, the Kelvin sign, ``ſ``, ligatures: each looks like another address's letters);
    a local part or domain label that mixes scripts, has non-ASCII Latin letters or is
    made only of look-alikes of ASCII letters; non-ASCII parts in two different scripts.
    Plain ASCII addresses always pass. The address's syntax is the email field's job.
    """
    address = (address or "").strip()
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in address):
        return INVISIBLE_MESSAGE
    if address.isascii():
        return None
    if unicodedata.normalize("NFKC", address) != address:
        return LOOK_ALIKE_MESSAGE
    local, _at, domain = address.rpartition("@")
    parts = [local, *domain.split(".")]
    problems = [problem for problem in map(_part_problem, parts) if problem]
    if problems:
        return problems[0]
    # An ASCII part beside a Persian one is fine; two non-Latin scripts in one address are not.
    if len(set().union(*(_scripts(part) for part in parts if not part.isascii()))) > 1:
        return LOOK_ALIKE_MESSAGE
    return None


def validate_email_identity(address):
    """Raise a translated ``ValidationError`` if :func:`email_problem` finds one."""
    problem = email_problem(address)
    if problem:
        raise ValidationError(problem, code="look_alike_email")
