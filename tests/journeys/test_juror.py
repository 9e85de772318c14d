"""The jury's journey (issue 17): a juror scores, the editors pick the winner, who downloads
the certificate.

A submission waits in the call for experiences, closed two days ago (set up through the ORM:
the seed has none there, and the representative's journey already submits one through the
UI), with an incentive rule that gives its winners a certificate. The editor takes it into
jury review, adds the seeded juror (``respondent-001@hadaf.test``) to the call's jury and
assigns the reviews, which emails the juror. The juror signs in, finds the work from the
header's «My reviews», reads it blind and scores it on the call's rubric with Persian
digits. An administrator names the call's issuing official (Snippets → certificate
signatories, with the page chooser); the editor ranks, shortlists and picks the winner, then
writes the outcome with its Jalali date and sends it for approval; the moderator approves
and publishes, and both workflow emails are Persian. The winner signs in, reads the outcome
on the call, downloads the certificate from the dashboard, and its text has the Jalali date
in Persian digits and the official's name. Every admin step is audited:
the suite empties the log before the flush (``audit_log_emptied_before_flush``).
"""

import datetime
import re
import zoneinfo

import jdatetime
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from pages.models import IdeaCallPage
from participation.choices import IncentiveKind
from participation.dashboard.choices import Trigger
from participation.dashboard.models import IncentiveRule
from participation.ideas import workflow
from participation.ideas.choices import (
    AssignmentStatus,
    CoAuthorStatus,
    IdeaKind,
    IdeaStatus,
)
from participation.ideas.demo import OPEN_CALL_SLUG, stable_id
from participation.ideas.models import Idea, IdeaAuthor, JuryMember
from participation.incentives.models import CallSignatory, Certificate
from participation.people.demo import demo_password
from participation.persian import format_date, to_persian_digits
from tests.journeys.conftest import DESKTOP, LATIN_DIGIT, TEMPLATE_SYNTAX, click, go

JUROR = "respondent-001@hadaf.test"
PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")
TITLE = "باشگاه عکاسی شبانه خوابگاه"
SUMMARY = "عکاسی شبانه از محوطه خوابگاه با راهنمایی عکاسان شهر؛ شش ماه اجرا با نمایشگاه پایانی."
OFFICIAL = "حسن رضوی"
OFFICIAL_TITLE = "معاون فرهنگی و اجتماعی وزارت علوم"
# The rubric of the seeded call, in its order: نوآوری, اثرگذاری, امکان‌پذیری, کیفیت نگارش.
SCORES = {"novelty": "۸", "impact": "۹", "feasibility": "۷", "writing": "۴"}
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ZWNJ = "\u200c"
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
OUTCOME = "برگزیدهٔ فراخوان: «باشگاه عکاسی شبانه خوابگاه». از همهٔ شرکت‌کنندگان سپاسگزاریم."


