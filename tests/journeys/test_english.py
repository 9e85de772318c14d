"""The same journey in English (issue 17): a visitor switches language on a call page and
on the festival page, reaches the English call, answers it as a signed-in participant with
the English questions, left to right, and finds the contribution and notifications in
English on the dashboard."""

import re

from django.contrib.auth import get_user_model

from participation.dashboard.models import Notification
from participation.people.demo import demo_password
from participation.persian import written_language
from participation.submissions.models import Submission
from participation.surveys.demo import OPEN_SURVEY_SLUG

PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")


def english_page(page):
    """The page is English, left to right."""
    html = page.locator("html")
    assert html.get_attribute("lang") == "en" and html.get_attribute("dir") == "ltr"


def switch_to_english(page):
    with page.expect_navigation():
        page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    english_page(page)


def a_participant_with_notifications():
    """A seeded participant (demo password) with notifications and no answer yet (read only)."""
    answered = Submission.objects.exclude(participant=None).values("participant")
    people = get_user_model().objects.filter(
        email__endswith="@hadaf.test", is_staff=False, pk__in=Notification.objects.values("person")
    )
    return people.exclude(pk__in=answered).order_by("email").first()


def answer_the_step(page):
    """Answer every question of the step shown, as a participant would."""
    form = page.locator("form", has=page.locator('[name^="q_"]')).first
    for name in sorted(
        set(form.locator('input[type="radio"]').evaluate_all("inputs => inputs.map(i => i.name)"))
    ):
        form.locator(f'input[type="radio"][name="{name}"]').first.check()
    for name in sorted(
        set(
            form.locator('input[type="checkbox"]').evaluate_all("inputs => inputs.map(i => i.name)")
        )
    ):
        form.locator(f'input[type="checkbox"][name="{name}"]').first.check()
    for field in form.locator('input[inputmode="decimal"]:visible').all():
        field.fill(field.get_attribute("min") or "20")
    for field in form.locator(
        'input[type="text"][required]:not([inputmode]):visible, textarea[required]:visible'
    ).all():
        field.fill("More evening programmes, please.")
    selects = form.locator("select:visible").all()
    for rank, select in enumerate(selects, start=1):
        options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        values = [value for value in options if value]
        select.select_option(values[min(rank, len(values)) - 1])


def test_a_participant_takes_part_in_english(seeded_site, make_page, journey):
    url = seeded_site.url
    page, outside = make_page(width=1280, height=900, locale="en-GB")

    # The festival page and a call page each switch to their English translation.
    page.goto(f"{url}/festival/")
    journey.see(page, "festival-persian")
    switch_to_english(page)
    assert page.url == f"{url}/en/festival/"
    text = journey.see(page, "festival-english", persian=False)
    assert "festival" in text.lower()

    page.goto(f"{url}/calls/{OPEN_SURVEY_SLUG}/")
    journey.see(page, "call-persian")
    switch_to_english(page)
    assert page.url == f"{url}/en/calls/{OPEN_SURVEY_SLUG}/"
    text = journey.see(page, "call-english", persian=False)
    assert "Students' attitudes to the university's cultural programmes" in text

    # Signs in, in English, and comes back to the call.
    person = a_participant_with_notifications()
    assert person is not None
    page.goto(f"{url}/en/accounts/login/?next=/en/calls/{OPEN_SURVEY_SLUG}/")
    journey.see(page, "sign-in-english", persian=False)
    page.locator("#id_login").fill(person.email)
    page.locator("#id_password").fill(demo_password())
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")
    english_page(page)
    assert page.url.endswith(f"/en/calls/{OPEN_SURVEY_SLUG}/"), page.url
    text = journey.see(page, "questions-english", persian=False)
    assert "Your level of study or position" in text
    assert not PERSIAN_LETTERS.search(
        page.locator("form", has=page.locator('[name^="q_"]')).first.inner_text()
    )

    for step in range(1, 6):
        answer_the_step(page)
        journey.see(page, f"step-{step}-answered", persian=False)
        button = page.locator('button[value="submit"], button[value="next"]').first
        finishing = button.get_attribute("value") == "submit"
        with page.expect_navigation():
            button.click()
        page.wait_for_load_state("networkidle")
        english_page(page)
        errors = page.locator("#survey-errors")
        assert not errors.is_visible(), errors.inner_text()
        if finishing:
            break
    assert page.locator("#survey-thanks").is_visible()
    journey.see(page, "thanks-english", persian=False)

    page.goto(f"{url}/en/dashboard/")
    text = journey.see(page, "dashboard-english", persian=False)
    assert "My contributions" in text and "Notifications" in text
    assert "Students' attitudes to the university's cultural programmes" in text
    # What the site says is in English; a moderator's own reason stays as they wrote it,
    # set in its own direction.
    titles = page.locator(".dashboard-notice__title").all_inner_texts()
    assert titles and not any(PERSIAN_LETTERS.search(title) for title in titles), titles
    for body in page.locator(".dashboard-notice__body").all():
        if written_language(body.inner_text()) == "fa":
            assert (body.get_attribute("lang"), body.get_attribute("dir")) == ("fa", "rtl")
    assert outside.urls == []

    submission = Submission.objects.get(participant=person)
    assert submission.language == "en"
    assert submission.answers.count() > 5
