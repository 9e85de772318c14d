"""A student's journey on a 375 px phone (issue 17): sign up, confirm by the emailed link,
answer every step of the open survey, see the thanks and the dashboard, cannot answer twice.

Through the UI only; the ORM is read at the end to check what was stored. The confirmation
email is read from ``mail.outbox``: the live server runs in this process (locmem backend).
"""

import datetime
import re

from django.core import mail

from participation.submissions.models import Submission
from participation.surveys.demo import OPEN_SURVEY_SLUG, stable_id
from tests.journeys.conftest import LATIN_DIGIT, PHONE

EMAIL = "neda.sadeghi@ut.ac.ir"
PASSWORD = "Hafez-Divan-1404-ghazal"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[-:\w]+/")
SURVEY_TITLE = "سنجش نگرش دانشجویان به برنامه‌های فرهنگی دانشگاه"
FORM_HEADING = "در این نظرسنجی شرکت کنید"
INTERESTS = (0, 2)  # choice numbers ticked
RANKS = ["2", "3", "1", "5", "4"]  # rank given to each priority, in order
MATRIX = ["4", "2", "3", "5"]  # point given to each statement, in order


def field(code, row=None):
    """The form field name of the seeded open survey's question ``code`` (and matrix row)."""
    name = f"q_{stable_id(OPEN_SURVEY_SLUG, code)}"
    if row is not None:
        name += f"__{stable_id(OPEN_SURVEY_SLUG, f'{code}:rows', str(row))}"
    return name


def choice(code, index):
    """The submitted value of the seeded question ``code``'s choice number ``index``."""
    return stable_id(OPEN_SURVEY_SLUG, f"{code}:choices", str(index))


def go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def click(locator):
    locator.click()
    locator.page.wait_for_load_state("networkidle")


def pick(page, name, value):
    """Tick the radio or checkbox ``name`` = ``value`` by its label, as a thumb would."""
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    assert box.is_checked()


def sign_up(page, site, journey):
    go(page, site.url + "/")
    journey.see(page, "home")
    click(page.locator(".account-menu").get_by_role("link", name="ثبت‌نام"))
    journey.see(page, "signup")
    page.locator("#id_first_name").fill("ندا")
    page.locator("#id_last_name").fill("صادقی")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("label[for='id_role_0']").click()
    page.locator("#id_university").select_option(label="دانشگاه تهران")
    click(page.get_by_role("button", name="ثبت‌نام"))
    assert page.locator("h1").inner_text() == "ایمیلتان را ببینید"
    journey.see(page, "check-your-email")


def confirm_email(page, site, journey):
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = CONFIRM_LINK.search(message.body).group(0)
    assert link.startswith(site.url + "/")
    go(page, link)
    journey.see(page, "confirm-email")
    click(page.get_by_role("button", name="تأیید"))
    text = journey.see(page, "confirmed")
    assert "ندا صادقی" in page.locator(".account-menu__name").inner_text()
    # The confirmation is said on the page it lands on, not on a later one.
    assert f"نشانی ایمیل شما، {EMAIL}، تأیید شد." in text


def open_survey(page, site, journey):
    go(page, site.url + "/")
    click(page.get_by_role("link", name=SURVEY_TITLE).first)
    text = journey.see(page, "survey")
    if "نمایه" in text and page.locator(f'[name="{field("consent")}"]').count() == 0:
        raise AssertionError("the survey asks for a profile first")  # not so in the seed
    assert page.locator("progress.survey-progress__bar").get_attribute("value") == "1"


def step_about_you(page, journey):
    page.locator(f"#id_{field('consent')}").check()
    pick(page, field("level"), choice("level", 0))
    page.locator(f"#id_{field('field')}").fill("مهندسی کامپیوتر")
    page.locator(f"#id_{field('age')}").fill("۲۱")
    pick(page, field("dorm"), choice("dorm", 0))
    # «بله» to the dormitory brings its follow-up question into view.
    dorm_space = page.locator(f"#id_{field('dorm_space')}")
    dorm_space.wait_for(state="visible")
    dorm_space.select_option(choice("dorm_space", 1))
    journey.see(page, "step-1-answered")
    click(page.locator('button[value="next"]'))


def step_taking_part(page, journey):
    assert page.locator("progress.survey-progress__bar").get_attribute("value") == "2"
    pick(page, field("frequency"), choice("frequency", 1))  # «۱ تا ۳ بار»: barriers appear
    for index in INTERESTS:
        pick(page, field("interests"), choice("interests", index))
    barriers = page.locator(f'input[name="{field("barriers")}"]').first
    barriers.wait_for(state="visible")
    pick(page, field("barriers"), choice("barriers", 1))
    page.locator(f"#id_{field('last_event')}").fill("۱۴۰۵/۰۸/۲۰")
    page.locator(f"#id_{field('hours')}").fill("۴")
    for index, rank in enumerate(RANKS):
        page.locator(f"#id_{field('priorities')}__{choice('priorities', index)}").select_option(
            rank
        )
    journey.see(page, "step-2-answered")
    click(page.locator('button[value="next"]'))


