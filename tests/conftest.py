import pytest
from wagtail.models import Locale, Page, Site

from pages.demo_content import ROOT_TITLE
from tests.pages.factories import HomePageFactory

# The browser fixtures, one copy for tests/browser/ and tests/journeys/ (one Playwright per run).
pytest_plugins = ["tests.browser.fixtures"]

# Fixture modules that test modules also import helpers from: rewrite their asserts too.
pytest.register_assert_rewrite(
    "tests.participation.results_fixtures", "tests.participation.report_fixtures"
)


@pytest.fixture
def home_page(db):
    """A published Persian HomePage as the default site's root."""
    locale = Locale.objects.get_or_create(language_code="fa")[0]
    # A transactional test after another one finds the tree's root flushed with the rest.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title=ROOT_TITLE, slug="root", locale=locale)
    )
    home = HomePageFactory(parent=root, slug="home-test")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "هدف"},
    )
    return home
