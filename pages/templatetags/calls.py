"""Labels for call kinds and states: ``{% load calls %}{{ call.call_kind|call_kind_label }}``."""

from django import template

from participation.choices import CallKind, CallState

register = template.Library()


@register.filter
def call_kind_label(value):
    """The translated name of a call kind; unknown values are shown as they are."""
    return CallKind(value).label if value in CallKind.values else value


@register.filter
def call_state_label(value):
    """The translated name of a call state; unknown values are shown as they are."""
    return CallState(value).label if value in CallState.values else value
