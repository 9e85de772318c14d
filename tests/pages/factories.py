import wagtail_factories

from pages.models import HomePage, StandardPage


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
