"""Public aggregate results of a survey campaign."""

from django.template.response import TemplateResponse


def survey_results(request, page):
    """The survey's public aggregate results (editors always see them)."""
    return TemplateResponse(request, page.get_template(request), page.get_context(request))
