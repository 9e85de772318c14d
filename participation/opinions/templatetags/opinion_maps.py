"""``{% published_opinion_map call as opinion_map %}``: the call's published map, or None.

Used by ``participation/opinions/map.html``, which any page of the call includes with one
line (the statements block does; a survey or draft page without one includes it itself,
``has_statements_block``); only a published snapshot is ever read.
"""

from django import template

from participation.opinions import display, maps, services

register = template.Library()


@register.simple_tag
def published_opinion_map(call):
    """The :class:`~participation.opinions.display.MapView` of ``call``'s published map."""
    call_key = getattr(call, "call_key", None)
    if call_key is None:
        return None
    snapshot = maps.published(call_key)
    return display.map_view(snapshot) if snapshot else None


@register.filter
def has_statements_block(call):
    """Whether ``call``'s body has a statements block (which shows the map under it)."""
    return services.statements_block(call) is not None


@register.filter
def bar_class(percent):
    """The ``bar-width-N`` class of a percentage (static/css/bars.css)."""
    try:
        return f"bar-width-{max(0, min(100, int(percent)))}"
    except (TypeError, ValueError):
        return "bar-width-0"
