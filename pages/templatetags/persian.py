"""Template filters for numbers, digits, Jalali dates and deadlines in the active language.

``{% load persian %}`` then ``{{ count|persian_number }}``, ``{{ page.first_published_at|
jalali_date }}``, ``{{ campaign.closes_at|deadline }}``. Empty values give an empty string.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

from participation import persian

register = template.Library()


@register.filter(is_safe=True)
def persian_number(value):
    """Group thousands and localise digits; text that is not a number only gets its digits."""
    if value is None or value == "":
        return ""
    try:
        return persian.format_number(value, get_language())
    except (TypeError, ValueError):
        return persian.localize_digits(value, get_language())


@register.filter(is_safe=True)
def localized_digits(value):
    """Write the digits of any text the way the active language reads them."""
    if value is None:
        return ""
    return persian.localize_digits(value, get_language())


@register.filter
def lang_attrs(value):
    """` lang="fa" dir="rtl"` for text written in another language than the page's, else "".

    For words the reader's page shows as they were written (an editor's reason, a call's
    title that has no translation): ``<p{{ reason|lang_attrs }}>{{ reason }}</p>``.
    """
    language = persian.written_language(value)
    page_language = "fa" if persian.is_persian() else "en"
    if language is None or language == page_language:
        return ""
    return format_html(' lang="{}" dir="{}"', language, "rtl" if language == "fa" else "ltr")


@register.filter
def own_language(value):
    """``value`` escaped, in a ``<span lang dir>`` when written in another language than the
    page's (see :func:`lang_attrs`): ``{% blocktranslate with name=name|own_language %}``."""
    attributes = lang_attrs(value)
    if not attributes:
        return conditional_escape(value)
    return format_html("<span{}>{}</span>", attributes, value)


@register.filter
def jalali_date(value):
    """A date in the active language's calendar: "۳ آذر ۱۴۰۵" or "24 November 2026"."""
    if not value:
        return ""
    return persian.format_date(value, get_language())


@register.filter
def jalali_datetime(value):
    """A date and local time in the active language's calendar: "۳ آذر ۱۴۰۵، ۱۴:۳۰"."""
    if not value:
        return ""
    return persian.format_date(value, get_language(), with_time=True)


@register.filter
def deadline(value):
    """Time left before a deadline: "۳ روز مانده", "پایان یافته"."""
    if not value:
        return ""
    return persian.relative_deadline(value, language=get_language())
