"""Feeds of the calls of one language: an iCalendar of deadlines and an Atom feed of news.

Both list only live, public (not view-restricted) call pages of the URL's language and
never anything about individual responses.

* ``calls.ics``: one event per call with a closing time, placed *at* the deadline and
  zero-length (RFC 5545: a DTSTART without DTEND ends when it starts). A call open for
  weeks drawn from opening to closing would fill every day of a month view and the
  all-day strip of a week view, in Google, Apple and Outlook calendars alike, and hide
  the one moment that matters, the deadline's hour; the opening time is in the
  description instead. Times are UTC, which every calendar converts to its own zone.
* ``calls.atom``: an entry when a call is published, and one per outcome: "you said,
  we did" published (``outcome_published_at``), a survey's results made public, a
  draft's round closed with its decisions (``DraftRound.closed_at``), an idea call's
  winners announced (the latest award in its submissions' workflow). Survey results
  have no timestamp of their own: their entry is dated by the first publication of a
  revision with the results public (the page's log), so a later republish does not
  announce them again.
* The calendar lists open and upcoming calls only; a passed deadline drops out.

Query counts do not grow with the number of calls: each call model is read once, and
rounds, awards and the festival page once each.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Max, Min
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from common.caching import short_lived
from participation.choices import CallKind, CallState, ResultsVisibility
from participation.drafts.models import DraftRound
from participation.ideas.choices import AWARDED_STATUSES
from participation.ideas.models import IdeaEvent
from participation.persian import format_date, localize_digits

from .models import FestivalPage, IdeaCallPage, RegulationDraftPage, SurveyCampaignPage

ATOM_ENTRY_LIMIT = 50
SUMMARY_WORDS = 60
CALENDAR_REFRESH = datetime.timedelta(hours=6)
# Stable ids of feed entries and calendars are name-based UUIDs under this namespace.
FEED_NAMESPACE = uuid.UUID("6f1c2a0e-4a47-5c39-9d0b-7a1e3b9c8d21")


# --- Reading the calls -----------------------------------------------------------------


def call_models():
    """The call page types, in the order their calls are listed."""
    return (SurveyCampaignPage, RegulationDraftPage, IdeaCallPage)


def public_calls(language):
    """The live, public call pages of ``language``: one query per call type.

    StreamFields (questions, draft text) are not loaded; the feeds never show them.
    """
    return [
        page
        for model in call_models()
        for page in model.objects.live()
        .public()
        .filter(locale__language_code=language)
        .select_related("locale")
        .defer_streamfields()
        .order_by("pk")
    ]


def absolute_url(request, page, suffix=""):
    """The page's URL (plus a route ``suffix``) on the host the request came to."""
    return request.build_absolute_uri(page.get_url(request) + suffix)


def plain_text(html, words=SUMMARY_WORDS):
    """Rich text as a short plain-text summary."""
    return Truncator(" ".join(strip_tags(html or "").split())).words(words, truncate=" …")


def quoted(title):
    """A title between the language's quotation marks (« » in Persian, “ ” otherwise)."""
    return _("“%(title)s”") % {"title": title}


def local_time(value):
    """A date and time in the site's time zone, named, in the active language."""
    text = format_date(value, with_time=True)
    zone = timezone.get_current_timezone_name()
    zone_name = _("Tehran time") if zone == "Asia/Tehran" else zone
    return _("%(date)s (%(zone)s)") % {"date": text, "zone": zone_name}


def schedule_text(page):
    """When the call is open, in words: Jalali dates in Persian, Gregorian in English."""
    lines = []
    if page.opens_at:
        lines.append(_("Opens: %(date)s") % {"date": local_time(page.opens_at)})
    if page.closes_at:
        lines.append(_("Closes: %(date)s") % {"date": local_time(page.closes_at)})
    return lines


# --- iCalendar -------------------------------------------------------------------------


def deadline_event(request, page, language):
    """One zero-length event at the call's closing time (see the module docstring)."""
    kind = CallKind(page.call_kind).label
    url = absolute_url(request, page)
    description = "\n".join(
        [
            f"{kind}: {page.title}",
            *schedule_text(page),
            plain_text(page.intro),
            url,
        ]
    ).replace("\n\n", "\n")
    stamp = page.last_published_at or page.first_published_at
    event = Event.new(
        uid=f"call-{page.translation_key}-{language}@{request.get_host().split(':')[0]}",
        stamp=stamp,
        last_modified=stamp,
        start=page.closes_at.astimezone(datetime.UTC),
        summary=_("Deadline: %(title)s") % {"title": page.title},
        description=description,
        url=url,
        categories=[str(kind)],
        transparency="TRANSPARENT",
    )
    return event


