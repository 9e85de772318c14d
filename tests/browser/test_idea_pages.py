"""An idea call in a real browser, on a phone: starting a submission, attaching a file,
submitting it, and the gallery and festival pages afterwards.

Screenshots are saved under test-artifacts/screenshots/ for a person to look at.
"""

import pytest

from pages.models import FestivalPage
from participation.ideas import workflow
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import Idea
from tests.browser.fixtures import run_axe, save_screenshot
from tests.browser.test_draft_pages import PHONE, fits_the_screen, open_at, sign_in
from tests.pages.factories import CallIndexPageFactory
from tests.participation.ideas.factories import THEME_MEDIA, add_idea_call, submitted_idea
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.browser

# The smallest well-formed PDF: what the attachment check reads is its bytes, not its name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def idea_site(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    page = add_idea_call(calls)
    author = UserFactory(first_name="مریم", last_name="احمدی", role="faculty")
    return live_server, page, author


def test_an_author_writes_attaches_and_submits_on_a_phone(idea_site, make_page, tmp_path):
    live_server, call, author = idea_site
    browser_page, outside = make_page(**PHONE)
    sign_in(browser_page, live_server, author)
    open_at(browser_page, live_server.url + call.url)
    assert browser_page.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "idea-call-390")

    browser_page.get_by_role("link", name="ثبت ایده یا تجربه").first.click()
    browser_page.wait_for_load_state("networkidle")
    # Nothing filled in: the errors are listed at the top and nothing is saved.
    browser_page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("#survey-errors").is_visible()
    assert Idea.objects.count() == 0
    assert run_axe(browser_page) == []

    browser_page.locator('input[name="kind"][value="idea"]').check()
    browser_page.locator('select[name="category"]').select_option(THEME_MEDIA)
    browser_page.locator('input[name="title"]').fill("پادکست تاریخ شفاهی دانشگاه")
    browser_page.locator('textarea[name="summary"]').fill("گفت‌وگو با استادان بازنشسته.")
    browser_page.locator('textarea[name="body"]').fill("شرح کامل: سه فصل، هر فصل شش قسمت.")
    browser_page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    browser_page.wait_for_load_state("networkidle")
    idea = Idea.objects.get()
    assert browser_page.url.endswith(f"/ideas/{idea.uuid}/edit/")
    assert fits_the_screen(browser_page)

    # (Django drops invisible characters such as the ZWNJ from uploaded file names.)
    pdf = tmp_path / "پیشنهاد پادکست.pdf"
    pdf.write_bytes(PDF)
    browser_page.locator('input[type="file"]').set_input_files(str(pdf))
    browser_page.locator('#attachments button[type="submit"]').first.click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("#attachments").get_by_text("پیشنهاد پادکست").first.is_visible()
    assert idea.attachments.count() == 1
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "idea-editor-390")

    browser_page.get_by_role("button", name="ارسال برای داوری").click()
    browser_page.wait_for_load_state("networkidle")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert browser_page.locator(".idea-status--submitted").first.is_visible()
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "idea-detail-390")
    assert outside.urls == []


def test_gallery_and_festival_on_a_phone(idea_site, make_page, home_page):
    live_server, call, author = idea_site
    editor = EditorFactory()
    festival = FestivalPage(title="جشنواره سالانه", slug="festival")
    home_page.add_child(instance=festival)
    festival.save_revision().publish()
    awards = (
        ("ایده برگزیده اول", IdeaStatus.WINNER),
        ("ایده شایسته تقدیر", IdeaStatus.HONOURABLE_MENTION),
    )
    for title, final in awards:
        idea = submitted_idea(call, author, title=title)
        for step in (IdeaStatus.IN_REVIEW, IdeaStatus.SHORTLISTED, final):
            workflow.move(idea, step, actor=editor, notify=False)
    browser_page, outside = make_page(**PHONE)
    open_at(browser_page, live_server.url + call.url + "gallery/")
    assert browser_page.locator(".idea-card").count() == 2
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "idea-gallery-390")
    open_at(browser_page, live_server.url + festival.url)
    assert browser_page.get_by_text("ایده برگزیده اول").first.is_visible()
    assert browser_page.get_by_text("ایده شایسته تقدیر").first.is_visible()
    assert browser_page.locator(".idea-status--winner").first.is_visible()
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "festival-390")
    assert outside.urls == []


def test_a_juror_scores_blind_on_a_phone(idea_site, make_page):
    from participation.ideas import jury
    from participation.ideas.models import CriterionScore, JuryMember, ReviewAssignment

    live_server, call, author = idea_site
    editor = EditorFactory()
    idea = submitted_idea(call, author, title="شب‌های شعر خوابگاه")
    workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor, notify=False)
    juror = UserFactory(first_name="حسن", last_name="داوری", role="faculty")
    JuryMember.objects.create(call_key=call.call_key, person=juror)
    jury.assign_reviewers(call, actor=editor)
    review = ReviewAssignment.objects.get(idea=idea, reviewer=juror)

    browser_page, outside = make_page(**PHONE)
    sign_in(browser_page, live_server, juror)
    open_at(browser_page, f"{live_server.url}/ideas/jury/{review.pk}/")
    text = browser_page.locator("main").inner_text()
    assert "شب‌های شعر خوابگاه" in text and "مریم احمدی" not in text  # blind review
    # Persian digits are accepted; every criterion needs a score.
    inputs = browser_page.locator(".jury-criterion input")
    assert inputs.count() == 3
    inputs.nth(0).fill("۸")
    inputs.nth(1).fill("7")
    browser_page.get_by_role("button", name="ذخیرهٔ امتیازهای من").click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("#score-errors").is_visible()
    assert not CriterionScore.objects.exists()
    browser_page.locator(".jury-criterion input").nth(2).fill("۴")
    browser_page.get_by_role("button", name="ذخیرهٔ امتیازهای من").click()
    browser_page.wait_for_load_state("networkidle")
    assert sorted(CriterionScore.objects.values_list("score", flat=True)) == [4, 7, 8]
    assert fits_the_screen(browser_page)
    assert run_axe(browser_page) == []
    save_screenshot(browser_page, "jury-review-390")
    assert outside.urls == []
