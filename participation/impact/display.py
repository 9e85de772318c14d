"""Reading commitments for the public: filters, and the sources each one cites.

Everything here costs a fixed number of queries however many commitments are shown: the
list's related rows are prefetched, and the cited contributions are described by their
apps in one batch per kind (``participation.sources.describe``).
"""

import uuid
from dataclasses import dataclass

from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from participation import sources
from participation.calls import live_calls_by_key
from participation.choices import CallKind
from participation.people.models import University

from .choices import CommitmentStatus
from .models import Commitment


@dataclass(frozen=True)
class Filters:
    """What the reader filtered the tracker by (each empty when not filtered)."""

    status: str = ""
    unit: str = ""
    university: int | None = None
    kind: str = ""
    call: uuid.UUID | None = None

    @classmethod
    def from_query(cls, query):
        """The filters of a query string; values that cannot be right are ignored."""
        status = query.get("status", "")
        kind = query.get("kind", "")
        university = query.get("university", "")
        call = query.get("call", "")
        try:
            call_key = uuid.UUID(call) if call else None
        except ValueError:
            call_key = None
        return cls(
            status=status if status in CommitmentStatus.values else "",
            unit=query.get("unit", "").strip()[:200],
            university=_id_or_none(university),
            kind=kind if kind in CallKind.values else "",
            call=call_key,
        )

    def apply(self, queryset):
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.unit:
            queryset = queryset.filter(responsible_unit=self.unit)
        if self.university is not None:
            queryset = queryset.filter(university_id=self.university)
        if self.kind:
            queryset = queryset.filter(call_kind=self.kind)
        if self.call is not None:
            queryset = queryset.filter(call_key=self.call)
        return queryset

    def query(self, **changes):
        """The query string of these filters with ``changes`` (for links; no page number)."""
        values = {
            "status": self.status,
            "unit": self.unit,
            "university": self.university or "",
            "kind": self.kind,
            "call": self.call or "",
            **changes,
        }
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value:
                query[key] = str(value)
        return query.urlencode()

    @property
    def others(self):
        """The query string of every filter but the status (for the status links)."""
        return self.query(status="")

    @property
    def active(self):
        return any((self.status, self.unit, self.university, self.kind, self.call))


def public_commitments():
    return Commitment.objects.public().for_listing()


def with_sources(commitments):
    """Give each commitment ``cited``: [(source, SourceInfo)], described in one batch, and
    ``call_page``: its call in the reader's language where it has a live version in it (one
    query), else the page it was made on."""
    commitments = list(commitments)
    refs = [source.ref for commitment in commitments for source in commitment.sources.all()]
    described = sources.describe(refs)
    localized = live_calls_by_key(Page, {commitment.call_key for commitment in commitments})
    for commitment in commitments:
        page = localized.get(commitment.call_key)
        commitment.call_page = page if page is not None else commitment.call
        commitment.cited = [
            (source, described[source.ref])
            for source in commitment.sources.all()
            if source.ref in described
        ]
    return commitments


def status_summary(queryset):
    """[(status, label, count)] over ``queryset``, every status (one aggregate query).

    The tracker's status links say how many each would show within the other filters.
    """
    rows = queryset.order_by().values("status").annotate(count=Count("pk"))
    counts = {row["status"]: row["count"] for row in rows}
    return [(value, label, counts.get(value, 0)) for value, label in CommitmentStatus.choices]


def filter_options(queryset):
    """The units and universities that have public commitments, for the filter form."""
    units = sorted(
        set(
            queryset.exclude(responsible_unit="")
            .order_by()
            .values_list("responsible_unit", flat=True)
            .distinct()
        )
    )
    universities = University.objects.filter(
        pk__in=queryset.order_by().values("university_id")
    ).order_by("name")
    return {
        "units": units,
        "universities": list(universities),
        "statuses": CommitmentStatus.choices,
        "kinds": CallKind.choices,
    }


# The tracker's own name, «گفتید، انجام دادیم» (a call's outcome section keeps its longer one).
TRACKER_TITLE = pgettext_lazy("commitments tracker", "You said, we did")


MAX_ID = 2**63 - 1  # The largest primary key a database column holds.


def _id_or_none(text):
    """``text`` as a row id, or ``None`` for anything that is not one: "²" passes
    ``str.isdigit`` but not ``int``, and 10²⁰ overflows the database's integer."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
