"""Layout on a 375 px phone: wide results tables scroll in a focusable region, the 0–10
options sit in even rows, a breadcrumb's separator stays with its item."""

import pytest
from django.test import Client

from tests.helpers.results import make_survey, respond_many
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import UserFactory

PHONE = 375
LONG_TITLE = "نظرسنجی دربارهٔ برنامه‌های فرهنگی، هنری و اجتماعی دانشگاه‌های سراسر کشور در سال"


@pytest.fixture
def survey_site(transactional_db, live_server, home_page):
    index = CallIndexPageFactory(parent=home_page, slug="layout-calls")
    page = make_survey(index, slug="layout-survey")
    # A long title, so the breadcrumb's last item has to wrap on a phone.
    type(page).objects.filter(pk=page.pk).update(title=LONG_TITLE, draft_title=LONG_TITLE)
    page.refresh_from_db()
    respond_many(page, 40)
    return live_server, page


def sign_in(page, live_server):
    client = Client()
    client.force_login(UserFactory(email="phone@ut.ac.ir", role="student"))
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_wide_results_tables_scroll_in_a_focusable_region(survey_site, make_page):
    live_server, survey = survey_site
    page, _ = make_page(width=PHONE)
    page.goto(live_server.url + survey.url + "results/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1
    regions = page.locator(".results-table")
    assert regions.count() > 0
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.results-table')]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => ({role: box.getAttribute('role'), tab: box.tabIndex,
                          label: box.getAttribute('aria-label'),
                          overflow: getComputedStyle(box).overflowX}))"""
    )
    assert wide, "a matrix table is wider than the phone"
    for box in wide:
        assert box["role"] == "region" and box["tab"] == 0 and box["label"]
        assert box["overflow"] == "auto"
    # The keyboard reaches the table and scrolls it.
    first_wide = page.locator(".results-table").filter(has=page.locator("table")).nth(0)
    first_wide.focus()
    assert page.evaluate("document.activeElement.classList.contains('results-table')")
    # Numbered lists count «۱.», «۲.» on Persian pages (the comparison page's proposals).
    marker = page.evaluate(
        """() => { const list = document.createElement('ol');
            document.querySelector('main').append(list);
            return getComputedStyle(list).listStyleType; }"""
    )
    assert marker == "persian"


def test_zero_to_ten_options_lie_in_even_rows_and_breadcrumbs_keep_their_separator(
    survey_site, make_page
):
    live_server, survey = survey_site
    page, _ = make_page(width=PHONE)
    sign_in(page, live_server)
    page.goto(live_server.url + survey.url)
    page.wait_for_load_state("networkidle")
    rows = page.evaluate(
        """() => {
            const tops = {};
            document.querySelectorAll('.survey-options--rating .survey-option').forEach(option => {
                const top = Math.round(option.getBoundingClientRect().top);
                tops[top] = (tops[top] || 0) + 1;
            });
            return Object.keys(tops).map(Number).sort((a, b) => a - b).map(top => tops[top]);
        }"""
    )
    assert rows == [6, 5]
    # A separator never sits alone on a line: each item's link starts on its first line.
    apart = page.evaluate(
        """() => [...document.querySelectorAll('.breadcrumbs li + li')].filter(item => {
            const link = item.querySelector('a');
            return link.getBoundingClientRect().top - item.getBoundingClientRect().top > 4;
        }).length"""
    )
    assert apart == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1
