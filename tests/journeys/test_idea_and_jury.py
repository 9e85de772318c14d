"""Journeys of an idea call (issue 17): representative, co-author, juror, editor, winner.

Each test starts from the seeded demo and goes through the UI only; the ORM is read to
check what was stored, and emails are read from ``django.core.mail.outbox``.
"""

import re
from io import BytesIO

from django.conf import settings
from django.core import mail
from pypdf import PdfReader

from participation.ideas.choices import AssignmentStatus, CoAuthorStatus, IdeaStatus
from participation.ideas.demo import FESTIVAL_CALL_SLUG, OPEN_CALL_SLUG
from participation.ideas.models import Idea, ReviewAssignment
from participation.incentives.models import Certificate
from participation.people.demo import EDITOR_EMAIL, demo_password
from tests.journeys.conftest import DESKTOP, PHONE

REPRESENTATIVE = "anjoman.elmi@hadaf.test"
COAUTHOR = "sara.ahmadi@hadaf.test"
JUROR = "zahra.moradi@hadaf.test"

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
    coauthor_page.get_by_role("button", name="می‌پذیرم").click()
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


def test_editor_assigns_a_juror_who_scores_blind_on_a_phone(seeded_site, make_page, journey):
    editor_page, editor_outside = make_page(**DESKTOP)
    # The representative's idea, submitted through the UI as in the journey above.
    sign_in(editor_page, seeded_site, REPRESENTATIVE)
    editor_page.goto(call_url(seeded_site, OPEN_CALL_SLUG) + "new/")
    editor_page.locator('input[name="kind"]').first.check()
    editor_page.locator('select[name="category"]').select_option(index=1)
    editor_page.locator('input[name="title"]').fill("نمایشگاه عکس محله")
    editor_page.locator('textarea[name="summary"]').fill("عکس‌های دانشجویان از محلهٔ دانشگاه.")
    editor_page.locator('textarea[name="body"]').fill("شرح کامل: سه ماه عکاسی و یک نمایشگاه.")
    editor_page.get_by_role("button", name="ذخیره پیش‌نویس").click()
    editor_page.wait_for_load_state("networkidle")
    editor_page.get_by_role("button", name="ارسال برای داوری").click()
    editor_page.wait_for_load_state("networkidle")
    idea = Idea.objects.get(title="نمایشگاه عکس محله")
    assert idea.status == IdeaStatus.SUBMITTED
    editor_page.context.clear_cookies()

    # The editor screens it, adds a juror and assigns the reviews.
    sign_in(editor_page, seeded_site, EDITOR_EMAIL, next_path="/admin/")
    call = idea.call
    editor_page.goto(f"{seeded_site.url}/admin/idea-calls/{call.pk}/submissions/{idea.uuid}/")
    journey.see(editor_page, "editor-submission")
    editor_page.locator('button[name="to"][value="in_review"]').click()
    editor_page.wait_for_load_state("networkidle")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_REVIEW
    editor_page.goto(f"{seeded_site.url}/admin/idea-calls/{call.pk}/jury/")
    editor_page.locator('input[name="email"]').fill(JUROR)
    editor_page.get_by_role("button", name="افزودن به هیئت داوران").click()
    editor_page.wait_for_load_state("networkidle")
    journey.see(editor_page, "juror-added")
    mail.outbox.clear()
    editor_page.locator('form[action$="/jury/assign/"] button[type="submit"]').click()
    editor_page.wait_for_load_state("networkidle")
    journey.see(editor_page, "reviews-assigned")
    review = ReviewAssignment.objects.get(idea=idea, reviewer__email=JUROR)
    assert review.status == AssignmentStatus.ASSIGNED

    # The juror is told by email, signs in and finds the work from the header.
    emails = [message for message in mail.outbox if JUROR in message.to]
    assert len(emails) == 1
    assert "/ideas/jury/" in emails[0].body
    juror_page, juror_outside = make_page(**PHONE)
    sign_in(juror_page, seeded_site, JUROR)
    journey.see(juror_page, "juror-signed-in")
    juror_page.get_by_role("link", name="داوری‌های من").first.click()
    juror_page.wait_for_load_state("networkidle")
    assert juror_page.url.endswith("/ideas/jury/")
    journey.see(juror_page, "my-reviews")
    juror_page.get_by_role("link", name="نمایشگاه عکس محله").first.click()
    juror_page.wait_for_load_state("networkidle")
    journey.see(juror_page, "review")
    main = juror_page.locator("main").inner_text()
    assert "نمایشگاه عکس محله" in main
    for name in ("انجمن علمی", "مهندسی کامپیوتر", REPRESENTATIVE):  # blind review
        assert name not in main
    inputs = juror_page.locator(".jury-criterion input")
    for number in range(inputs.count()):
        inputs.nth(number).fill("۴")
    juror_page.get_by_role("button", name="ذخیرهٔ امتیازهای من").click()
    juror_page.wait_for_load_state("networkidle")
    journey.see(juror_page, "scored")
    review.refresh_from_db()
    assert review.status == AssignmentStatus.SCORED
    assert sorted(review.scores.values_list("score", flat=True)) == [4] * inputs.count()
    assert editor_outside.urls == [] and juror_outside.urls == []


def test_editor_picks_a_winner_who_downloads_a_valid_certificate(seeded_site, make_page, journey):
    festival = Idea.objects.filter(call__slug=FESTIVAL_CALL_SLUG)
    idea = festival.filter(status=IdeaStatus.NOT_SELECTED).order_by("pk").first()
    editor_page, editor_outside = make_page(**DESKTOP)
    sign_in(editor_page, seeded_site, EDITOR_EMAIL, next_path="/admin/")
    ranking = f"{seeded_site.url}/admin/idea-calls/{idea.call_id}/ranking/"
    for step in (IdeaStatus.SHORTLISTED, IdeaStatus.WINNER):
        editor_page.goto(ranking)
        journey.see(editor_page, f"ranking-{step}")
        editor_page.locator(f'input[name="ideas"][value="{idea.uuid}"]').check()
        editor_page.locator('select[name="to"]').select_option(str(step))
        editor_page.get_by_role("button", name="اعمال بر انتخاب‌شده‌ها").click()
        editor_page.wait_for_load_state("networkidle")
        idea.refresh_from_db()
        assert idea.status == step
    winner = idea.created_by
    certificate = Certificate.objects.get(
        award__source=f"idea:{idea.uuid}:winner", award__recipient_user=winner
    )
    assert certificate.is_ready

    page, outside = make_page(**PHONE)
    sign_in(page, seeded_site, winner.email, next_path="/dashboard/")
    page.goto(f"{seeded_site.url}/dashboard/")
    journey.see(page, "dashboard")
    link = page.locator(f'a[href$="/certificates/{certificate.display_code}/pdf/"]')
    with page.expect_download() as download:
        link.click()
    text = "".join(
        sheet.extract_text() or "" for sheet in PdfReader(BytesIO(read(download.value))).pages
    )
    base = settings.WAGTAILADMIN_BASE_URL
    urls = re.findall(r"https?://\S+", text)
    expected = f"{base}/certificates/{certificate.display_code}/"
    assert expected in urls, urls
    page.goto(seeded_site.url + expected.removeprefix(base))
    text = journey.see(page, "verified")
    assert certificate.display_code in text
    assert "این گواهی معتبر است" in text
    assert outside.urls == [] and editor_outside.urls == []


def read(download):
    """The bytes of a Playwright download."""
    with open(download.path(), "rb") as handle:
        return handle.read()
