"""Public pages of idea calls: the call, writing and submitting, co-authors, gallery, festival."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def check_page_settings(page):
    """Editor mistakes the page editor refuses, with a message on the field."""
    errors = {}
    if not page.accepts_ideas and not page.accepts_experiences:
        errors["accepts_ideas"] = _("Accept new ideas, completed experiences, or both.")
    if errors:
        raise ValidationError(errors)


def call_page(request, page):
    raise NotImplementedError


def new_idea(request, page):
    raise NotImplementedError


def gallery(request, page):
    raise NotImplementedError


def festival_page(request, page, year):
    raise NotImplementedError


def my_ideas(request):
    raise NotImplementedError


def invitation(request, token):
    raise NotImplementedError


def idea_detail(request, idea_uuid):
    raise NotImplementedError


def edit_idea(request, idea_uuid):
    raise NotImplementedError


def submit_idea(request, idea_uuid):
    raise NotImplementedError


def coauthors(request, idea_uuid):
    raise NotImplementedError
