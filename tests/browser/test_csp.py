"""The Content Security Policy in a real browser: no page of ours breaks it.

Chromium reports every blocked script, style, font, image or frame on the console
("... violates the following Content Security Policy directive ...") and fires a
``securitypolicyviolation`` event. The public site is crawled from the home page (both
languages), as a visitor and as a signed-in participant, then a few admin pages are
opened as the administrator: none may report a violation. A page full of script
payloads must never open an ``alert`` dialog either.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from participation.people.demo import ADMIN_EMAIL
from tests.participation.factories import SurveyCampaignPageFactory

# Pages a crawl must not follow: they change state or leave the public site.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout", "/documents/", "/api/", "/oauth/", "/i18n/")
MAX_PAGES = 45
PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


class Violations:
    """Collects CSP reports from the console and from securitypolicyviolation events."""

    def __init__(self, page):
        self.messages = []
        self.current = ""
        page.on("console", self.on_console)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'Content Security Policy event: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def summary(self):
        """Each distinct report once, with a page it happened on."""
        return sorted({(text[:200], path) for path, text in self.messages})

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.messages.append((self.current, message.text))


def open_page(browser, live_server_url, user=None):
    """A browser page (CSP enforced, no bypass), signed in as ``user`` if given."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server_url}])
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, Violations(page), dialogs


def crawl(page, violations, base_url, starts):
    """Visit same-site pages breadth-first from ``starts``; return the paths visited."""
    queue, seen = list(starts), set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        violations.current = path
        try:
            page.goto(base_url + path)
        except PlaywrightError as error:  # A download (a PDF report): no page to check.
            if "Download is starting" in str(error):
                continue
            raise
        page.wait_for_load_state("networkidle")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(urljoin(base_url + path, href))
            if parts.netloc != urlsplit(base_url).netloc or parts.path.startswith(SKIPPED_PREFIXES):
                continue
            if parts.path not in seen and not parts.path.endswith(
                (".xlsx", ".pdf", ".ics", ".xml")
            ):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_public_pages_break_no_content_security_policy(seeded_site, browser):
    page, violations, dialogs = open_page(browser, seeded_site.url)
    visited = crawl(page, violations, seeded_site.url, ["/", "/en/", "/calls/", "/search/?q=فرهنگ"])
    assert len(visited) >= 15, visited
    assert violations.messages == [], violations.summary()
    assert dialogs == []


def test_signed_in_pages_and_forms_break_no_content_security_policy(seeded_site, browser):
    participant = get_user_model().objects.filter(is_staff=False, role="faculty").first()
    page, violations, dialogs = open_page(browser, seeded_site.url, participant)
    visited = crawl(
        page, violations, seeded_site.url, ["/dashboard/", "/accounts/profile/", "/calls/"]
    )
    assert len(visited) >= 10, visited
    assert violations.messages == [], violations.summary()
    assert dialogs == []


def test_admin_pages_break_no_content_security_policy(seeded_site, browser):
    from wagtail.models import Page

    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    page, violations, _dialogs = open_page(browser, seeded_site.url, admin)
    survey = Page.objects.type(__import__("pages.models").models.SurveyCampaignPage).first()
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{survey.pk}/edit/",
        f"/admin/survey-reports/{survey.pk}/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/users/",
    ]
    for path in paths:
        violations.current = path
        response = page.goto(seeded_site.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
    assert violations.messages == [], violations.summary()


@pytest.mark.django_db(transaction=True)
def test_script_payloads_never_run(seeded_site, browser):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    survey = SurveyCampaignPageFactory(parent=home, slug="xss-browser", title=PAYLOAD)
    page, violations, dialogs = open_page(browser, seeded_site.url)
    for path in (survey.url, "/search/?q=" + PAYLOAD, "/"):
        violations.current = path
        page.goto(seeded_site.url + path)
        page.wait_for_load_state("networkidle")
    assert dialogs == []
