"""A participant's own pages in a real browser, on a phone: the dashboard (with a winning
idea, its award and notifications), registering an organization, and the privacy page.

Screenshots are saved under test-artifacts/screenshots/.
"""

import pytest

from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from participation.organizations.models import OrganizationProfile
from participation.people.models import Organization
from tests.browser.fixtures import run_axe, save_screenshot
from tests.browser.test_draft_pages import PHONE, fits_the_screen, open_at, sign_in
from tests.pages.factories import CallIndexPageFactory
from tests.participation.ideas.factories import add_idea_call, submitted_idea
from tests.people.factories import EditorFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def participant_site(transactional_db, live_server, home_page):
    university = UniversityFactory(name="دانشگاه تهران", email_domains="ut.ac.ir")
    person = UserFactory(
        first_name="مریم", last_name="احمدی", role="faculty", university=university
    )
    calls = CallIndexPageFactory(parent=home_page)
    call = add_idea_call(calls)
    editor = EditorFactory()
    idea = submitted_idea(call, person, title="پادکست تاریخ شفاهی دانشگاه")
    for step in (IdeaStatus.IN_REVIEW, IdeaStatus.SHORTLISTED, IdeaStatus.WINNER):
        workflow.move(idea, step, actor=editor)
    return live_server, person, university


def check_the_page(browser_page, name):
    assert browser_page.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, f"{name}-390")


def test_dashboard_organization_and_privacy_pages_on_a_phone(participant_site, make_page):
    live_server, person, university = participant_site
    browser_page, outside = make_page(**PHONE)
    sign_in(browser_page, live_server, person)

    open_at(browser_page, live_server.url + "/dashboard/")
    main = browser_page.locator("main")
    text = main.inner_text()
    assert "پادکست تاریخ شفاهی دانشگاه" in text and "برگزیده" in text  # its status: winner
    # The workflow steps arrived as notifications; the header counts the unread ones.
    assert browser_page.locator(".account-menu .dashboard__badge").is_visible()
    check_the_page(browser_page, "dashboard")

    open_at(browser_page, live_server.url + "/organizations/register/")
    browser_page.locator('input[name="name"]').fill("انجمن علمی تاريخ")  # Arabic ي
    browser_page.locator('input[name="kind"][value="student_association"]').check()
    browser_page.locator('textarea[name="description"]').fill("انجمن دانشجویان رشته تاریخ.")
    browser_page.locator('select[name="university"]').select_option(str(university.pk))
    check_the_page(browser_page, "organization-register")
    browser_page.locator("main form button[type=submit]").last.click()
    browser_page.wait_for_load_state("networkidle")
    organization = Organization.objects.get()
    assert organization.name == "انجمن علمی تاریخ" and organization.verified_at is None
    assert OrganizationProfile.objects.filter(organization=organization).exists()
    check_the_page(browser_page, "organization-detail")

    open_at(browser_page, live_server.url + "/privacy/")
    assert browser_page.locator("main form").count() >= 1
    check_the_page(browser_page, "privacy")
    assert outside.urls == []
