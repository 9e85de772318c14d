"""Feeds of calls per locale: iCalendar deadlines and Atom news (see ``pages.feeds``)."""

from django.urls import path

from participation.impact.feeds import CommitmentUpdatesFeed

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("calls.ics", feeds.calls_calendar, name="calls_calendar"),
    path("calls.atom", feeds.CallNewsFeed(), name="calls_atom"),
    path("commitments.atom", CommitmentUpdatesFeed(), name="commitments_atom"),
]
