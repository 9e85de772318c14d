import datetime

import factory
import wagtail_factories

from pages.models import CallIndexPage, HomePage, NewsIndexPage, NewsPage, StandardPage


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
