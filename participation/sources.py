"""What a commitment can cite: the contributions of the feature apps, by kind.

The impact app (``participation.impact``) tracks what the ministry commits to after an
outcome and links each commitment to what led to it: a decision on a clause, an accepted
clause comment, a winning idea, a survey question. Those live in other feature apps,
which the impact app does not import (the feature apps are independent, pyproject.toml).
Instead each app registers, in its ``AppConfig.ready``, a :class:`SourceProvider` for the
kinds it owns: how to describe a cited contribution to the public, who contributed it
(so they hear what became of it), and what an editor may cite from one call.
"""

import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .choices import SOURCE_KINDS_BY_ROW, SourceKind


@dataclass(frozen=True)
class SourceRef:
    """One cited contribution: a row (``object_id``) or a survey question (``question_id``)."""

    kind: str
    call_key: uuid.UUID
    object_id: int | None = None
    question_id: str = ""

    @property
    def token(self) -> str:
        """The reference as one string, for a form's choice value."""
        return f"{self.kind}:{self.call_key}:{self.object_id or ''}:{self.question_id}"

    @classmethod
    def from_token(cls, token: str) -> "SourceRef":
        """The reference a :attr:`token` names. Raises ``ValueError`` on anything else."""
        kind, call_key, object_id, question_id = token.split(":", 3)
        if kind not in SourceKind.values:
            raise ValueError(f"unknown source kind {kind!r}")
        by_row = kind in SOURCE_KINDS_BY_ROW
        if by_row != bool(object_id) or by_row == bool(question_id):
            raise ValueError("a source is a row or a question, not both")
        return cls(
            kind=kind,
            call_key=uuid.UUID(call_key),
            object_id=int(object_id) if object_id else None,
            question_id=question_id,
        )


@dataclass(frozen=True)
class SourceInfo:
    """What the public sees of a cited contribution, in the active language.

    Attributes:
        label: what it is («ماده ۴، بند الف», a winning idea's title, a question).
        outcome: what became of it (“Accepted”, “Winner”), or empty.
        url: where to read it (a path on this site), or empty when it is not public.
        excerpt: a short public quotation (a published comment's start), or empty.
    """

    label: str
    outcome: str = ""
    url: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class SourceProvider:
    """How one feature app describes its contributions when a commitment cites them.

    Attributes:
        kind: the :class:`~participation.choices.SourceKind` value it owns.
        describe: ``describe(refs)`` → ``{ref: SourceInfo}`` for the refs of this kind, in the
            active language, with a fixed number of queries however many refs are given.
        contributors: ``contributors(ref)`` → the people whose contribution it is, to be told
            what became of it. Never a person behind an anonymous-verified contribution.
        candidates: ``candidates(page)`` → ``[(ref, label)]``: what an editor may cite from
            the call ``page`` (accepted decisions, winning ideas, questions).
        figures: for the kind whose rows are the contributions themselves (clause comments,
            ideas), ``figures(query)`` → an iterable of dicts, each with the
            ``participation.effectiveness`` group and figure fields, computed by the
            database in a fixed number of queries; ``None`` for the other kinds.
        contributed_by: ``contributed_by(person)`` → the refs of this kind that ``person``
            contributed, the way round of ``contributors``, in a fixed number of queries
            (a person's dashboard, "my impact"). Never a ref of an anonymous-verified call.
            ``None``: nobody is traced to this kind.
        calls_of: ``calls_of(person)`` → the keys of the calls of this kind ``person`` took
            part in (asked "did we hear you?" after the outcome), in a fixed number of
            queries. ``None``: nobody is counted as taking part through this kind.
    """

    kind: str
    describe: Callable[[Sequence[SourceRef]], dict[SourceRef, SourceInfo]]
    contributors: Callable[[SourceRef], list[Any]]
    candidates: Callable[[Any], list[tuple[SourceRef, str]]]
    contributed_by: Callable[[Any], Collection[SourceRef]] | None = None
    calls_of: Callable[[Any], Collection[uuid.UUID]] | None = None
    figures: Callable[[Any], Iterable[dict[str, Any]]] | None = None


_providers: dict[str, SourceProvider] = {}


def register(provider: SourceProvider) -> None:
    """Add ``provider`` (replacing one of the same kind: ``ready()`` may run twice in tests)."""
    _providers[provider.kind] = provider


def provider(kind: str) -> SourceProvider | None:
    """The provider of ``kind``, or ``None`` when its app is not installed."""
    return _providers.get(kind)


def describe(refs: Iterable[SourceRef]) -> dict[SourceRef, SourceInfo]:
    """``{ref: SourceInfo}`` for every ref, one batch per kind (unknown kinds left out)."""
    by_kind: dict[str, list[SourceRef]] = {}
    for ref in refs:
        by_kind.setdefault(ref.kind, []).append(ref)
    described: dict[SourceRef, SourceInfo] = {}
    for kind, kind_refs in by_kind.items():
        kind_provider = _providers.get(kind)
        if kind_provider is not None:
            described.update(kind_provider.describe(kind_refs))
    return described


def contributors(ref: SourceRef) -> list[Any]:
    """The people behind ``ref`` who may be told about it (none for an unknown kind)."""
    kind_provider = _providers.get(ref.kind)
    return kind_provider.contributors(ref) if kind_provider is not None else []


def figure_providers() -> list[SourceProvider]:
    """The providers that count contributions for the effectiveness dashboard."""
    return [kind_provider for kind_provider in _providers.values() if kind_provider.figures]


def candidates(page: Any) -> list[tuple[SourceRef, str]]:
    """What an editor may cite from the call ``page``, every registered kind together."""
    found: list[tuple[SourceRef, str]] = []
    for kind_provider in _providers.values():
        found.extend(kind_provider.candidates(page))
    return found


def contributed_by(person: Any) -> set[SourceRef]:
    """Every ref, of every registered kind, that ``person`` contributed (none when anonymous:
    each provider leaves out anonymous-verified calls). One batch per kind."""
    if person is None or not getattr(person, "pk", None):
        return set()
    found: set[SourceRef] = set()
    for kind_provider in _providers.values():
        if kind_provider.contributed_by is not None:
            found.update(kind_provider.contributed_by(person))
    return found


def calls_of(person: Any) -> set[uuid.UUID]:
    """The keys of every call ``person`` took part in, whatever its kind."""
    if person is None or not getattr(person, "pk", None):
        return set()
    found: set[uuid.UUID] = set()
    seen: set[Callable[[Any], Collection[uuid.UUID]]] = set()
    for kind_provider in _providers.values():
        function = kind_provider.calls_of
        # The drafts' two kinds share one function: asked once.
        if function is not None and function not in seen:
            seen.add(function)
            found.update(function(person))
    return found


@dataclass(frozen=True)
class Citation:
    """A public commitment citing a contribution: what a clause or an idea's page links to,
    so a reader can follow a comment to its decision, to what was committed, to its end."""

    title: str
    status: str
    progress: int
    url: str


CitationReader = Callable[[Sequence[SourceRef]], dict[SourceRef, list[Citation]]]

_citation_reader: list[CitationReader] = []


def register_citation_reader(function: CitationReader) -> None:
    """Make ``function(refs)`` the way the public commitments citing ``refs`` are found (the
    impact app registers it; a feature app asks :func:`citations_of` without importing it)."""
    _citation_reader[:] = [function]


def citations_of(refs: Sequence[SourceRef]) -> dict[SourceRef, list[Citation]]:
    """``{ref: [Citation]}`` of the public commitments citing each of ``refs`` (one query)."""
    if not refs or not _citation_reader:
        return {}
    return _citation_reader[0](list(refs))
