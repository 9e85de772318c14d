"""Demo pages for ``seed_demo``: the Persian home page and the launch announcement.

Pages are found by slug under their parent, so running the seed again finds
them instead of adding copies.
"""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .models import HomePage, StandardPage

HOME_INTRO = (
    "<p>«هدف» سامانهٔ همیاری دانشگاهیان در فرهنگ است: دانشجویان، استادان و کارکنان "
    "دانشگاه‌ها و تشکل‌های دانشجویی در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های "
    "ایده‌پردازی معاونت فرهنگی و اجتماعی وزارت علوم شرکت می‌کنند.</p>"
)

ANNOUNCEMENT = {
    "slug": "launch",
    "title": "آغاز به کار سامانهٔ همیاری دانشگاهیان در فرهنگ",
    "intro": (
        "<p>معاونت فرهنگی و اجتماعی وزارت علوم، تحقیقات و فناوری از راه‌اندازی سامانهٔ "
        "«هدف» برای شنیدن صدای دانشگاهیان خبر داد.</p>"
    ),
    "body": [
        {"type": "heading", "value": {"text": "سه سطح مشارکت", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                "<p>در سطح <b>نگرش و سنجش</b> دانشگاهیان به نظرسنجی‌های کمّی پاسخ می‌دهند؛ "
                "در سطح <b>بازبینی و بازاندیشی</b> آیین‌نامه‌ها و شیوه‌نامه‌ها را بند به بند "
                "نقد می‌کنند و متن پیشنهادی می‌نویسند؛ و در سطح <b>ایده‌پردازی و تجربه‌نگاری</b> "
                "ایده‌های نو و تجربه‌های موفق خود را برای داوری می‌فرستند.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "مشوق‌ها", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                "<ul><li>گواهی مشارکت</li><li>گرنت‌های آموزشی، گردشگری و فرهنگی</li>"
                "<li>عضویت در شوراهای مشورتی</li><li>جوایز نقدی و تقدیر در جشنوارهٔ سالانه</li>"
                "<li>امتیاز ترفیع برای اعضای هیئت علمی</li></ul>"
            ),
        },
    ],
}

ABOUT = {
    "slug": "about",
    "title": "دربارهٔ هدف",
    "intro": (
        "<p>هدف پیشنهادها و نظرهای دانشگاهیان را گرد می‌آورد و نتیجهٔ آن‌ها را گزارش "
        "می‌کند: «شما گفتید، ما انجام دادیم».</p>"
    ),
    "body": [],
}


def ensure_locales():
    """Every configured content language has a Wagtail ``Locale``."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def ensure_home_page():
    """Make a Persian ``HomePage`` the root of the default site.

    A fresh database has Wagtail's placeholder "Welcome" page there; it is
    replaced, not kept beside ours.
    """
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="همیاری دانشگاهیان در فرهنگ",
            slug="home",
            intro=HOME_INTRO,
            locale=Locale.objects.get(language_code=settings.LANGUAGE_CODE),
        )
        placeholder = site.root_page if site else None
        if placeholder is not None and placeholder.slug == "home":
            placeholder.slug = "wagtail-welcome"
            placeholder.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="هدف"
        )
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "هدف"
        site.save()
        if not isinstance(placeholder.specific, HomePage) and placeholder.depth == 2:
            placeholder.delete()
    return home


def ensure_standard_page(parent, content):
    """Create and publish a standard page under ``parent`` unless its slug exists."""
    existing = parent.get_children().filter(slug=content["slug"]).first()
    if existing is not None:
        return existing.specific
    page = StandardPage(
        title=content["title"],
        slug=content["slug"],
        intro=content["intro"],
        body=content["body"],
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_pages():
    """The demo page tree: home, launch announcement, about."""
    ensure_locales()
    home = ensure_home_page()
    return {
        "home": home,
        "announcement": ensure_standard_page(home, ANNOUNCEMENT),
        "about": ensure_standard_page(home, ABOUT),
    }
