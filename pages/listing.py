"""Listings behind the index pages and the home page: calls, news, key figures.

Call page types arrive later; any live child page that exposes ``call_kind`` and
``call_state`` (values of :class:`participation.choices.CallKind` and
:class:`participation.choices.CallState`) is treated as a call.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.utils import timezone

from participation.choices import CallKind, CallState, SubmissionStatus
from participation.drafts.choices import ModerationState
from participation.drafts.models import ClauseComment
from participation.ideas.models import Idea
from participation.submissions.models import Submission


def page_model(name):
    """A page class of this app by name: pages.models imports this module (its page classes
    delegate their listings here), so the classes are looked up, not imported."""
    return apps.get_model("pages", name)


CALLS_PER_PAGE = 12
NEWS_PER_PAGE = 12
LATEST_NEWS_ON_HOME = 3
OPEN_CALLS_ON_HOME = 6
LATEST_OUTCOMES_ON_HOME = 3

# Open calls come first: they are the ones a visitor can still answer.
STATE_ORDER = {
    CallState.OPEN: 0,
    CallState.UPCOMING: 1,
    CallState.OUTCOME_PUBLISHED: 2,
    CallState.CLOSED: 3,
}


# A visitor filters by three states; "closed" includes calls whose outcome is published.
FILTER_STATES = [CallState.OPEN, CallState.UPCOMING, CallState.CLOSED]
STATES_MATCHING_FILTER = {
    CallState.OPEN: {CallState.OPEN},
    CallState.UPCOMING: {CallState.UPCOMING},
    CallState.CLOSED: {CallState.CLOSED, CallState.OUTCOME_PUBLISHED},
}


@dataclass(frozen=True)
class CallFilters:
    """The call filters a visitor chose; ``None`` means "all"."""

    kind: str | None = None
    state: str | None = None

    @property
    def active(self):
        """Whether any filter narrows the listing."""
        return bool(self.kind or self.state)


@dataclass
class CallListing:
    """What the call index template shows."""

    page: object
    filters: CallFilters
    kind_choices: list = field(default_factory=lambda: CallKind.choices)
    state_choices: list = field(
        default_factory=lambda: [(state.value, state.label) for state in FILTER_STATES]
    )


def parse_call_filters(params):
    """Read ``kind`` and ``state`` from GET parameters, ignoring unknown values.

    Args:
        params: a ``QueryDict`` (or any mapping) of request parameters.

    Returns:
        CallFilters: only values that are valid choices; anything else means "all".
    """
    kind = params.get("kind") or None
    state = params.get("state") or None
    return CallFilters(
        kind=kind if kind in CallKind.values else None,
        state=state if state in FILTER_STATES else None,
    )


def is_call(page):
    """Whether a (specific) page behaves as a call."""
    return hasattr(page, "call_kind") and hasattr(page, "call_state")


def call_children(index_page):
    """The live, public calls under ``index_page``, open ones first."""
    children = index_page.get_children().live().public().specific()
    calls = [child for child in children if is_call(child)]
    return sorted(calls, key=lambda call: STATE_ORDER.get(call.call_state, len(STATE_ORDER)))


def filter_calls(calls, filters):
    """Keep the calls that match ``filters``."""
    return [
        call
        for call in calls
        if (filters.kind is None or call.call_kind == filters.kind)
        and (filters.state is None or call.call_state in STATES_MATCHING_FILTER[filters.state])
    ]


def paginate(items, page_number, per_page):
    """One page of ``items``; out-of-range or malformed numbers give the nearest page."""
    return Paginator(items, per_page).get_page(page_number)


def call_listing(index_page, params):
    """The filtered, paginated calls of a call index page for these GET parameters."""
    filters = parse_call_filters(params)
    calls = filter_calls(call_children(index_page), filters)
    return CallListing(page=paginate(calls, params.get("page"), CALLS_PER_PAGE), filters=filters)


def news_items(index_page):
    """The live, public news under ``index_page``, newest first."""
    return (
        page_model("NewsPage")
        .objects.child_of(index_page)
        .select_related("image")
        .live()
        .public()
        .order_by("-published_on", "-first_published_at", "-pk")
    )


def news_listing(index_page, params):
    """One page of an index page's news for these GET parameters."""
    return paginate(news_items(index_page), params.get("page"), NEWS_PER_PAGE)


def index_page_of(home_page, model):
    """The live index page of type ``model`` directly under ``home_page``, if any."""
    return model.objects.child_of(home_page).live().public().first()


def open_calls(index_page, limit=OPEN_CALLS_ON_HOME):
    """Open calls from a call index page (``None`` gives none), for the home page."""
    if index_page is None:
        return []
    calls = filter_calls(call_children(index_page), CallFilters(state=CallState.OPEN))
    return calls[:limit]


def latest_news(home_page, limit=LATEST_NEWS_ON_HOME):
    """The newest news pages anywhere under ``home_page``."""
    return list(
        page_model("NewsPage")
        .objects.descendant_of(home_page)
        .select_related("image")
        .live()
        .public()
        .order_by("-published_on", "-first_published_at", "-pk")[:limit]
    )


def latest_outcomes(home_page, limit=LATEST_OUTCOMES_ON_HOME):
    """Calls under ``home_page`` whose outcome ("you said, we did") is out, newest first."""
    now = timezone.now()
    outcomes = [
        page
        for model in map(page_model, ("SurveyCampaignPage", "RegulationDraftPage", "IdeaCallPage"))
        for page in model.objects.descendant_of(home_page)
        .live()
        .public()
        .filter(outcome_published_at__lte=now, closes_at__lte=now)
        .order_by("-outcome_published_at")[:limit]
    ]
    return sorted(outcomes, key=lambda page: page.outcome_published_at, reverse=True)[:limit]


def key_figures():
    """Counts the home page shows: participants, and contributions that count (survey
    responses, published clause comments and submitted ideas)."""
    participants = get_user_model().objects.filter(is_active=True).exclude(role="").count()
    contributions = (
        Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count()
        + ClauseComment.objects.filter(moderation_state=ModerationState.PUBLISHED).count()
        + Idea.objects.exclude(status="draft").count()
    )
    return {"participants": participants, "contributions": contributions}


def home_sections(home_page):
    """Everything the home page lists beside its own content."""
    call_index = index_page_of(home_page, page_model("CallIndexPage"))
    return {
        "call_index": call_index,
        "news_index": index_page_of(home_page, page_model("NewsIndexPage")),
        "open_calls": open_calls(call_index),
        "figures": key_figures(),
        "latest_outcomes": latest_outcomes(home_page),
        "latest_news": latest_news(home_page),
    }
