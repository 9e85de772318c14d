import datetime

import factory
import wagtail_factories
from django.utils import timezone

from pages.models import (
    CallIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    RegulationDraftPage,
    StandardPage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "همیاری دانشگاهیان در فرهنگ"
    intro = "<p>سامانهٔ همیاری دانشگاهیان</p>"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "دربارهٔ هدف"
    intro = "<p>دربارهٔ سامانه</p>"

    class Meta:
        model = StandardPage


class CallIndexPageFactory(wagtail_factories.PageFactory):
    title = "فراخوان‌ها"
    slug = "calls"
    intro = "<p>فراخوان‌های معاونت فرهنگی</p>"
    show_in_menus = True

    class Meta:
        model = CallIndexPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "اخبار"
    slug = "news"
    intro = "<p>تازه‌ترین خبرها</p>"
    show_in_menus = True

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"خبر شمارهٔ {n}")
    slug = factory.Sequence(lambda n: f"news-item-{n}")
    intro = "<p>خلاصهٔ خبر</p>"
    published_on = datetime.date(2025, 9, 23)

    class Meta:
        model = NewsPage


def sample_draft_text():
    """Raw ``draft_text`` blocks of the sample bylaw (20+ articles), structured by the parser."""
    from pathlib import Path

    import participation.drafts
    from participation.drafts.parse import parse_legal_text

    sample = Path(participation.drafts.__file__).parent / "data/sample_bylaw_fa.txt"
    return parse_legal_text(sample.read_text(encoding="utf-8")).blocks


class RegulationDraftPageFactory(wagtail_factories.PageFactory):
    """An open regulation draft (opened yesterday, closing in a week) with the sample bylaw."""

    title = factory.Sequence(lambda n: f"پیش‌نویس آیین‌نامهٔ تشکل‌های دانشجویی {n}")
    slug = factory.Sequence(lambda n: f"draft-{n}")
    intro = "<p>نظر خود را دربارهٔ هر ماده و بند این پیش‌نویس بنویسید.</p>"
    rationale = "<p>این آیین‌نامه برای ساماندهی حمایت از تشکل‌های فرهنگی پیشنهاد شده است.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    draft_text = factory.LazyFunction(sample_draft_text)

    class Meta:
        model = RegulationDraftPage