def step_assessment(page, journey):
    assert page.locator("progress.survey-progress__bar").get_attribute("value") == "3"
    pick(page, field("meets_needs"), "4")
    pick(page, field("formality"), "2")
    pick(page, field("informed"), "5")
    pick(page, field("voice"), "3")
    for row, value in enumerate(MATRIX):
        pick(page, field("quality", row), value)
    pick(page, field("recommend"), "8")
    pick(page, field("satisfaction"), "7")
    page.locator(f"#id_{field('suggestion')}").fill("برنامه‌ها را عصرها برگزار کنید.")
    journey.see(page, "step-3-answered")
    click(page.locator('button[value="submit"]'))


def test_a_student_signs_up_on_a_phone_and_answers_the_open_survey(
    seeded_site, make_page, journey, settings
):
    # Emailed links are built on the configured site address: here, the live server's.
    settings.WAGTAILADMIN_BASE_URL = seeded_site.url
    mail.outbox.clear()
    page, outside = make_page(**PHONE)
    sign_up(page, seeded_site, journey)
    confirm_email(page, seeded_site, journey)
    open_survey(page, seeded_site, journey)
    step_about_you(page, journey)
    step_taking_part(page, journey)
    step_assessment(page, journey)

    thanks = page.locator("#survey-thanks")
    assert thanks.is_visible()
    text = journey.see(page, "thanks")
    assert "سپاسگزاریم!" in thanks.inner_text()
    assert not LATIN_DIGIT.search(thanks.inner_text())
    # The invitation to take part is gone once the person has taken part.
    assert FORM_HEADING not in text

    go(page, seeded_site.url + "/dashboard/")
    dashboard = journey.see(page, "dashboard")
    assert SURVEY_TITLE in dashboard

    click(page.get_by_role("link", name=SURVEY_TITLE).first)
    again = journey.see(page, "survey-again")
    assert "پاسخ شما پیش‌تر دریافت شده است." in again
    assert page.locator(f'[name="{field("consent")}"]').count() == 0
    assert outside.urls == []

    [submission] = Submission.objects.filter(call__slug=OPEN_SURVEY_SLUG, participant__email=EMAIL)
    assert submission.participant.email == EMAIL
    stored = stored_answers(submission)
    assert stored.pop(("consent", None))  # agreed, whatever the column
    assert stored == expected_answers()


def stored_answers(submission):
    """``{(question code, row or choice): value}`` of what ``submission`` stored."""
    codes = {stable_id(OPEN_SURVEY_SLUG, code): code for code in ANSWERED}
    rows = {stable_id(OPEN_SURVEY_SLUG, "quality:rows", str(row)): row for row in range(4)}
    stored = {}
    for answer in submission.answers.all():
        code = codes[answer.question_id]
        key = rows[answer.row_id] if answer.row_id else answer.choice_id or None
        if code in {"level", "dorm", "dorm_space", "frequency"}:
            key = None
        value = answer.text or answer.date or answer.number
        if code in {"level", "dorm", "dorm_space", "frequency", "interests", "barriers"}:
            value = answer.choice_id
        stored[(code, key)] = value
    return stored


ANSWERED = [
    "consent", "level", "field", "age", "dorm", "dorm_space", "frequency", "interests",
    "barriers", "last_event", "hours", "priorities", "meets_needs", "formality", "informed",
    "voice", "quality", "recommend", "satisfaction", "suggestion",
]  # fmt: skip


def expected_answers():
    """What the student chose above, as :func:`stored_answers` reads it."""
    expected = {
        ("level", None): choice("level", 0),
        ("field", None): "مهندسی کامپیوتر",
        ("age", None): 21,
        ("dorm", None): choice("dorm", 0),
        ("dorm_space", None): choice("dorm_space", 1),
        ("frequency", None): choice("frequency", 1),
        ("barriers", choice("barriers", 1)): choice("barriers", 1),
        ("last_event", None): datetime.date(2026, 11, 11),  # ۱۴۰۵/۰۸/۲۰
        ("hours", None): 4,
        ("meets_needs", None): 4,
        ("formality", None): 2,
        ("informed", None): 5,
        ("voice", None): 3,
        ("recommend", None): 8,
        ("satisfaction", None): 7,
        ("suggestion", None): "برنامه‌ها را عصرها برگزار کنید.",
    }
    for index in INTERESTS:
        expected[("interests", choice("interests", index))] = choice("interests", index)
    for index, rank in enumerate(RANKS):
        expected[("priorities", choice("priorities", index))] = int(rank)
    for row, point in enumerate(MATRIX):
        expected[("quality", row)] = int(point)
    return expected
