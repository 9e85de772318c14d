"""The Persian admin writes its numbers in Persian digits, calls the tree's root «ریشه» and
turns a title's half space into a hyphen of the slug (the page form's and the copy screen's);
the English admin keeps Latin digits.

Slugs made from titles on the server: tests/pages/test_slugs.py.

Browser checks of the same screens: tests/browser/test_admin_persian.py.
"""

import datetime
import importlib
import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from pages.models import StandardPage
from pages.slugs import PersianSlugInput, SlugFormField
from participation.questions.blocks import ConditionPickerInput
from tests.pages.factories import StandardPageFactory
from tests.people.factories import EditorFactory, UserFactory

LATIN_DIGIT = re.compile(r"[0-9]")
ROOT_MIGRATION = importlib.import_module("pages.migrations.0008_root_page_title")


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def children(home_page):
    """Three pages under the home page, last edited five minutes ago."""
    pages = [StandardPageFactory(parent=home_page, slug=f"page-{n}") for n in range(3)]
    five_minutes_ago = timezone.now() - datetime.timedelta(minutes=5)
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision_created_at=five_minutes_ago
    )
    return pages


def explorer(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def texts(soup, selector):
    return [" ".join(element.get_text(" ").split()) for element in soup.select(selector)]


def test_listing_times_and_pagination_have_persian_digits(client, editor, home_page, children):
    soup = explorer(client, editor, home_page)
    # Numbers drawn in the browser (counters, badges, number fields) get theirs from here.
    assert soup.select('script[src*="js/admin-persian-digits"]')

    times = texts(soup, ".w-human-readable-date__date")
    assert times == ["۵ دقیقه پیش"] * 3
    [pagination] = texts(soup, "nav.pagination")
    assert "صفحه ۱ از ۱" in pagination
    # A count takes the singular noun in Persian: «۳ صفحه», not «3 صفحه ها».
    assert pagination.endswith("۳ صفحه")
    assert not LATIN_DIGIT.search(pagination)


def test_the_english_admin_keeps_latin_digits(client, editor, home_page, children):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    soup = explorer(client, editor, home_page)

    assert not soup.select('script[src*="js/admin-persian-digits"]')
    assert texts(soup, ".w-human-readable-date__date") == ["5 minutes ago"] * 3
    [pagination] = texts(soup, "nav.pagination")
    assert "Page 1 of 1" in pagination and pagination.endswith("3 pages")


def test_the_dashboard_summary_counts_in_persian_digits(client, editor, children):
    client.force_login(editor)
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    [summary] = texts(soup, ".w-summary__list")
    assert "صفحه" in summary and re.search("[۰-۹]", summary)
    assert not LATIN_DIGIT.search(summary)


def render_in(language, source, **context):
    """``source`` rendered in ``language``, its no-break spaces as plain ones."""
    with translation.override(language):
        text = Template("{% load wagtailadmin_tags %}" + source).render(Context(context))
    return " ".join(text.split())


def test_the_status_panel_dates_have_persian_digits_and_keep_the_names_own():
    three_days_ago = timezone.now() - datetime.timedelta(days=3, hours=2)
    source = "{% timesince_last_update when user_display_name=name %}"
    persian = render_in("fa", source, when=three_days_ago, name="respondent-001")
    # Shortened as in English ("3 days ago"), although Persian joins the parts with «،».
    assert persian == "۳ روز پیش توسط respondent-001"
    english = render_in("en", source, when=three_days_ago, name="respondent-001")
    assert english == "3 days ago by respondent-001"
    today = render_in("fa", "{% timesince_last_update when %}", when=timezone.now())
    assert re.fullmatch("[۰-۹]{2}:[۰-۹]{2}", today)


def test_wagtail_counts_and_workflow_times_have_persian_digits():
    assert render_in("fa", "{{ count|intcomma }}", count=12345) == "۱۲٬۳۴۵"
    assert render_in("en", "{{ count|intcomma }}", count=12345) == "12,345"
    week_ago = timezone.now() - datetime.timedelta(days=7)
    assert render_in("fa", "{{ when|naturaltime }}", when=week_ago) == "۱ هفته پیش"


@pytest.mark.django_db
def test_the_tree_root_is_called_riesheh_in_the_admin(client):
    admin = UserFactory(email="admin@ministry.test", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert "ریشه" in soup.select_one("h1").get_text()
    assert "Root" not in soup.get_text()


@pytest.mark.django_db
def test_the_root_migration_renames_only_wagtails_placeholder():
    root = Page.get_first_root_node()
    Page.objects.filter(pk=root.pk).update(title="Root", draft_title="Root")
    ROOT_MIGRATION.forwards(apps, None)
    root.refresh_from_db()
    assert (root.title, root.draft_title) == ("ریشه", "ریشه")
    ROOT_MIGRATION.backwards(apps, None)
    root.refresh_from_db()
    assert root.title == "Root"

    Page.objects.filter(pk=root.pk).update(title="درخت وزارت")
    ROOT_MIGRATION.forwards(apps, None)
    root.refresh_from_db()
    assert root.title == "درخت وزارت"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("پیش\u200cنویس-آیین\u200cنامه", "پیش-نویس-آیین-نامه"),
        # A half space typed beside a hyphen or a space gives one hyphen.
        ("نظرسنجی\u200c-دانشجویی", "نظرسنجی-دانشجویی"),
        ("نظرسنجی\u200c دانشجویی", "نظرسنجی-دانشجویی"),
        # Other invisible marks pasted with Persian text (RLM, zero-width space) go.
        ("\u200fنظرسنجی\u200b", "نظرسنجی"),
    ],
)
def test_a_slug_with_a_half_space_is_accepted_with_a_hyphen(typed, stored):
    assert SlugFormField(allow_unicode=True).clean(typed) == stored


