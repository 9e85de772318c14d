"""What the read API accepts in its query string, and the JSON errors it answers otherwise.

Every refusal is a 400 (404 for an unknown locale) with ``{"message": …, "code": …}``,
the message in the reader's language; nothing here ever reaches a 500. A ``limit`` above
``WAGTAILAPI_LIMIT_MAX`` is capped rather than refused: the response says so in
``meta.limit`` and the ``X-API-Limit`` header.
"""

import re
import unicodedata
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from pages.models import IdeaCallPage, RegulationDraftPage, SurveyCampaignPage
from participation.choices import CallState
from participation.persian import format_number

DEFAULT_LIMIT = 20
LIMIT_HEADER = "X-API-Limit"
STATE_PARAMETER = "state"
SEARCH_PARAMETER = "search"
SEARCH_OPERATOR_PARAMETER = "search_operator"
SEARCH_OPERATORS = {"and", "or"}
SEARCH_MAX_LENGTH = 200
# Query parameters that name a row or count rows, and the largest value they may have (a
# 32-bit integer column: page, site and document ids).
_INTEGER_PARAMETERS = frozenset(
    {"id", "site", "offset", "limit", "child_of", "descendant_of", "ancestor_of", "translation_of"}
)
_ONLY_NUMBERS = frozenset({"id", "site"})
LARGEST_WHOLE_NUMBER = 2**31 - 1
# C0 and C1 controls (NUL above all: PostgreSQL cannot take it in any text) have no place in
# a query; they are refused before any of it reaches a filter or the search backend.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ZWNJ = "\u200c"  # the Persian half-space, part of words


class APIInputError(BadRequestError):
    """A refused query: ``message`` for people (translated), ``code`` for programs."""

    def __init__(self, message, code, **details):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details

    def as_json(self):
        return {"message": str(self.message), "code": self.code, **self.details}


def error_json(exc):
    """The JSON body of a Wagtail or DRF refusal, in our shape."""
    if isinstance(exc, APIInputError):
        return exc.as_json()
    return {"message": str(exc), "code": "bad_request"}


def check_query(request):
    """Refuse control characters anywhere in the query; make ``?search=`` safe to run.

    Runs before the query reaches Wagtail (v2 and v3 alike). The search text keeps its
    words only (letters, marks, digits and the half-space; every other character becomes a
    space): quotes, stars and brackets are operators to the full-text engines (SQLite's
    FTS5 fails on a lone ``"``), never what a reader searches for. ``request.GET`` is
    replaced by the cleaned copy.

    Raises:
        APIInputError: ``invalid_characters``, ``invalid_search_operator``,
            ``invalid_search`` or ``search_too_long``.
    """
    for name, values in request.GET.lists():
        if any(_CONTROL_CHARACTERS.search(text) for text in (name, *values)):
            raise APIInputError(
                _("The query contains control characters (such as NUL); remove them."),
                "invalid_characters",
                parameter=_CONTROL_CHARACTERS.sub("", name),
            )
    _check_whole_numbers(request)
    operator = request.GET.get(SEARCH_OPERATOR_PARAMETER)
    if operator is not None and operator not in SEARCH_OPERATORS:
        # Wagtail hands it to the search backend, which raises on anything else (a 500).
        raise APIInputError(
            _("search_operator must be “and” or “or”."),
            "invalid_search_operator",
            parameter=SEARCH_OPERATOR_PARAMETER,
        )
    if SEARCH_PARAMETER not in request.GET:
        return
    raw = request.GET.get(SEARCH_PARAMETER, "")
    if len(raw) > SEARCH_MAX_LENGTH:
        raise APIInputError(
            _("The search is too long: at most %(limit)s characters.")
            % {"limit": format_number(SEARCH_MAX_LENGTH)},
            "search_too_long",
            parameter=SEARCH_PARAMETER,
        )
    words = search_words(raw)
    if raw.strip() and not words:
        raise APIInputError(
            _("Search for at least one word or number."),
            "invalid_search",
            parameter=SEARCH_PARAMETER,
        )
    if words != raw:
        query = request.GET.copy()
        query[SEARCH_PARAMETER] = words
        query._mutable = False
        request.GET = query


