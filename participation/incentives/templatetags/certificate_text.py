"""Text filters for the printed certificates."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


@register.filter(needs_autoescape=True)
def keep_last_words(value, autoescape=True):
    """Join the last two words with a no-break space, so a line never ends with one short
    word alone on the next («… بررسی کنید:» does not leave «کنید:» by itself)."""
    text = " ".join(str(value).split())
    head, _space, tail = text.rpartition(" ")
    escape = conditional_escape if autoescape else str
    if not head:
        return escape(text)
    return mark_safe(f"{escape(head)}{NO_BREAK_SPACE}{escape(tail)}")  # noqa: S308 - escaped
