"""No template syntax reaches a reader: comments are closed on their line (Django's ``{# #}``
is single-line only; a multi-line one is printed as text), and rendered pages contain no
``{#``, ``#}``, ``{%`` or ``{{``."""

import re

import pytest

import participation.surveys.wagtail_hooks  # noqa: F401 - registers the admin report URLs
from tests.helpers import PROJECT_ROOT
from tests.helpers.reports import make_survey as make_report_survey
from tests.helpers.reports import respond as report_respond
from tests.helpers.results import make_survey, respond_many

LEAKS = ("{#", "#}", "{%", "{{")
TEMPLATE_DIRS = [PROJECT_ROOT / "templates", *PROJECT_ROOT.glob("participation/*/templates")]


def unclosed_comments(text):
    """The 1-based numbers of lines where a ``{#`` is not closed on the same line."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(r"\{#", line):
            if "#}" not in line[match.end() :]:
                found.append(number)
                break
    return found


def test_unclosed_comment_check_catches_a_multi_line_comment():
    assert unclosed_comments("{% load i18n %}{# one\n   two #}\n{# fine #}") == [1]


def test_no_template_has_a_multi_line_comment():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}"
        for directory in TEMPLATE_DIRS
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ""}
        for line in unclosed_comments(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use {% comment %} for comments over several lines"


def leaks_in(html):
    return [leak for leak in LEAKS if leak in html]


@pytest.mark.django_db
def test_the_public_results_page_shows_no_template_syntax(client, results_index):
    page = make_survey(results_index)
    respond_many(page, 40)
    response = client.get(page.url + "results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html  # Charts and their tables were rendered.
    assert leaks_in(html) == []


@pytest.mark.django_db
def test_the_survey_page_shows_no_template_syntax(client, results_index):
    page = make_survey(results_index, slug="open-survey")
    response = client.get(page.url)
    assert response.status_code == 200
    assert leaks_in(response.content.decode()) == []


@pytest.mark.django_db
def test_the_admin_report_shows_no_template_syntax(client, home_page):
    from django.urls import reverse

    from tests.pages.factories import CallIndexPageFactory
    from tests.people.factories import EditorFactory

    survey = make_report_survey(CallIndexPageFactory(parent=home_page, slug="report-calls"))
    for likert in (1, 2, 3, 4, 5, 3):
        report_respond(survey, likert=likert)
    client.force_login(EditorFactory(email="report-editor@ministry.test"))
    response = client.get(reverse("hadaf_survey_report:report", args=[survey.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "results-chart" in html
    assert leaks_in(html) == []