def deadlines_calendar(request, language):
    """The calendar of the deadlines of ``language``'s public calls.

    Args:
        request: the request, for the host and the pages' URLs.
        language: a language code ("fa", "en").

    Returns:
        icalendar.Calendar: one event per live, public call with a closing time.
    """
    host = request.get_host()
    calendar = Calendar.new(
        prodid=f"-//Hadaf//Call deadlines//{language.upper()}",
        name=_("Hadaf: call deadlines"),
        description=_("Closing times of the open and upcoming calls on Hadaf."),
        uid=uuid.uuid5(FEED_NAMESPACE, f"{host}/calendar/{language}"),
        url=request.build_absolute_uri(),
        refresh_interval=CALENDAR_REFRESH,
        calscale="GREGORIAN",
    )
    calendar["X-PUBLISHED-TTL"] = "PT6H"  # Outlook's older spelling of REFRESH-INTERVAL.
    now = timezone.now()
    for page in public_calls(language):
        # Open and upcoming calls only, as the calendar's description says: a deadline
        # that has passed is no longer anything to put in a diary.
        if page.closes_at is not None and page.closes_at > now:
            calendar.add_component(deadline_event(request, page, language))
    return calendar


def calls_calendar(request):
    """``feeds/calls.ics``: the deadlines calendar of the URL's language."""
    language = translation.get_language()
    calendar = deadlines_calendar(request, language)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="hadaf-calls-{language}.ics"'
    return short_lived(response)


# --- Atom ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One Atom entry: a new call or one of its outcomes."""

    key: str  # what the entry announces: "call", "outcome", "results", "round-2", "winners"
    page: object
    title: str
    link: str
    summary: str
    date: datetime.datetime
    category: str

    @property
    def guid(self):
        """A stable id: the same entry keeps it whatever the page's URL becomes."""
        identity = f"{self.page.translation_key}/{self.page.locale.language_code}/{self.key}"
        return uuid.uuid5(FEED_NAMESPACE, identity).urn


def new_call_entry(request, page):
    """The entry announcing a call, dated by its first publication."""
    kind = CallKind(page.call_kind).label
    return FeedEntry(
        key="call",
        page=page,
        title=_("New call: %(title)s") % {"title": quoted(page.title)},
        link=absolute_url(request, page),
        summary=" ".join([*schedule_text(page), plain_text(page.intro)]).strip(),
        date=page.first_published_at,
        category=str(kind),
    )


def outcome_entry(request, page):
    """ "You said, we did": the outcome text, dated when the editor published it."""
    return FeedEntry(
        key="outcome",
        page=page,
        title=_("Outcome published: %(title)s") % {"title": quoted(page.title)},
        link=absolute_url(request, page),
        summary=" ".join(
            [
                _("Published on %(date)s.") % {"date": format_date(page.outcome_published_at)},
                plain_text(page.outcome),
            ]
        ).strip(),
        date=page.outcome_published_at,
        category=str(CallState.OUTCOME_PUBLISHED.label),
    )


def results_entry(request, page, published_at=None):
    """A survey's aggregate results made public, dated when they first were.

    Args:
        published_at: the first publication of the page with its results public
            (:func:`results_first_published`); the page's last publication without it.
    """
    return FeedEntry(
        key="results",
        page=page,
        title=_("Results published: %(title)s") % {"title": quoted(page.title)},
        link=absolute_url(request, page, "results/"),
        summary=_("The aggregate results of the survey are public."),
        date=published_at or page.last_published_at,
        category=str(CallKind.SURVEY.label),
    )


def decisions_entry(request, page, round_number, closed_at):
    """A draft's round closed: the decisions on its clauses are public."""
    return FeedEntry(
        key=f"round-{round_number}",
        page=page,
        title=_("Decisions published: %(title)s, round %(round)s")
        % {"title": quoted(page.title), "round": localize_digits(round_number)},
        link=absolute_url(request, page, f"?round={round_number}"),
        summary=_("Round %(round)s closed on %(date)s; the decision on each clause is public.")
        % {"round": localize_digits(round_number), "date": format_date(closed_at)},
        date=closed_at,
        category=str(CallKind.DRAFT.label),
    )


def winners_entry(request, page, announced_at, festival_url):
    """An idea call's winners and honourable mentions announced."""
    link = (
        f"{festival_url}{page.festival_year}/"
        if festival_url and page.festival_year
        else absolute_url(request, page, "gallery/")
    )
    return FeedEntry(
        key="winners",
        page=page,
        title=_("Winners announced: %(title)s") % {"title": quoted(page.title)},
        link=link,
        summary=_("The winners and honourable mentions were announced on %(date)s.")
        % {"date": format_date(announced_at)},
        date=announced_at,
        category=str(CallKind.IDEA.label),
    )