def sign_in_to_admin(make_page, url, email):
    page, outside = make_page(**DESKTOP)
    go(page, f"{url}/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(demo_password())
    click(page.locator('form button[type="submit"]').last)
    return page, outside


def sign_in(make_page, url, email):
    page, outside = make_page(**DESKTOP)
    go(page, f"{url}/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(demo_password())
    click(page.locator('form button[type="submit"]').last)
    assert "/accounts/login/" not in page.url, "the sign-in failed"
    return page, outside


def an_author_for(juror):
    """A seeded student at another university than the juror's (no conflict of interest)."""
    return (
        get_user_model()
        .objects.filter(email__startswith="respondent-", role="student", is_active=True)
        .exclude(university=juror.university)
        .exclude(university=None)
        .order_by("email")
        .first()
    )


def a_submitted_experience(call, author):
    """What the seed lacks: a submission waiting in the open call (as the UI would store it)."""
    idea = Idea.objects.create(
        call=call,
        call_key=call.call_key,
        language="fa",
        kind=IdeaKind.EXPERIENCE,
        category=stable_id("theme", "campus-life"),
        title=TITLE,
        summary=SUMMARY,
        body=SUMMARY + "\n\nشرح اجرا در سه گام: فراخوان، کارگاه‌ها و نمایشگاه.",
        created_by=author,
    )
    IdeaAuthor.objects.create(
        idea=idea,
        person=author,
        email=author.email,
        is_lead=True,
        status=CoAuthorStatus.ACCEPTED,
        responded_at=timezone.now(),
    )
    return workflow.move(idea, IdeaStatus.SUBMITTED, actor=author, notify=False)


def a_winners_certificate_rule(call):
    """What the seed lacks: the open call's winners earn a certificate (as «Incentive rules»)."""
    IncentiveRule.objects.create(
        call=call,
        call_key=call.translation_key,
        trigger=Trigger.IDEA_WINNER,
        kind=IncentiveKind.CERTIFICATE,
        with_certificate=True,
        description="برگزیدهٔ فراخوان تجربه‌نگاری",
    )


def closed(call):
    """What the seed lacks: the open call, closed two days ago (its outcome may follow)."""
    call.closes_at = timezone.now() - datetime.timedelta(days=2)
    call.save_revision().publish()
    return call


def persian_only(text):
    """No Latin digit and no template syntax in what a person reads."""
    assert not LATIN_DIGIT.search(text), text
    for syntax in TEMPLATE_SYNTAX:
        assert syntax not in text, text


def readable(text):
    """pypdf's text with Persian numbers turned back (it reverses them) and no ZWNJ."""
    number = f"[{PERSIAN_DIGITS}](?:[{PERSIAN_DIGITS}٫٬/]*[{PERSIAN_DIGITS}])?"
    text = re.sub(number, lambda match: match.group()[::-1], text)
    return " ".join(text.replace(ZWNJ, "").split())


def editor_takes_it_to_the_jury(editor, url, call, journey):
    go(editor, f"{url}/admin/idea-calls/")
    journey.see(editor, "editor-idea-calls")
    click(editor.get_by_role("link", name=call.title).first)
    journey.see(editor, "editor-submissions")
    click(editor.get_by_role("link", name=TITLE))
    journey.see(editor, "editor-submission")
    click(editor.locator(f'button[name="to"][value="{IdeaStatus.IN_REVIEW}"]'))
    journey.see(editor, "editor-in-review")
    assert Idea.objects.get(title=TITLE).status == IdeaStatus.IN_REVIEW

    click(editor.locator(f'a[href$="/idea-calls/{call.pk}/jury/"]').first)
    journey.see(editor, "editor-jury")
    editor.locator('input[name="email"]').fill(JUROR)
    click(editor.locator('form[action$="/jury/add/"] button[type="submit"]'))
    text = journey.see(editor, "editor-juror-added")
    assert JUROR in text
    mail.outbox.clear()
    click(editor.locator('form[action$="/jury/assign/"] button[type="submit"]'))
    report = editor.locator("#assignment-report").locator("xpath=..")
    assert report.is_visible()
    persian_only(report.inner_text())
    journey.see(editor, "editor-reviews-assigned")


def juror_scores(make_page, url, idea, journey):
    [email] = [message for message in mail.outbox if JUROR in message.to]
    for part in (email.subject, email.body):
        assert re.search(r"[\u0600-\u06ff]", part), part
        for syntax in TEMPLATE_SYNTAX:
            assert syntax not in part
    assert f"{url}/ideas/jury/" in email.body

    juror, outside = sign_in(make_page, url, JUROR)
    journey.see(juror, "juror-signed-in")
    click(juror.locator(".account-menu").locator('a[href$="/ideas/jury/"]'))
    text = journey.see(juror, "juror-my-reviews")
    assert TITLE in text
    click(juror.get_by_role("link", name=TITLE))
    text = journey.see(juror, "juror-review")
    assert SUMMARY in text
    author = idea.authors.get().person
    assert author.get_full_name() not in text, "blind review shows the author"
    for key, score in SCORES.items():
        juror.locator(f'[name="score-{stable_id("criterion", key)}"]').fill(score)
    juror.locator('textarea[name="comment"]').fill(
        "اجرای پیوسته و مستند؛ نمایشگاه پایانی اثرگذار بود."
    )
    journey.see(juror, "juror-scores-filled")
    click(juror.locator('button[name="action"][value="score"]'))
    text = journey.see(juror, "juror-scores-saved")
    with translation.override("fa"):
        saved = gettext("Your scores are saved. You can change them while the review is open.")
    assert saved in text
    persian_only(juror.locator("main").inner_text())
    assert outside.urls == []
    return text


def official_named(make_page, url, call, journey):
    """An administrator names the call's issuing official, choosing the call in the chooser."""
    admin, _ = sign_in_to_admin(make_page, url, "admin@hadaf.test")
    go(admin, f"{url}/admin/snippets/incentives/callsignatory/")
    journey.see(admin, "admin-signatories")
    go(admin, f"{url}/admin/snippets/incentives/callsignatory/add/")
    journey.see(admin, "admin-signatory-new")
    admin.locator("[data-chooser-action-choose]").first.click()
    modal = admin.locator(".modal-content")
    modal.locator('input[name="q"]').fill(call.title[:20])
    link = modal.get_by_role("link", name=call.title).first
    link.wait_for(state="visible")
    link.click()
    modal.wait_for(state="hidden")
    admin.locator("#id_signatory_name").fill(OFFICIAL)
    admin.locator("#id_signatory_title").fill(OFFICIAL_TITLE)
    click(admin.locator('form button[type="submit"]').filter(has_text=re.compile("ذخیره")).first)
    text = journey.see(admin, "admin-signatory-saved")
    assert OFFICIAL in text
    signatory = CallSignatory.objects.get()
    assert signatory.call_key == call.translation_key
    assert (signatory.signatory_name, signatory.signatory_title) == (OFFICIAL, OFFICIAL_TITLE)


def editor_picks_the_winner(editor, url, call, journey):
    click(editor.locator(f'a[href$="/idea-calls/{call.pk}/ranking/"]').first)
    text = journey.see(editor, "editor-ranking")
    assert TITLE in text
    click(editor.get_by_role("link", name=TITLE).first)
    click(editor.locator(f'button[name="to"][value="{IdeaStatus.SHORTLISTED}"]'))
    journey.see(editor, "editor-shortlisted")
    click(editor.locator(f'button[name="to"][value="{IdeaStatus.WINNER}"]'))
    journey.see(editor, "editor-winner")


def footer_action(page, selector):
    """A footer action of the page editor, opening its menu if it is folded away."""
    button = page.locator(selector)
    if not button.is_visible():
        page.locator(".w-dropdown-button", has=button).locator(
            '[data-w-dropdown-target="toggle"]'
        ).click()
    return button


def workflow_email_is_persian(message, url):
    """A workflow email: Persian, no template syntax, links to the site's configured address."""
    for part in (message.subject, message.body):
        assert PERSIAN_LETTERS.search(part), part
        assert not any(syntax in part for syntax in TEMPLATE_SYNTAX), part
    for english in ("has been submitted", "moderation stage", "Hello", "notification"):
        assert english not in message.body, english
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith(f"{url}/") for link in links), links


def editor_announces_the_winners(editor, make_page, url, call, journey):
    """The outcome ("you said, we did"), written in Jalali and sent for a moderator's approval."""
    click(editor.locator(f'a[href$="/admin/pages/{call.pk}/edit/"]').first)
    editor.get_by_role("tab", name=re.compile("مشارکت")).first.click()
    outcome = editor.locator('[data-contentpath="outcome"] [role="textbox"]')
    outcome.click()
    outcome.press_sequentially(OUTCOME)
    when = editor.get_by_label(re.compile("زمان انتشار پیامد"))
    when.focus()
    editor.keyboard.press("Escape")
    today = jdatetime.date.fromgregorian(date=timezone.now().astimezone(TEHRAN).date())
    when.press("Control+a")
    when.press_sequentially(to_persian_digits(f"{today:%Y/%m/%d} 00:01"))
    when.press("Tab")
    journey.see(editor, "editor-outcome-written", axe=False)
    mail.outbox.clear()
    with editor.expect_navigation():
        footer_action(editor, 'button[name="action-submit"]').click()
    editor.wait_for_load_state("networkidle")
    journey.see(editor, "editor-outcome-submitted", axe=False)
    asked = [message for message in mail.outbox if "moderator@hadaf.test" in message.to]
    assert asked, [message.to for message in mail.outbox]
    for message in asked:
        workflow_email_is_persian(message, url)

    moderator, _ = sign_in_to_admin(make_page, url, "moderator@hadaf.test")
    go(moderator, f"{url}/admin/pages/{call.pk}/edit/")
    journey.see(moderator, "moderator-reviews-outcome", axe=False)
    mail.outbox.clear()
    approve = footer_action(
        moderator, "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    with moderator.expect_navigation():
        approve.click()
    moderator.wait_for_load_state("networkidle")
    journey.see(moderator, "moderator-approved-outcome", axe=False)
    approved = [message for message in mail.outbox if "editor@hadaf.test" in message.to]
    assert approved, [message.to for message in mail.outbox]
    for message in approved:
        workflow_email_is_persian(message, url)


def test_a_juror_scores_and_the_winner_downloads_a_certificate(
    seeded_site, make_page, journey, settings, tmp_path
):
    settings.WAGTAILADMIN_BASE_URL = seeded_site.url
    url = seeded_site.url
    call = closed(IdeaCallPage.objects.get(slug=OPEN_CALL_SLUG, locale__language_code="fa"))
    juror_account = get_user_model().objects.get(email=JUROR)
    author = an_author_for(juror_account)
    idea = a_submitted_experience(call, author)
    a_winners_certificate_rule(call)

    editor, editor_outside = sign_in_to_admin(make_page, url, "editor@hadaf.test")
    editor_takes_it_to_the_jury(editor, url, call, journey)
    assert JuryMember.objects.filter(call_key=call.call_key, person=juror_account).exists()
    [assignment] = idea.reviews.all()
    assert assignment.reviewer == juror_account

    juror_scores(make_page, url, idea, journey)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SCORED
    stored = dict(assignment.scores.values_list("criterion_id", "score"))
    assert stored == {
        stable_id("criterion", key): PERSIAN_DIGITS.index(score) for key, score in SCORES.items()
    }
    assert assignment.comment.startswith("اجرای پیوسته")

    official_named(make_page, url, call, journey)
    editor_picks_the_winner(editor, url, call, journey)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WINNER
    editor_announces_the_winners(editor, make_page, url, call, journey)
    call.refresh_from_db()
    assert call.live and not call.has_unpublished_changes
    assert OUTCOME in call.outcome and call.outcome_published_at <= timezone.now()
    certificate = Certificate.objects.get(
        award__recipient_user=author, award__call_key=call.translation_key
    )
    assert certificate.is_ready

    winner, winner_outside = sign_in(make_page, url, author.email)
    go(winner, url + call.url)
    text = journey.see(winner, "winner-reads-the-outcome")
    assert OUTCOME in text
    click(winner.locator(".account-menu").locator('a[href$="/dashboard/"]'))
    journey.see(winner, "winner-dashboard")
    card = winner.locator(".dashboard-card--certificate", has_text=call.title)
    assert card.is_visible()
    # Persian digits throughout, but for the certificate's code (Latin letters and digits).
    persian_only(card.inner_text().replace(certificate.display_code, ""))
    with winner.expect_download() as download:
        card.locator(f'a[href$="/{certificate.display_code}/pdf/"]').click()
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    pdf = PdfReader(path)
    pdf_text = readable("\n".join(page.extract_text() for page in pdf.pages))
    issued = format_date(certificate.issued_on, "fa")  # e.g. «۱۶ آذر ۱۴۰۵»
    assert " ".join(issued.replace(ZWNJ, "").split()) in pdf_text, pdf_text
    assert re.search(r"۱۴۰[۵-۹]", pdf_text)
    assert not LATIN_DIGIT.search(issued)
    assert OFFICIAL in pdf_text and OFFICIAL_TITLE.replace(ZWNJ, "") in pdf_text
    assert " ".join(call.title.replace(ZWNJ, "").split()) in pdf_text
    assert editor_outside.urls == [] and winner_outside.urls == []
