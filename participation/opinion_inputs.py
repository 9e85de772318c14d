"""Items a feature app adds to its calls' opinion maps, declared for the opinions app.

The opinion map (``participation.opinions``) reads a call's statement votes and its survey
answers itself (the questionnaire engine is a shared app). A feature app whose calls carry
other positions — a regulation draft's per-clause stances — registers a
:class:`OpinionSource` in its ``AppConfig.ready``: which kind of call it serves and how to
read one call's answers, in the app's own words (a stance such as ``"oppose"``). The
opinions app maps those words to votes (``participation.opinions.inputs``, where every
mapping is written down) and calls :func:`changed` listeners the same way: the source
says a call's answers changed, the opinions app queues the map's recomputation. Neither
app imports the other (the feature apps are independent, pyproject.toml).
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from .choices import CallKind


@dataclass(frozen=True)
class SourceItem:
    """One item of a call a source reads, e.g. one clause of a draft.

    Attributes:
        key: stable within the call (a clause's block id).
        labels: the item's name by language code, e.g. ``{"fa": "ماده ۳، بند ب"}``.
        texts: the item's wording by language code (may be empty), shown beside the name.
    """

    key: str
    labels: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceAnswers:
    """What a source holds of one call.

    Attributes:
        items: the call's items in reading order.
        answers: ``(account id, item key, answer)``, earliest first; ``answer`` in the
            source's own vocabulary (``OpinionSource.answers``).
    """

    items: list[SourceItem]
    answers: list[tuple[int, str, str]]


@dataclass(frozen=True)
class OpinionSource:
    """How one feature app's positions enter its calls' opinion maps.

    Attributes:
        kind: the item kind the map shows with the item, e.g. ``"clause"``; the opinions
            app knows how to map this kind's answers.
        call_kind: the calls it serves.
        read: ``read(call_key)`` → :class:`SourceAnswers`, in a number of queries that does
            not grow with the participants.
        last_changed: ``last_changed()`` → ``{call key: when its answers last changed}``
            over every call (for ``manage.py recompute_opinion_maps``), or ``None``.
    """

    kind: str
    call_kind: CallKind
    read: Callable[[uuid.UUID], SourceAnswers]
    last_changed: Callable[[], dict[uuid.UUID, datetime.datetime]] | None = None


_sources: dict[str, OpinionSource] = {}
_listeners: list[Callable[[uuid.UUID], None]] = []


def register(source: OpinionSource) -> None:
    """Add ``source`` (replacing one of the same kind: ``ready()`` may run twice in tests)."""
    _sources[source.kind] = source


def sources_for(call_kind: CallKind) -> list[OpinionSource]:
    """The registered sources of calls of ``call_kind``."""
    return [source for source in _sources.values() if source.call_kind == call_kind]


def all_sources() -> list[OpinionSource]:
    """Every registered source."""
    return list(_sources.values())


def listen(listener: Callable[[uuid.UUID], None]) -> None:
    """Call ``listener(call_key)`` whenever a source says a call's answers changed."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed(call_key: uuid.UUID) -> None:
    """A source's answers of the call changed (call inside the change's transaction)."""
    for listener in _listeners:
        listener(call_key)
