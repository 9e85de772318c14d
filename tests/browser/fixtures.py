"""Real-browser fixtures: Playwright driving Debian's Chromium against the live test server.

One module for tests/browser/ and tests/journeys/, loaded once from tests/conftest.py: a
second copy of the session-wide ``browser`` fixture would start a second Playwright in the
same thread, which Playwright refuses.

Playwright cannot download its own browsers here; `make system-deps` installs
Debian's `chromium`, and we point Playwright at it.
"""

import os
import shutil
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from tests.helpers import PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
AXE_SCRIPT = PROJECT_ROOT / "node_modules/axe-core/axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Chromium flags that keep the headless browser from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test code's own
    # database calls are still synchronous and safe. Only for the browser tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch_chromium()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch_chromium():
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: run `make system-deps` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OutsideRequests:
    """Records every request the page makes to a host other than this machine."""

    def __init__(self):
        self.urls = []

    def __call__(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.urls.append(request.url)


@pytest.fixture
def make_page(browser):
    """Open a browser page at a given width; yields (page, outside_requests)."""
    contexts = []

    def open_page(width=1280, height=900, locale="fa-IR"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        outside = OutsideRequests()
        page.on("request", outside)
        return page, outside

    yield open_page
    for context in contexts:
        context.close()


def save_screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page):
    """Run axe-core's WCAG 2.x A/AA rules on the page; return serious and critical violations."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `make assets` (npm ci).")
    # Evaluated, not added as a <script> element: the Content Security Policy refuses inline
    # scripts, and DevTools evaluation is not subject to it.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def used_font_families(page, selector):
    """The font families Chromium actually used to draw the text of ``selector``."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    document = session.send("DOM.getDocument")
    node = session.send(
        "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector}
    )
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
    session.detach()
    return {font["familyName"] for font in fonts["fonts"]}


def editorial_groups():
    """Wagtail's groups as the migrations left them, by natural keys (app, model, codename)."""

    def key(permission):
        content_type = permission.content_type
        return (content_type.app_label, content_type.model, permission.codename, permission.name)

    return {
        "groups": {
            group.name: [key(permission) for permission in group.permissions.all()]
            for group in Group.objects.prefetch_related("permissions__content_type")
        },
        "pages": [
            (item.group.name, *key(item.permission))
            for item in GroupPagePermission.objects.filter(page__depth=1)
        ],
        "collections": [
            (item.group.name, *key(item.permission))
            for item in GroupCollectionPermission.objects.filter(collection__depth=1)
        ],
    }


# Wagtail's groups as the migrations made them, read by the run's first database test
# (before any transactional test's flush can have removed them).
EDITORIAL_GROUPS_AT_START = {}


@pytest.fixture(autouse=True)
def _editorial_groups_at_start(request):
    """Read :func:`editorial_groups` once, in the first test that uses the database."""
    if EDITORIAL_GROUPS_AT_START:
        return
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    EDITORIAL_GROUPS_AT_START.update(editorial_groups())


def restore_editorial_groups(snapshot):
    """Put back the groups a flush removed, with their permissions; returns their names.

    A transactional test's flush removes what the migrations created, and the seed only
    puts its people into the Editors and Moderators groups: without them the seeded editor
    could not open the admin.
    """

    missing = set(snapshot["groups"]) - set(Group.objects.values_list("name", flat=True))
    for name in missing:
        group = Group.objects.create(name=name)
        group.permissions.set([_permission(*key) for key in snapshot["groups"][name]])
    return missing


def restore_root_permissions(snapshot, groups):
    """The page and collection permissions of ``groups`` on the (seeded) roots."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for name, *key in snapshot["pages"]:
        if name in groups:
            GroupPagePermission.objects.get_or_create(
                group=Group.objects.get(name=name), page=root_page, permission=_permission(*key)
            )
    for name, *key in snapshot["collections"]:
        if name in groups:
            GroupCollectionPermission.objects.get_or_create(
                group=Group.objects.get(name=name),
                collection=root_collection,
                permission=_permission(*key),
            )


def _permission(app_label, model, codename, name):
    """The permission, made again if a flush took it (those a migration created)."""
    content_type = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )[0]


@pytest.fixture
def seeded_site(transactional_db, live_server):
    """The demo content on the live server, with Wagtail's groups back if a flush took them."""
    missing = restore_editorial_groups(EDITORIAL_GROUPS_AT_START)
    call_command("seed_demo", force=True, stdout=StringIO())
    restore_root_permissions(EDITORIAL_GROUPS_AT_START, missing)
    return live_server
