from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from pages.models import HomePage, StandardPage
from tests.pages.factories import HomePageFactory, StandardPageFactory


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=cls.root, slug="home-tree")
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": cls.home}
        )

    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_standard_page_renders_its_blocks_in_persian(self):
        page = StandardPageFactory(
            parent=self.home,
            slug="guide",
            body=[
                ("heading", {"text": "راهنمای مشارکت", "level": "h2"}),
                ("paragraph", "<p>پاسخ شما <b>محرمانه</b> می‌ماند.</p>"),
            ],
        )
        html = self.client.get(page.url).content.decode()
        self.assertIn('<h2 class="block-heading">راهنمای مشارکت</h2>', html)
        self.assertIn("<b>محرمانه</b>", html)
        self.assertIn('dir="rtl"', html)

    def test_pages_are_renderable(self):
        page = StandardPageFactory(parent=self.home, slug="about-x")
        self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(self.home)
