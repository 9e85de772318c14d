"""``{{ number|phone_number }}``: a stored ``+989…`` as people write it, in the page's digits."""

from django import template

from participation.persian import localize_digits
from participation.phones import canonical_phone_or_none, national_phone

register = template.Library()


# Left-to-right isolate: in a Persian sentence the digit groups would otherwise be laid out
# right to left (۶۷۸۹ ۳۴۵ ۰۹۱۲); plain text (messages) has no <bdi> to do it.
LRI, PDI = "\u2066", "\u2069"


@register.filter
def phone_number(value):
    """``+989123456789`` → ``۰۹۱۲ ۳۴۵ ۶۷۸۹`` on Persian pages, ``0912 345 6789`` in English,
    isolated left to right."""
    canonical = canonical_phone_or_none(value or "")
    if canonical is None:
        return value or ""
    return f"{LRI}{localize_digits(national_phone(canonical))}{PDI}"
