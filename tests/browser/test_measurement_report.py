"""The measurement report in Chromium on a 375 px phone, right to left: nothing wider than
the screen (wide tables scroll in focusable regions), Persian digits, no serious axe
violation in the report itself.

The server side: tests/participation/measurement/test_admin.py.
"""

import re

import pytest
from django.urls import reverse

from participation.measurement import importing
from participation.measurement.models import PopulationFrame, SurveyMeasurement
from tests.browser.fixtures import run_axe, save_screenshot
from tests.browser.test_admin_persian import signed_in, superuser
from tests.helpers.reports import make_survey, respond
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import university_named

pytestmark = pytest.mark.browser

PHONE = 375
TEHRAN, SHIRAZ = "دانشگاه تهران", "دانشگاه شیراز"


@pytest.fixture
def measured_survey(transactional_db, live_server, home_page):
    index = CallIndexPageFactory(parent=home_page, slug="measured-calls")
    survey = make_survey(index, slug="measured-survey")
    for university, role, count in ((TEHRAN, "student", 6), (SHIRAZ, "student", 5)):
        for _ in range(count):
            respond(survey, role=role, university=university)
    respond(survey, role="faculty", university=TEHRAN)
    university_named(TEHRAN)
    university_named(SHIRAZ)
    frame = PopulationFrame.objects.create(name="دانشجویان و استادان دانشگاه‌های وزارت علوم")
    lines = [
        f"{TEHRAN},student,female,bachelor,3000",
        f"{TEHRAN},faculty,male,,400",
        f"{SHIRAZ},student,male,master,2500",
    ]
    data = ("university,role,gender,degree_level,count\n" + "\n".join(lines) + "\n").encode()
    importing.import_version(frame, reference_year=1404, name="frame.csv", data=data)
    SurveyMeasurement.objects.create(
        call_key=survey.call_key, frame=frame, dimensions=["university", "role"], trim_cap=5
    )
    return live_server, survey


def test_the_report_fits_a_phone_in_persian(measured_survey, make_page):
    live_server, survey = measured_survey
    page, outside = signed_in(make_page, live_server, superuser(), width=PHONE)
    page.goto(live_server.url + reverse("hadaf_measurement:report", args=[survey.pk]))
    page.wait_for_load_state("networkidle")
    save_screenshot(page, "measurement-report-375")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1
    # Form fields stay on the screen, even the frame's long name in its select.
    outside_screen = page.evaluate(
        """(width) => [...document.querySelectorAll('.hadaf-report select, .hadaf-report input')]
            .map(field => [field.tagName, field.type, field.getBoundingClientRect()])
            .filter(([t, y, box]) => box.width && (box.left < -1 || box.right > width + 1))
            .map(([t, y, box]) => `${t} ${y} ${box.left} ${box.right}`)""",
        PHONE,
    )
    assert outside_screen == []
    report = page.locator(".hadaf-report")
    text = report.inner_text()
    assert "شاخص R" in text and "کمتر از ۵" in text
    assert not re.search(r"[0-9]", page.locator("#r-indicator").inner_text())
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.hadaf-report .results-table')]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => ({role: box.getAttribute('role'), tab: box.tabIndex,
                          label: box.getAttribute('aria-label')}))"""
    )
    for box in wide:
        assert box["role"] == "region" and box["tab"] == 0 and box["label"]
    violations = [
        violation
        for violation in run_axe(page)
        if any("hadaf-report" in " ".join(map(str, node)) for node in violation["nodes"])
    ]
    assert violations == []
    assert outside.urls == []
