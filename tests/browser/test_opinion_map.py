"""The published opinion map on a 375 px phone: regions and tables fit, right to left, axe-clean.

A screenshot is saved under test-artifacts/screenshots/ for a person to look at.
"""

import pytest
from django.urls import reverse

from participation.opinions import maps
from participation.opinions.models import Statement
from tests.browser.fixtures import run_axe, save_screenshot
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.opinions.factories import SEEDS
from tests.participation.opinions.maps_data import plant
from tests.people.factories import EditorFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_the_published_opinion_map_reads_on_a_phone(
    transactional_db, live_server, home_page, make_page
):
    survey = SurveyCampaignPageFactory(parent=CallIndexPageFactory(parent=home_page))
    statements = [
        Statement.objects.create(call_key=survey.call_key, text=text, seeded_by_editor=True)
        for text in SEEDS
    ]
    plant(statements, {"a": 9, "b": 7})
    maps.publish(EditorFactory(), survey, maps.recompute(survey.call_key))
    page, outside = make_page(**PHONE)

    page.goto(live_server.url + reverse("opinions:map", args=[survey.call_key]))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    svg = page.locator("svg.opinion-map__svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert 200 <= box["width"] <= PHONE["width"]
    assert page.locator("svg.opinion-map__svg ellipse").count() == 2
    assert page.locator("svg.opinion-map__svg circle").count() == 0
    # The regions are labelled in the drawing and listed in the table beside it.
    labels = page.locator("svg.opinion-map__svg text.opinion-map__label").all_text_contents()
    assert labels == ["گروه ۱", "گروه ۲"]
    rows = page.locator("table.opinion-map__table tbody tr").all_inner_texts()
    assert "۹" in rows[0] and "۷" in rows[1]
    assert page.get_by_role("heading", name="نظر هر گروه").is_visible()
    assert page.get_by_role("heading", name="آنچه تقریباً همه در آن هم‌نظرند").is_visible()
    save_screenshot(page, "opinion-map-phone")
    assert run_axe(page) == []
    assert outside.urls == []
