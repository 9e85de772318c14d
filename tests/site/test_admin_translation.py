"""The Wagtail admin speaks Persian in the screens editors use every day.

Wagtail's and wagtail-localize's own fa catalogues are only partly translated; the
gaps are filled by ``locale/wagtail_admin/fa/LC_MESSAGES/{django,djangojs}.po``,
which is the second entry of ``LOCALE_PATHS`` and is compiled by ``make catalogues``.
"""

import json
import re

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import PROJECT_ROOT
from tests.people.factories import DEFAULT_PASSWORD, EditorFactory

ADMIN_LOCALE = PROJECT_ROOT / "locale" / "wagtail_admin"
CATALOGUES = [
    ADMIN_LOCALE / "fa/LC_MESSAGES/django.po",
    ADMIN_LOCALE / "fa/LC_MESSAGES/djangojs.po",
]
# %(name)s, %s, %d and str.format() fields such as {title} or {}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdif]|\{\w*\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_admin_catalogue_is_in_locale_paths():
    assert [str(path) for path in settings.LOCALE_PATHS[:2]] == [
        str(PROJECT_ROOT / "locale"),
        str(ADMIN_LOCALE),
    ]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_admin_catalogue_header(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata["Language"] == "fa"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_admin_catalogue_is_fully_translated(path):
    catalogue = polib.pofile(str(path))
    assert len(catalogue) > 50
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_admin_catalogue_keeps_placeholders(path):
    wrong = []
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            singular, plural = entry.msgstr_plural[0], entry.msgstr_plural[1]
            allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            used = set(placeholders(singular)) | set(placeholders(plural))
            if (
                not set(placeholders(entry.msgid)) <= set(placeholders(singular))
                or not set(placeholders(entry.msgid_plural)) <= set(placeholders(plural))
                or not used <= allowed
            ):
                wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_admin_catalogue_is_compiled(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), "run `make catalogues`"
    assert compiled.stat().st_mtime >= path.stat().st_mtime, "run `make catalogues`"


@pytest.fixture
def editor_client(client, home_page):
    editor = EditorFactory()
    assert client.login(username=editor.email, password=DEFAULT_PASSWORD)
    return client


# (URL builder, Persian strings that must appear, English originals that must not).
ADMIN_SCREENS = {
    "dashboard": (
        lambda home: reverse("wagtailadmin_home"),
        ["جستجو در همهٔ صفحه‌ها…", "میان‌برهای صفحه‌کلید"],
        ["Search all pages…", "Keyboard shortcuts"],
    ),
    "explorer": (
        lambda home: reverse("wagtailadmin_explore", args=[home.pk]),
        ["نمایش فیلترها", "قابل مشاهده برای همه", "هیچ زمان‌بندی انتشاری تنظیم نشده است"],
        ["Show filters", "Visible to all", "No publishing schedule set"],
    ),
    "page edit": (
        lambda home: reverse("wagtailadmin_pages:edit", args=[home.pk]),
        ["زمان‌بندی انتشار", "تنظیم زمان‌بندی انتشار", "سنجه‌های محتوا", "زمان مطالعه"],
        ["Schedule to publish", "Set publishing schedule", "Content metrics", "Reading time"],
    ),
    "page create": (
        lambda home: reverse("wagtailadmin_pages:add", args=["pages", "standardpage", home.pk]),
        ["پنل‌های کناری", "ذخیرهٔ زمان‌بندی", "ذخیرهٔ خودکار متوقف شده است"],
        ["Side panels", "Save schedule", "Autosave is paused"],
    ),
    "images": (
        lambda home: reverse("wagtailimages:index"),
        ["مرتب‌سازی بر اساس", "افزودن برچسب به تصاویر"],
        ["Sort by", "Add tags to images"],
    ),
    "documents": (
        lambda home: reverse("wagtaildocs:index"),
        ["افزودن برچسب به اسناد", "افزودن به مجموعه"],
        ["Add tags to documents", "Add to collection"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("screen", ADMIN_SCREENS)
def test_admin_screen_is_persian(editor_client, home_page, screen):
    url, persian, english = ADMIN_SCREENS[screen]
    response = editor_client.get(url(home_page))
    assert response.status_code == 200
    html = response.content.decode()
    assert [text for text in persian if text not in html] == []
    assert [text for text in english if text in html] == []
    # Sidebar/keyboard-shortcut strings shared by every admin screen.
    assert "باز/بسته کردن نوار کناری" in html and "Toggle sidebar" not in html


@pytest.mark.django_db
def test_admin_login_notice_is_persian(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "برای استفاده از واگتیل به جاوااسکریپت نیاز است" in html
    assert "JavaScript is required to use Wagtail" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "persian"),
    [
        # StreamField / rich-text editor strings come from the djangojs catalogue,
        # which Django's JavaScriptCatalog merges with LOCALE_PATHS.
        ("wagtailadmin_javascript_catalog", ["تکثیر", "درج بلوک", "منوی اصلی"]),
        ("wagtail_localize:javascript_catalog", ["دریافت پروندهٔ PO", "ترجمه نشده"]),
    ],
)
def test_admin_javascript_catalogues_are_persian(editor_client, url_name, persian):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200
    js = response.content.decode()
    # The catalogue is JSON inside JavaScript, so non-ASCII text may be \u-escaped.
    missing = [text for text in persian if text not in js and json.dumps(text)[1:-1] not in js]
    assert missing == []
