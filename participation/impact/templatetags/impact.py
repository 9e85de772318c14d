"""``{% call_commitments page as commitments %}``: a call's public commitments, described.

Used by ``participation/impact/includes/call_section.html``, which each call page includes
with one line.
"""

from django import template

from participation.impact import display, hearing

register = template.Library()


@register.simple_tag
def call_commitments(call):
    """The commitments of ``call`` (any language version), with their sources described."""
    call_key = getattr(call, "translation_key", None)
    if call_key is None:
        return []
    return display.with_sources(display.public_commitments().filter(call_key=call_key))


@register.simple_tag
def call_heard(call):
    """The public "did we hear you?" summary of ``call`` (two queries)."""
    call_key = getattr(call, "translation_key", None)
    if call_key is None:
        return None
    return hearing.public_summary(call_key)