def closed_rounds(calls, now):
    """``{call_key: [(round number, closed_at), ...]}`` of the drafts' closed rounds."""
    keys = [page.translation_key for page in calls if page.call_kind == CallKind.DRAFT]
    rounds = {}
    if not keys:
        return rounds
    closed = DraftRound.objects.filter(
        call_key__in=keys, closed_at__isnull=False, closed_at__lte=now
    ).values_list("call_key", "number", "closed_at")
    for call_key, number, closed_at in closed:
        rounds.setdefault(call_key, []).append((number, closed_at))
    return rounds


def results_first_published(calls):
    """``{page id: when a revision with its results public was first published}``.

    Read from the pages' publication log (one query), so republishing the page later
    (a typo fixed in the intro) does not move the "results published" entry to the top
    of the feed again.
    """
    from wagtail.models import PageLogEntry

    ids = [
        page.pk
        for page in calls
        if page.call_kind == CallKind.SURVEY and getattr(page, "results_published", False)
    ]
    if not ids:
        return {}
    first = (
        PageLogEntry.objects.filter(
            page_id__in=ids,
            action="wagtail.publish",
            revision__content__results_published=True,
        )
        .values("page_id")
        .annotate(first=Min("timestamp"))
        .values_list("page_id", "first")
    )
    return dict(first)


def awards_announced(calls, now):
    """``{call_key: when the latest winner or mention was decided}`` of the idea calls."""
    keys = [page.translation_key for page in calls if page.call_kind == CallKind.IDEA]
    if not keys:
        return {}
    latest = (
        IdeaEvent.objects.filter(
            idea__call_key__in=keys,
            idea__status__in=AWARDED_STATUSES,
            to_status__in=AWARDED_STATUSES,
            at__lte=now,
        )
        .values("idea__call_key")
        .annotate(latest=Max("at"))
        .values_list("idea__call_key", "latest")
    )
    return dict(latest)


def festival_url(request, language, calls):
    """The absolute URL of ``language``'s festival page, when an idea call may need it."""
    if not any(page.call_kind == CallKind.IDEA and page.festival_year for page in calls):
        return None
    festival = (
        FestivalPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .select_related("locale")
        .first()
    )
    return absolute_url(request, festival) if festival else None


def feed_entries(request, language, limit=ATOM_ENTRY_LIMIT, now=None):
    """The Atom entries of ``language``'s public calls, newest first.

    Args:
        request: the request, for the host and the pages' URLs.
        language: a language code ("fa", "en").
        limit: at most this many entries.
        now: the moment to judge at; outcomes dated later are not out yet.

    Returns:
        list[FeedEntry]: new calls and outcomes, at most ``limit``.
    """
    now = now or timezone.now()
    calls = public_calls(language)
    rounds = closed_rounds(calls, now)
    awards = awards_announced(calls, now)
    festival = festival_url(request, language, calls)
    results_dates = results_first_published(calls)
    entries = []
    for page in calls:
        if page.first_published_at:
            entries.append(new_call_entry(request, page))
        if page.call_state == CallState.OUTCOME_PUBLISHED:
            entries.append(outcome_entry(request, page))
        if (
            page.call_kind == CallKind.SURVEY
            and page.results_published
            and page.results_visibility != ResultsVisibility.NEVER
            and page.last_published_at
        ):
            entries.append(results_entry(request, page, results_dates.get(page.pk)))
        for number, closed_at in rounds.get(page.translation_key, ()):
            entries.append(decisions_entry(request, page, number, closed_at))
        if page.translation_key in awards:
            entries.append(winners_entry(request, page, awards[page.translation_key], festival))
    entries.sort(key=lambda entry: (entry.date, entry.guid), reverse=True)
    return entries[:limit]


@dataclass(frozen=True)
class FeedContext:
    language: str
    home_url: str
    feed_url: str
    entries: list


class CallNewsFeed(Feed):
    """``feeds/calls.atom``: new calls and their outcomes in the URL's language."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        return short_lived(super().__call__(request, *args, **kwargs))

    def get_object(self, request, *args, **kwargs):
        language = translation.get_language()
        home = reverse("wagtail_serve", args=("",))
        return FeedContext(
            language=language,
            home_url=request.build_absolute_uri(home),
            feed_url=request.build_absolute_uri(request.path),
            entries=feed_entries(request, language),
        )

    def title(self, obj):
        return _("Hadaf: new calls and outcomes")

    def subtitle(self, obj):
        return _(
            "Calls for participation of the Cultural and Social Deputy, and what came of them."
        )

    def link(self, obj):
        return obj.home_url

    def feed_guid(self, obj):
        return obj.feed_url

    def author_name(self, obj):
        # Atom wants an author for the feed when its entries have none.
        return _("Cultural and Social Deputy, Ministry of Science, Research and Technology")

    def author_link(self, obj):
        return obj.home_url

    def items(self, obj):
        return obj.entries

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is type="html": plain text is escaped once more for the reader, or
        # a title like "<img onerror=…>" would be live HTML there.
        return escape(item.summary)

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_categories(self, item):
        return [item.category]
