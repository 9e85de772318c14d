"""Feeds of calls per locale: iCalendar deadlines and Atom news."""

urlpatterns = []
