"""Journey of an idea call (issue 17): a representative submits with a co-author.

The test starts from the seeded demo and goes through the UI only; the ORM is read to
check what was stored, and emails are read from ``django.core.mail.outbox``.
"""

import re

from django.core import mail

from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.demo import OPEN_CALL_SLUG
from participation.ideas.models import Idea
from participation.people.demo import demo_password
from tests.journeys.conftest import PHONE

REPRESENTATIVE = "anjoman.elmi@hadaf.test"
COAUTHOR = "sara.ahmadi@hadaf.test"

# A tiny well-formed PDF: the attachment check reads its bytes, not its name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def call_url(site, slug):
    """The public address of the idea call with ``slug`` on the live server."""
    from pages.models import IdeaCallPage

    return site.url + IdeaCallPage.objects.get(slug=slug, locale__language_code="fa").url


def sign_in(page, site, email, next_path="/"):
    """Sign in on the public sign-in form with the demo password."""
    page.goto(f"{site.url}/accounts/login/?next={next_path}")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(demo_password())
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_load_state("networkidle")


def path_of_link(body, fragment):
    """The path of the first link in an email ``body`` that contains ``fragment``."""
    match = re.search(rf"https?://[^/\s]+(\S*?{re.escape(fragment)}\S*)", body)
    assert match, f"no link with {fragment!r} in the email"
    return match.group(1)


def test_representative_submits_an_idea_with_a_coauthor_on_a_phone(
    seeded_site, make_page, journey, tmp_path
):
    page, outside = make_page(**PHONE)
    sign_in(page, seeded_site, REPRESENTATIVE)
    page.goto(call_url(seeded_site, OPEN_CALL_SLUG))
    journey.see(page, "open-call")
    page.get_by_role("link", name="ثبت ایده یا تجربه").first.click()
    page.wait_for_load_state("networkidle")
    journey.see(page, "new-submission")

    page.locator('input[name="kind"]').first.check()
    page.locator('select[name="category"]').select_option(index=1)
    page.locator('input[name="title"]').fill("کارگاه داستان‌نویسی خوابگاه")
    page.locator('textarea[name="summary"]').fill("نشست‌های هفتگی داستان‌نویسی در خوابگاه.")
    page.locator('textarea[name="body"]').fill("شرح کامل: دوازده نشست با یک نویسندهٔ مهمان.")
    if page.locator('select[name="organization"]').count():
        page.locator('select[name="organization"]').select_option(index=1)
    page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    page.wait_for_load_state("networkidle")
    idea = Idea.objects.get(title="کارگاه داستان‌نویسی خوابگاه")
    assert page.url.endswith(f"/ideas/{idea.uuid}/edit/")
    journey.see(page, "draft-saved")

    pdf = tmp_path / "طرح کارگاه.pdf"
    pdf.write_bytes(PDF)
    page.locator('input[type="file"]').set_input_files(str(pdf))
    page.locator('#attachments button[type="submit"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#attachments").get_by_text("طرح کارگاه").first.is_visible()
    assert idea.attachments.count() == 1
    journey.see(page, "attached")

    mail.outbox.clear()
    page.locator("#id_coauthor_email").fill(COAUTHOR)
    page.get_by_role("button", name="دعوت").click()
    page.wait_for_load_state("networkidle")
    text = journey.see(page, "coauthor-invited")
    assert COAUTHOR in text
    # The submit button warns about the pending co-author before anything is sent.
    submit = page.get_by_role("button", name="ارسال برای داوری")
    assert submit.is_disabled()
    assert page.locator("#submit-pending").is_visible()
    assert COAUTHOR in page.locator("#submit-pending").inner_text()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT

    invitations = [message for message in mail.outbox if COAUTHOR in message.to]
    assert len(invitations) == 1
    link = path_of_link(invitations[0].body, "/ideas/invitations/")
    coauthor_page, coauthor_outside = make_page(**PHONE)
    coauthor_page.goto(seeded_site.url + link)
    coauthor_page.wait_for_load_state("networkidle")
    if "/accounts/login/" in coauthor_page.url:
        journey.see(coauthor_page, "invitation-sign-in")
        sign_in(coauthor_page, seeded_site, COAUTHOR, next_path=link)
        coauthor_page.goto(seeded_site.url + link)
    text = journey.see(coauthor_page, "invitation")
    assert "کارگاه داستان‌نویسی خوابگاه" in text
    coauthor_page.get_by_role("button", name="می‌پذیرم", exact=True).click()
    coauthor_page.wait_for_load_state("networkidle")
    journey.see(coauthor_page, "invitation-accepted")
    author = idea.authors.get(email=COAUTHOR)
    assert author.status == CoAuthorStatus.ACCEPTED

    page.reload()
    journey.see(page, "ready-to-submit")
    assert page.get_by_role("button", name="ارسال برای داوری").is_enabled()
    page.get_by_role("button", name="ارسال برای داوری").click()
    page.wait_for_load_state("networkidle")
    journey.see(page, "submitted")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert outside.urls == [] and coauthor_outside.urls == []
