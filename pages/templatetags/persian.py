"""Template filters for numbers, digits, Jalali dates and deadlines in the active language.

``{% load persian %}`` then ``{{ count|persian_number }}``, ``{{ page.first_published_at|
jalali_date }}``, ``{{ campaign.closes_at|deadline }}``. Empty values give an empty string.
"""

from django import template
from django.utils.translation import get_language

from pages import persian

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
