"""Site navigation for base.html: menu, breadcrumbs and the language switcher.

Usage::

    {% load navigation %}
    {% site_navigation as nav %}
    {{ nav.home_url }} {% for item in nav.menu %}…{% endfor %}
"""

from django import template

from pages import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The current locale's home URL, menu items, breadcrumbs and language links."""
    request = context.get("request")
    if request is None:
        return navigation.Navigation()
    return navigation.build(request, context.get("page"))
