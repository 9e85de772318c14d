"""The people's journeys, end to end in Chromium (issue 17): shared fixtures and checks.

Each journey plays one persona through the UI only — no shortcuts through the ORM except to
read what was stored — and checks at every step what the person sees: Persian text and
digits, no template syntax, no sideways scroll, no serious accessibility violation. A
screenshot of every step lands in ``test-artifacts/journeys/``.
"""

import re

import pytest

from tests.browser.fixtures import ARTIFACTS, run_axe

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TEMPLATE_SYNTAX = ("{#", "#}", "{%", "{{")
LATIN_DIGIT = re.compile(r"[0-9]")


def pytest_collection_modifyitems(items):
    """Journeys drive the browser: marked like tests/browser/ (CI runs them once)."""
    for item in items:
        if "tests/journeys/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


class Journey:
    """Numbered screenshots and the checks every step of a journey makes."""

    def __init__(self, name):
        self.name = name
        self.step = 0
        self.folder = ARTIFACTS / "journeys" / name
        self.folder.mkdir(parents=True, exist_ok=True)

    def see(self, page, label, *, axe=True, persian=True):
        """Screenshot the page and check what the person sees; returns the page's text."""
        self.step += 1
        page.wait_for_load_state("load")
        page.screenshot(path=str(self.folder / f"{self.step:02d}-{label}.png"), full_page=True)
        html = page.content()
        text = page.inner_text("body")
        for syntax in TEMPLATE_SYNTAX:
            assert syntax not in text, f"{label}: template syntax {syntax!r} shown"
        width = page.evaluate("window.innerWidth")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{label}: sideways scroll ({scroll} > {width})"
        if persian:
            assert 'lang="fa"' in html and 'dir="rtl"' in html, f"{label}: not Persian RTL"
        if axe:
            assert run_axe(page) == [], f"{label}: serious accessibility violations"
        return text


def go(page, url):
    """Open ``url`` and wait until the page is quiet."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def click(locator):
    """Click something that navigates, and wait until the new page is quiet."""
    with locator.page.expect_navigation():
        locator.click()
    locator.page.wait_for_load_state("networkidle")


@pytest.fixture
def journey(request):
    """A :class:`Journey` named after the test."""
    return Journey(request.node.name.removeprefix("test_"))
