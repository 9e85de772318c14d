"""Numbers in the Wagtail admin in the editor's digits: «۲ دقیقه پیش», «صفحه ۱ از ۳».

Wagtail writes its numbers through a few template helpers of ``wagtailadmin_tags``:
``intcomma`` (page counts, "Page 1 of 3", page numbers, usage counts, the dashboard's
summary, confirmation dialogs), ``naturaltime`` (the workflow status),
``timesince_simple`` (every "2 minutes ago" in listings) and ``timesince_last_update``
(the status side panel). Their output is Latin digits in every language, since Django
formats numbers with ``%d``. Here each helper (for the two ``timesince`` ones, the
``timesince`` function they call) is wrapped once, at start-up, so that its output has
Persian digits while the admin speaks Persian; in English nothing changes. The
paginator's "6 pages" label is the one number written in Python
(``WagtailPaginator.items_count_label``); the pagination template
(templates/wagtailadmin/shared/pagination_nav.html) writes it in Persian («۶ صفحه»).

Wagtail shortens "3 days, 2 hours" to "3 days" by splitting at a Latin comma, but Django's
Persian catalogue joins the parts with «،», so the Persian admin said «۳ روز،۲ ساعت پیش»
where English says "3 days ago". The ``timesince`` these helpers call gives Wagtail the
Latin comma to split at.

Numbers drawn in the browser (the rich text editor's character count, the sidebar's
badges, the values of number fields such as a question's maximum length) are localised by
static/js/admin-persian-digits.js.
"""

import functools

from wagtail.admin.templatetags import wagtailadmin_tags

from participation.persian import format_number, is_persian, to_persian_digits

PERSIAN_COMMA = "،"
# Stands for the user's name while the rest of the sentence gets Persian digits.
_NAME_PLACEHOLDER = "\ufffc"


def _persian_number(value, text):
    """``value`` written as a Persian number, or the digits of ``text`` if it is none."""
    try:
        return format_number(value)
    except (TypeError, ValueError):
        return to_persian_digits(text)


def _wrap_timesince(original):
    @functools.wraps(original)
    def localized(*args, **kwargs):
        text = original(*args, **kwargs)
        if not is_persian():
            return text
        return to_persian_digits(text).replace(PERSIAN_COMMA, ",")

    return localized


def _wrap_number_filter(original):
    @functools.wraps(original)
    def localized(value, *args):
        text = original(value, *args)
        return _persian_number(value, text) if is_persian() else text

    return localized


def _wrap_text_filter(original):
    @functools.wraps(original)
    def localized(value, *args):
        text = original(value, *args)
        return to_persian_digits(text) if is_persian() and text else text

    return localized


def _wrap_last_update(original):
    @functools.wraps(original)
    def localized(last_update, show_time_prefix=False, user_display_name="", use_shorthand=True):
        if not is_persian():
            return original(last_update, show_time_prefix, user_display_name, use_shorthand)
        # A name keeps its own digits ("respondent-001"): only Wagtail's words get Persian ones.
        text = original(
            last_update,
            show_time_prefix,
            _NAME_PLACEHOLDER if user_display_name else "",
            use_shorthand,
        )
        return to_persian_digits(text).replace(_NAME_PLACEHOLDER, str(user_display_name))

    return localized


def localize_admin_numbers():
    """Wrap Wagtail's admin number helpers to write Persian digits in the Persian admin.

    Called once from ``PagesConfig.ready``, before any admin template is compiled (a
    template copies its filters when it is parsed).
    """
    library = wagtailadmin_tags.register
    if getattr(library, "_hadaf_persian_digits", False):
        return
    wagtailadmin_tags.timesince = _wrap_timesince(wagtailadmin_tags.timesince)
    library.filters["intcomma"] = _wrap_number_filter(library.filters["intcomma"])
    # Also called directly, by the workflow status ("Changes requested 3 days ago").
    wagtailadmin_tags.naturaltime = _wrap_text_filter(wagtailadmin_tags.naturaltime)
    library.filters["naturaltime"] = wagtailadmin_tags.naturaltime
    library.simple_tag(
        _wrap_last_update(wagtailadmin_tags.timesince_last_update), name="timesince_last_update"
    )
    library._hadaf_persian_digits = True
