"""The public results page: who sees it, what it shows, suppression, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.choices import ResultsVisibility
from tests.helpers.results import make_survey, respond, respond_many
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def results_url(page):
    return page.url + "results/"


def test_published_results_show_counts_charts_and_tables_in_persian(client, results_survey):
    for _ in range(7):
        respond(results_survey, status=0, role="student")
    for status in (1, 1, 1, 2, 2):
        respond(results_survey, status=status, role="faculty")
    response = client.get(results_url(results_survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "participation/survey_results.html" in [t.name for t in response.templates]
    assert "۱۲" in html  # Twelve responses, in Persian digits.
    assert "۱۰۰٪ (۱۲)" in html  # All twelve answered 4 to "good".
    assert 'role="img"' in html and "<caption>" in html and 'scope="row"' in html
    assert "bar-width-100" in html  # 100 %, as a class: no style attribute (CSP)
    assert "فیزیک" not in html  # Texts are never part of results.
    # Three and two are groups too small to show: neither number nor percentage appears,
    # nor the 7 beside them, which would tell that the two hidden add up to 5.
    assert response.context["results"].any_suppressed
    assert "(۳)" not in html and "(۲)" not in html and "۲۵٪" not in html
    assert "۵۸٪ (۷)" not in html
    assert "پنهان" in html


def test_unpublished_results_show_a_notice_and_no_numbers(client, results_index):
    page = make_survey(results_index, results_published=False)
    for _ in range(6):
        respond(page, status=0)
    response = client.get(results_url(page))
    assert response.status_code == 200
    assert response.context["not_public_yet"]
    assert "sections" not in response.context
    assert "۶" not in response.content.decode().split('id="main"', 1)[1]


def test_the_survey_page_links_to_its_results_exactly_when_they_are_public(client, results_index):
    """The survey page and its results page ask one rule: a link never leads to "not
    published yet", and public results are never left unlinked (issue 18: a live
    survey not open yet linked to a results page that said "not public yet")."""
    now = timezone.now()
    cases = [
        # (visibility, published, opens_at): whether the results are public
        (ResultsVisibility.LIVE, False, now + datetime.timedelta(days=2), False),
        (ResultsVisibility.LIVE, False, now - datetime.timedelta(days=2), True),
        (ResultsVisibility.LIVE, True, now + datetime.timedelta(days=2), True),
        (ResultsVisibility.WHEN_PUBLISHED, False, now - datetime.timedelta(days=2), False),
        (ResultsVisibility.WHEN_PUBLISHED, True, now - datetime.timedelta(days=2), True),
    ]
    for number, (visibility, published, opens_at, public) in enumerate(cases):
        page = make_survey(
            results_index,
            slug=f"agree-{number}",
            results_visibility=visibility,
            results_published=published,
            opens_at=opens_at,
        )
        linked = f'href="{results_url(page)}"' in client.get(page.url).content.decode()
        results = client.get(results_url(page))
        assert results.status_code == 200
        not_public = bool(results.context.get("not_public_yet"))
        assert (linked, not_public) == (public, not public), (visibility, published, opens_at)


def test_results_never_public_are_not_found(client, results_index):
    page = make_survey(results_index, results_visibility=ResultsVisibility.NEVER)
    assert client.get(results_url(page)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(results_url(page)).status_code == 404


def test_editors_see_every_number_even_before_publication(client, results_index, results_editor):
    page = make_survey(results_index, results_published=False)
    for _ in range(3):
        respond(page, status=0)
    client.force_login(results_editor)
    response = client.get(results_url(page))
    assert response.status_code == 200
    assert response.context["is_editor"] and not response.context["public_view"]
    assert response.context["results"].responses == 3
    assert not response.context["results"].withheld

    public = client.get(results_url(page) + "?as=public")
    assert public.context["public_view"] and public.context["results"].withheld


def test_too_few_responses_are_withheld_from_the_public(client, results_survey):
    for _ in range(4):
        respond(results_survey)
    response = client.get(results_url(results_survey))
    assert response.status_code == 200
    assert response.context["results"].withheld
    assert response.context["sections"] == []


def count_queries(client, url):
    client.get(url)  # A batch of new responses: this one takes the public snapshot again.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    # Results come from one read of the tallies (the public's snapshot, with the live change
    # counter beside it), never from submissions or answers.
    assert sum("submissions_answertally" in statement for statement in sql) == 1
    assert not any('"submissions_answer"' in s or "submissions_submission" in s for s in sql)
    return len(sql)


@pytest.mark.parametrize("as_editor", [False, True])
def test_query_count_does_not_grow_with_responses(
    client,
    results_survey,
    results_editor,
    as_editor,
):
    if as_editor:
        client.force_login(results_editor)
    url = results_url(results_survey)
    universities = ("", "دانشگاه تهران", "دانشگاه شیراز")
    respond_many(results_survey, 10, seed=1, universities=universities)
    client.get(url)  # Warm per-process caches (site root paths, content types).
    with_10 = count_queries(client, url)
    respond_many(results_survey, 190, seed=2, universities=universities)
    with_200 = count_queries(client, url)
    assert with_10 == with_200
    # Most are Wagtail's routing, session and navigation; results add the tally read and,
    # for editors, the page-permission check.
    assert with_200 <= 20