def test_the_slug_input_gives_the_browser_the_same_rule():
    attrs = PersianSlugInput().attrs
    assert attrs["data-controller"] == "w-slug"
    assert '"[-\\\\s]*\\u200c[-\\\\s]*","gu"],"-"]' in attrs["data-w-slug-formatters-value"]


def test_the_condition_picker_brings_its_own_spacing():
    media = str(ConditionPickerInput("answers").media)
    assert "css/condition-picker.css" in media and "js/condition-picker.js" in media


def test_every_admin_page_form_uses_the_rule(home_page):
    form_class = StandardPage.get_edit_handler().get_form_class()
    assert isinstance(form_class.base_fields["slug"], SlugFormField)
    assert isinstance(form_class.base_fields["slug"].widget, PersianSlugInput)


def test_an_editor_saves_a_page_whose_slug_has_a_half_space(client, editor, home_page):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["pages", "standardpage", home_page.pk])
    data = nested_form_data(
        {
            "title": "نظرسنجی\u200c دانشجویی",
            "slug": "نظرسنجی\u200c-دانشجویی",
            "intro": rich_text(""),
            "body": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    page = StandardPage.objects.child_of(home_page).get(title="نظرسنجی\u200c دانشجویی")
    assert page.slug == "نظرسنجی-دانشجویی"


def test_the_copy_screen_turns_a_half_space_in_the_new_slug_into_a_hyphen(
    client, editor, home_page
):
    page = StandardPageFactory(parent=home_page, title="دربارهٔ هدف", slug="about")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])

    html = client.get(url).content.decode()
    field = BeautifulSoup(html, "html.parser").select_one("input[name=new_slug]")
    assert "\\u200c" in field["data-w-slug-formatters-value"]

    response = client.post(
        url,
        {
            "new_title": "نظرسنجی\u200c دانشجویی",
            "new_slug": "نظرسنجی\u200c-دانشجویی",
            "new_parent_page": home_page.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    copy = StandardPage.objects.child_of(home_page).get(title="نظرسنجی\u200c دانشجویی")
    assert copy.slug == "نظرسنجی-دانشجویی"