def _check_whole_numbers(request):
    """Ids, offsets and limits must fit a database column: a bigger number is a 400, not a
    database error (PostgreSQL: "bigint out of range"; SQLite: an overflow). Ids that are
    only ever numbers (``/find/?id=``, ``?site=``) must be whole numbers at all; the others
    are left to their own checks (``child_of=root`` is a valid value)."""
    for name in _INTEGER_PARAMETERS.intersection(request.GET):
        value = request.GET.get(name, "").strip()
        is_number = value.isascii() and value.isdigit()
        if is_number and int(value) > LARGEST_WHOLE_NUMBER:
            raise APIInputError(
                _("%(parameter)s is too large: at most %(limit)s.")
                % {"parameter": name, "limit": format_number(LARGEST_WHOLE_NUMBER)},
                "number_too_large",
                parameter=name,
            )
        if not is_number and name in _ONLY_NUMBERS:
            raise APIInputError(
                _("%(parameter)s must be a whole number.") % {"parameter": name},
                "invalid_number",
                parameter=name,
            )


def search_words(text):
    """The words of a search text, separated by single spaces (see :func:`check_query`)."""
    kept = "".join(
        character if character == _ZWNJ or unicodedata.category(character)[0] in "LMN" else " "
        for character in text
    )
    return " ".join(kept.split())


def non_negative_integer(request, name, default):
    value = request.GET.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise APIInputError(
            _("“%(name)s” must be a whole number, 0 or more.") % {"name": name},
            "invalid_number",
            parameter=name,
        )
    return number


class CappedPagination(WagtailPagination):
    """``offset`` and ``limit``; a ``limit`` above the maximum gives the maximum."""

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        offset = non_negative_integer(request, "offset", 0)
        limit = non_negative_integer(request, "limit", min(DEFAULT_LIMIT, limit_max))
        self.limit = min(limit, limit_max)
        self.limit_capped = limit > limit_max
        self.view = view
        self.total_count = queryset.count()
        return queryset[offset : offset + self.limit]

    def get_paginated_response(self, data):
        meta = OrderedDict([("total_count", self.total_count), ("limit", self.limit)])
        if self.limit_capped:
            meta["limit_capped"] = True
        response = Response(OrderedDict([("meta", meta), ("items", data)]))
        response[LIMIT_HEADER] = str(self.limit)
        return response


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's ``?field=value`` filters, with values of the wrong type refused, not a 500."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (BadRequestError, ValidationError, ValueError, TypeError) as exc:
            raise invalid_filter_value() from exc


def invalid_filter_value():
    return APIInputError(_("A filter value is not of the field’s type."), "invalid_filter_value")


# ---- ?state= ----------------------------------------------------------------------------


def state_condition(state, now):
    """The database condition of a call being in ``state`` at ``now``
    (the same rules as :func:`participation.lifecycle.compute_state`)."""
    started = Q(opens_at__lte=now)
    ended = started & Q(closes_at__lte=now)
    outcome_out = Q(outcome_published_at__lte=now)
    return {
        CallState.UPCOMING: Q(opens_at__isnull=True) | Q(opens_at__gt=now),
        CallState.OPEN: started & (Q(closes_at__isnull=True) | Q(closes_at__gt=now)),
        CallState.CLOSED: ended & ~outcome_out,
        CallState.OUTCOME_PUBLISHED: ended & outcome_out,
    }[state]


def requested_states(request):
    """The states of ``?state=open,upcoming`` (empty when absent); refuses unknown ones."""
    raw = request.GET.get(STATE_PARAMETER)
    if raw is None:
        return []
    states = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [state for state in states if state not in CallState.values]
    if unknown or not states:
        raise APIInputError(
            _("Unknown state. Use one or more of: %(states)s.")
            % {"states": ", ".join(CallState.values)},
            "invalid_state",
            allowed=list(CallState.values),
        )
    return states


def call_models():
    return (SurveyCampaignPage, RegulationDraftPage, IdeaCallPage)


class CallStateFilter:
    """``?state=``: calls in one of the given states now; other page types never match.

    Written as ``id__in`` (an indexed filter field of every page) so that it also
    works together with ``?search=``, which must run last.
    """

    def filter_queryset(self, request, queryset, view):
        states = requested_states(request)
        if not states:
            return queryset
        now = timezone.now()
        condition = Q()
        for state in states:
            condition |= state_condition(state, now)
        models = [model for model in call_models() if issubclass(model, queryset.model)]
        matching = Q(id__in=[])
        for model in models:
            matching |= Q(id__in=model.objects.filter(condition).values("pk"))
        return queryset.filter(matching)
