"""Small filters for the public idea pages."""

from django import template

from participation.ideas.choices import IdeaKind

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or "" (e.g. a theme's name by its id)."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def idea_kind_label(value):
    return IdeaKind(value).label if value in IdeaKind.values else ""
