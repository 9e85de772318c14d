"""Slugs of Persian titles: the half space (ZWNJ, U+200C) becomes a hyphen.

«نظرسنجی‌ دانشجویی» or «پیش‌نویس آیین‌نامه» are written with a zero-width non-joiner between
the parts of a word. Wagtail's slug script drops it (giving the unreadable «پیشنویس»), and
Django's ``validate_unicode_slug`` refuses a slug typed or pasted with it. Both sides here
apply one rule, :data:`SLUG_FORMATTERS`: the ZWNJ, with any spaces or hyphens beside it,
becomes one hyphen (a word boundary in an address, and what a reader types), and the other
invisible format characters pasted with Persian text (zero-width space and joiner, direction
marks, BOM) are removed. In the editor, Wagtail's slug controller runs the same
replacements before it slugifies; on the server, :class:`SlugFormField` runs them before
validating, so a slug that still carries a ZWNJ (typed with JavaScript off, or posted by a
script) is stored as the editor would have seen it. Registered for every model ``SlugField``
in the admin by :func:`register_admin_slug_fields`.
"""

import re

from django import forms
from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput

ZWNJ = "\u200c"
# (pattern, replacement), applied in order; Wagtail's SlugInput takes the same list for the
# browser (as JavaScript regular expressions with the "gu" flags).
SLUG_FORMATTERS = [
    # With the spaces or hyphens beside it (a half space typed next to a space is common).
    (re.compile(r"[-\s]*" + ZWNJ + r"[-\s]*"), "-"),
    (re.compile("[\u200b\u200d\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u00ad]"), ""),
]


def format_slug_text(text):
    """Apply :data:`SLUG_FORMATTERS` to ``text``: «پیش‌نویس» gives «پیش-نویس»."""
    for pattern, replacement in SLUG_FORMATTERS:
        text = pattern.sub(replacement, text)
    return text


class PersianSlugInput(SlugInput):
    """Wagtail's slug input, with the ZWNJ rule in the browser's slugify."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs=attrs, formatters=formatters or SLUG_FORMATTERS, locale=locale)


class SlugFormField(forms.SlugField):
    """A slug field that applies the ZWNJ rule before validating."""

    widget = PersianSlugInput

    def to_python(self, value):
        return format_slug_text(super().to_python(value))


def register_admin_slug_fields():
    """Give every model ``SlugField`` in the admin the ZWNJ rule, in the form and its input.

    Replaces Wagtail's own registration (same key); called once from an app's ``ready``.
    """
    register_form_field_override(
        models.SlugField, override={"form_class": SlugFormField, "widget": PersianSlugInput}
    )
