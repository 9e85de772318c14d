"""What the effectiveness dashboard asks of each feature app, and the Jalali months it uses.

The impact app measures the whole loop of participation (issue 21 item 5): who took part,
how much of it was decided, accepted, committed to and done, and who was told. Clause
comments and ideas live in feature apps the impact app does not import; each app's
:class:`~participation.sources.SourceProvider` may carry a ``figures`` function that
answers a :class:`FigureQuery` with grouped counts computed by the database (one
``values().annotate()`` query, however many rows), as :data:`FIGURE_FIELDS` name them.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jdatetime
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

# The grouping of every figure row: the call, the Jalali month, the contributor's
# university (its name, "" when unknown) and role ("organization" for a contribution made
# on behalf of an organization, grouped under the organization's university).
GROUP_FIELDS = ("call_key", "month", "university", "role")
# The counts of a figure row.
FIGURE_FIELDS = (
    "people",  # distinct contributors in the group
    "started",  # contributions begun (drafts of ideas too); submitted ones where not recorded
    "contributions",  # contributions made (submitted, posted)
    "withdrawn",  # withdrawn after submitting
    "answerable",  # contributions that get an answer of their own (comments, ideas)
    "decided",  # answered: a decision on the clause, a final status of the idea
    "accepted",  # accepted or partly accepted, winner or mention
    "committed",  # cited by a commitment (directly or through their clause's decision)
    "done",  # cited by a commitment that is done
    "told",  # whose authors were told the outcome
)
ORGANIZATION_ROLE = "organization"


@dataclass(frozen=True)
class FigureQuery:
    """What the figures are asked about.

    Attributes:
        months: ``(label, start, end)`` for each Jalali month the data spans, in order
            (see :func:`jalali_months`); rows are grouped by the label.
        cited: ``cited(kinds, done_only)`` → a queryset of the object ids commitments cite
            of those source kinds (only done commitments' with ``done_only``), to use in
            a subquery (``pk__in=...``).
    """

    months: Sequence[tuple[str, datetime.datetime, datetime.datetime]]
    cited: Callable[[Sequence[str], bool], Any]

    def month(self, field: str) -> Case:
        """An expression giving the Jalali month label of the datetime ``field``."""
        return month_expression(field, self.months)


def month_label(value: datetime.date) -> str:
    """The Jalali month of a Gregorian date, as "1403-05" (Latin digits: a key, not a text)."""
    jalali = jdatetime.date.fromgregorian(date=value)
    return f"{jalali.year:04d}-{jalali.month:02d}"


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def jalali_months(first: datetime.datetime | None, last: datetime.datetime | None):
    """``[(label, start, end)]`` for the local Jalali months from ``first`` to ``last``."""
    if first is None or last is None:
        return []
    first_day = timezone.localtime(first).date()
    last_day = timezone.localtime(last).date()
    jalali = jdatetime.date.fromgregorian(date=first_day).replace(day=1)
    months = []
    while True:
        start = jalali.togregorian()
        if start > last_day:
            break
        following = (
            jalali.replace(year=jalali.year + 1, month=1)
            if jalali.month == 12
            else jalali.replace(month=jalali.month + 1)
        )
        months.append(
            (
                f"{jalali.year:04d}-{jalali.month:02d}",
                _local_midnight(start),
                _local_midnight(following.togregorian()),
            )
        )
        jalali = following
    return months


def month_expression(field: str, months) -> Case:
    """``CASE`` over the month boundaries: the database labels each row with its month."""
    return Case(
        *(
            When(Q(**{f"{field}__gte": start, f"{field}__lt": end}), then=Value(label))
            for label, start, end in months
        ),
        default=Value(""),
        output_field=CharField(),
    )


def month_text(label: str, language: str | None = None) -> str:
    """A month label ("1403-05") as a reader sees it: «مرداد ۱۴۰۳», "Mordad 1403"."""
    from participation import persian

    if not label:
        return ""
    year, month = (int(part) for part in label.split("-"))
    if persian.is_persian(language):
        return f"{jdatetime.date.j_months_fa[month - 1]} {persian.to_persian_digits(year)}"
    return f"{jdatetime.date.j_months_en[month - 1]} {year}"
