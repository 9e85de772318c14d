"""Participant-facing views of a survey campaign: the embedded form."""

from django.template.response import TemplateResponse


def participate(request, page):
    """Show the survey page with its form, or store a response."""
    return TemplateResponse(request, page.get_template(request), page.get_context(request))
