"""The calls' iCalendar and Atom feeds, per language: the right calls, nothing private."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar
from wagtail.models import Locale, PageViewRestriction

from pages import feeds
from participation.choices import ResultsVisibility
from participation.drafts.models import DraftRound
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import Idea, IdeaEvent
from participation.persian import format_date
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.factories import add_idea_call
from tests.site.query_fixtures import assert_same_queries, measure

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DAY = datetime.timedelta(days=1)


def in_language(language, msgid):
    with translation.override(language):
        return gettext(msgid)


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


def add_survey(parent, **fields):
    page = SurveyCampaignPageFactory.build(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def award(page, title="ایدهٔ برگزیدهٔ محرمانه", at=None):
    idea = Idea.objects.create(
        call=page,
        call_key=page.call_key,
        language="fa",
        kind="idea",
        title=title,
        summary="خلاصه",
        status=IdeaStatus.WINNER,
    )
    event = IdeaEvent.objects.create(
        idea=idea, from_status=IdeaStatus.SHORTLISTED, to_status=IdeaStatus.WINNER
    )
    if at is not None:
        IdeaEvent.objects.filter(pk=event.pk).update(at=at)
    return idea


@pytest.fixture
def world(calls):
    """Public calls of every kind and state, plus a private and an unpublished one."""
    now = timezone.now()
    open_survey = add_survey(calls, title="نظرسنجی باز فرهنگی", slug="open-survey")
    results_survey = add_survey(
        calls,
        title="نظرسنجی با نتایج منتشرشده",
        slug="results-survey",
        opens_at=now - 30 * DAY,
        closes_at=now - 10 * DAY,
        results_visibility=ResultsVisibility.WHEN_PUBLISHED,
        results_published=True,
    )
    decided_draft = add_draft(
        calls,
        slug="decided-draft",
        title="پیش‌نویس با تصمیم‌ها",
        opens_at=now - 40 * DAY,
        closes_at=now - 20 * DAY,
        outcome="<p>پیشنهادهای شما در متن نهایی اعمال شد.</p>",
        outcome_published_at=now - 5 * DAY,
    )
    DraftRound.objects.create(call_key=decided_draft.call_key, number=1, closed_at=now - 15 * DAY)
    DraftRound.objects.create(call_key=decided_draft.call_key, number=2)  # still open
    idea_call = add_idea_call(
        calls,
        slug="idea-call",
        title="فراخوان ایده‌های برگزیده",
        opens_at=now - 60 * DAY,
        closes_at=now - 30 * DAY,
    )
    award(idea_call, at=now - 3 * DAY)
    no_deadline = add_survey(calls, title="نظرسنجی بی‌پایان", slug="endless", closes_at=None)

    private = add_survey(calls, title="نظرسنجی خصوصی", slug="private-survey")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    unpublished = add_draft(calls, slug="unpublished-draft", title="پیش‌نویس منتشرنشده")
    unpublished.unpublish()
    return {
        "open_survey": open_survey,
        "results_survey": results_survey,
        "decided_draft": decided_draft,
        "idea_call": idea_call,
        "no_deadline": no_deadline,
        "private": private,
        "unpublished": unpublished,
    }


@pytest.fixture
def english_survey(world):
    english = Locale.objects.get_or_create(language_code="en")[0]
    page = world["open_survey"].copy_for_translation(english, copy_parents=True)
    page.title = "Cultural programmes survey"
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def read_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def read_atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def entries_of(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


# ---- iCalendar ------------------------------------------------------------------------


def test_the_persian_calendar_has_a_deadline_for_each_public_call(client, world, english_survey):
    calendar = read_calendar(client, "/feeds/calls.ics")
    events = {str(event["URL"]): event for event in calendar.walk("VEVENT")}

    # Open and upcoming calls only: the closed ones' deadlines have passed.
    assert set(events) == {f"http://testserver{world['open_survey'].url}"}
    assert calendar["X-WR-CALNAME"] == in_language("fa", "Hadaf: call deadlines")
    assert calendar["VERSION"] == "2.0"

    survey = world["open_survey"]
    event = events[f"http://testserver{survey.url}"]
    assert event["UID"] == f"call-{survey.translation_key}-fa@testserver"
    assert survey.closes_at.replace(microsecond=0) == event.DTSTART
    assert event.DTSTART.utcoffset() == datetime.timedelta(0)
    assert event["DTSTART"].to_ical().endswith(b"Z")  # UTC, converted by every calendar app.
    assert "DTEND" not in event  # A deadline is a moment, not a span.
    assert event["SUMMARY"] == in_language("fa", "Deadline: %(title)s") % {"title": survey.title}
    assert survey.last_published_at.replace(microsecond=0) == event.DTSTAMP
    # The Jalali dates, in Persian digits, for readers whose calendar app is Gregorian.
    assert format_date(survey.closes_at, "fa", with_time=True) in str(event["DESCRIPTION"])
    assert format_date(survey.opens_at, "fa", with_time=True) in str(event["DESCRIPTION"])
    assert "آذر" in str(event["DESCRIPTION"]) or "۱۴" in str(event["DESCRIPTION"])


def test_the_calendar_lists_upcoming_calls_but_no_closed_ones(client, world, calls):
    now = timezone.now()
    upcoming = add_survey(
        calls, slug="upcoming-survey", opens_at=now + 3 * DAY, closes_at=now + 20 * DAY
    )
    calendar = read_calendar(client, "/feeds/calls.ics")
    urls = {str(event["URL"]) for event in calendar.walk("VEVENT")}
    assert f"http://testserver{upcoming.url}" in urls
    for closed in ("results_survey", "decided_draft", "idea_call"):
        assert f"http://testserver{world[closed].url}" not in urls, closed
    assert calendar["X-WR-CALDESC"] == in_language(
        "fa", "Closing times of the open and upcoming calls on Hadaf."
    )


def test_uids_stay_the_same_between_requests(client, world):
    first = read_calendar(client, "/feeds/calls.ics")
    second = read_calendar(client, "/feeds/calls.ics")
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in second.walk("VEVENT")
    ]
    assert first["UID"] == second["UID"]


def test_the_english_calendar_has_only_english_calls(client, world, english_survey):
    calendar = read_calendar(client, "/en/feeds/calls.ics")
    events = list(calendar.walk("VEVENT"))
    assert [str(event["URL"]) for event in events] == [f"http://testserver{english_survey.url}"]
    assert str(events[0]["URL"]).startswith("http://testserver/en/")
    assert events[0]["SUMMARY"] == "Deadline: Cultural programmes survey"
    assert events[0]["UID"] == f"call-{english_survey.translation_key}-en@testserver"
    # Gregorian dates in English.
    assert format_date(english_survey.closes_at, "en", with_time=True) in str(
        events[0]["DESCRIPTION"]
    )
    assert calendar["X-WR-CALNAME"] == "Hadaf: call deadlines"


# ---- Atom -----------------------------------------------------------------------------


def test_the_persian_atom_feed_announces_calls_and_outcomes(client, world, english_survey):
    feed = read_atom(client, "/feeds/calls.atom")
    assert feed.get(XML_LANG) == "fa"
    assert feed.findtext(f"{ATOM}title") == in_language("fa", "Hadaf: new calls and outcomes")
    entries = entries_of(feed)
    links = {entry["link"] for entry in entries}
    base = "http://testserver"

    for name in ("open_survey", "results_survey", "decided_draft", "idea_call", "no_deadline"):
        assert f"{base}{world[name].url}" in links, name
    assert f"{base}{world['results_survey'].url}results/" in links
    assert f"{base}{world['decided_draft'].url}?round=1" in links
    assert f"{base}{world['decided_draft'].url}?round=2" not in links  # Round 2 is open.
    assert f"{base}{world['idea_call'].url}gallery/" in links  # No festival page.
    assert not any(world["private"].url in link for link in links)
    assert not any(world["unpublished"].url in link for link in links)
    assert not any("/en/" in link for link in links)

    # Each call once as new, plus the outcome, results, round and winners: all distinct ids.
    assert len(entries) == 5 + 4
    assert len({entry["id"] for entry in entries}) == len(entries)
    assert all(entry["id"].startswith("urn:uuid:") for entry in entries)
    updated = [entry["updated"] for entry in entries]
    assert updated == sorted(updated, reverse=True)

    draft = world["decided_draft"]
    outcome = next(
        e for e in entries if e["link"] == f"{base}{draft.url}" and "اعمال شد" in e["summary"]
    )
    assert format_date(draft.outcome_published_at, "fa") in outcome["summary"]
    body = client.get("/feeds/calls.atom").content.decode()
    assert "ایدهٔ برگزیدهٔ محرمانه" not in body  # No individual submission.


def test_results_keep_the_date_they_were_first_published_when_the_page_is_republished(
    client, world
):
    from wagtail.models import PageLogEntry

    survey = world["results_survey"]
    first = timezone.now() - 8 * DAY
    PageLogEntry.objects.filter(page=survey, action="wagtail.publish").update(timestamp=first)
    survey.intro = "<p>غلط تایپی درست شد.</p>"
    survey.save_revision().publish()  # Republished a week later, results unchanged.
    results_url = f"http://testserver{survey.url}results/"
    [entry] = [
        e for e in entries_of(read_atom(client, "/feeds/calls.atom")) if e["link"] == results_url
    ]
    updated = datetime.datetime.fromisoformat(entry["updated"])
    assert abs(updated - first) < datetime.timedelta(seconds=1)


def test_outcome_dated_in_the_future_is_not_out_yet(client, world):
    draft = world["decided_draft"]
    draft.outcome_published_at = timezone.now() + 2 * DAY
    draft.save_revision().publish()
    entries = entries_of(read_atom(client, "/feeds/calls.atom"))
    draft_entries = [e for e in entries if e["link"] == f"http://testserver{draft.url}"]
    assert len(draft_entries) == 1  # Only "new call".


def test_winners_link_to_the_festival_year_when_there_is_a_festival_page(client, world, home_page):
    from pages.models import FestivalPage

    festival = FestivalPage(title="جشنواره", slug="festival")
    home_page.add_child(instance=festival)
    festival.save_revision().publish()
    links = {e["link"] for e in entries_of(read_atom(client, "/feeds/calls.atom"))}
    assert "http://testserver/festival/1405/" in links


def test_the_english_atom_feed_has_only_english_calls(client, world, english_survey):
    feed = read_atom(client, "/en/feeds/calls.atom")
    assert feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{ATOM}title") == "Hadaf: new calls and outcomes"
    entries = entries_of(feed)
    assert [entry["link"] for entry in entries] == [f"http://testserver{english_survey.url}"]
    assert entries[0]["title"] == "New call: “Cultural programmes survey”"
    feed_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert feed_link == "http://testserver/en/feeds/calls.atom"
    assert feed.findtext(f"{ATOM}id") == feed_link
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name").startswith("Cultural and Social")


def test_the_feed_is_limited(rf, world):
    request = rf.get("/feeds/calls.atom")
    with translation.override("fa"):
        entries = feeds.feed_entries(request, "fa", limit=3)
    assert len(entries) == 3


# ---- Links to the feeds ---------------------------------------------------------------


def test_every_page_links_to_the_feeds_in_its_language(client, world, english_survey):
    html = client.get(world["open_survey"].url).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/calls.atom"' in html
    assert 'href="/feeds/calls.ics"' in html
    assert 'href="/developers/api/"' in html

    html = client.get(english_survey.url).content.decode()
    assert 'href="/en/feeds/calls.atom"' in html
    assert 'href="/en/feeds/calls.ics"' in html


# ---- Query counts ---------------------------------------------------------------------


def grow(calls, number):
    """Add ``number`` more calls of every kind, with rounds closed and winners announced."""
    now = timezone.now()
    for index in range(number):
        add_survey(
            calls,
            slug=f"more-survey-{index}",
            results_published=True,
            opens_at=now - 30 * DAY,
            closes_at=now - 10 * DAY,
        )
        draft = add_draft(
            calls,
            slug=f"more-draft-{index}",
            opens_at=now - 30 * DAY,
            closes_at=now - 10 * DAY,
            outcome="<p>اعمال شد.</p>",
            outcome_published_at=now - DAY,
        )
        DraftRound.objects.create(call_key=draft.call_key, number=1, closed_at=now - 12 * DAY)
        idea_call = add_idea_call(calls, slug=f"more-ideas-{index}")
        award(idea_call, title=f"ایده {index}")


@pytest.mark.parametrize("url", ["/feeds/calls.ics", "/feeds/calls.atom"])
def test_feed_queries_do_not_grow_with_the_calls(client, world, calls, url):
    small = measure(client, url)
    grow(calls, 4)
    large = measure(client, url)
    assert large.response.content.count(b"BEGIN:VEVENT") >= small.response.content.count(
        b"BEGIN:VEVENT"
    )
    assert len(large.response.content) > len(small.response.content)
    assert_same_queries("feed", "anonymous", small, large)
