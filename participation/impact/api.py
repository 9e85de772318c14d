"""Commitments in the read API (``/api/v2/commitments/``): the fields of each item.

Labels (status, kinds, the cited contributions) are in the site's language, Persian, like
the API's dates in Jalali: one URL, one response, whatever the reader's Accept-Language
(the API's kept copies are one per URL). The cited contributions are described by their
apps in one batch per listing (``display.with_sources``), never per item.
"""

from django.conf import settings
from django.utils import translation
from rest_framework import serializers
from typing_extensions import TypedDict

from participation.jalali import jalali_text

from . import display


class SourceOut(TypedDict):
    kind: str
    kind_label: str
    label: str
    outcome: str
    url: str  # a path on this site, or "" when not public


class MilestoneOut(TypedDict):
    title: str
    date: str
    date_jalali: str
    done: bool


class UpdateOut(TypedDict):
    id: int
    kind: str
    date: str
    date_jalali: str
    text: str
    status: str
    previous_status: str
    progress: int
    due_date: str | None
    previous_due_date: str | None


def _date(value):
    return value.isoformat() if value else None


def prepare(commitments):
    """Describe the cited contributions of ``commitments`` in one batch (site language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return display.with_sources(commitments)


class CommitmentField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)


class StatusLabelField(CommitmentField):
    def to_representation(self, commitment):
        with translation.override(settings.LANGUAGE_CODE):
            return str(commitment.get_status_display())


class DueDateJalaliField(CommitmentField):
    def to_representation(self, commitment):
        return jalali_text(commitment.due_date, "fa") or None


class UniversityField(CommitmentField):
    def to_representation(self, commitment):
        university = commitment.university
        return {"id": university.pk, "name": university.name} if university else None


class CallField(CommitmentField):
    """The call it follows from: ``{id, title, kind, call_key}`` (``null`` once deleted)."""

    def to_representation(self, commitment):
        page = commitment.call
        if page is None:
            return None
        return {
            "id": page.pk,
            "title": page.title,
            "kind": commitment.call_kind,
            "call_key": str(commitment.call_key),
        }


class SourcesField(CommitmentField):
    def to_representation(self, commitment) -> list[SourceOut]:
        if not hasattr(commitment, "cited"):
            prepare([commitment])
        with translation.override(settings.LANGUAGE_CODE):
            return [
                {
                    "kind": source.kind,
                    "kind_label": str(source.get_kind_display()),
                    "label": str(info.label),
                    "outcome": str(info.outcome),
                    "url": info.url,
                }
                for source, info in commitment.cited
            ]


class MilestonesField(CommitmentField):
    def to_representation(self, commitment) -> list[MilestoneOut]:
        return [
            {
                "title": milestone.title,
                "date": milestone.date.isoformat(),
                "date_jalali": jalali_text(milestone.date, "fa"),
                "done": milestone.done,
            }
            for milestone in commitment.milestones.all()
        ]


class UpdatesField(CommitmentField):
    """The dated public updates, newest first."""

    def to_representation(self, commitment) -> list[UpdateOut]:
        return [
            {
                "id": update.pk,
                "kind": update.kind,
                "date": update.date.isoformat(),
                "date_jalali": jalali_text(update.date, "fa"),
                "text": update.text,
                "status": update.status,
                "previous_status": update.previous_status,
                "progress": update.progress,
                "due_date": _date(update.due_date),
                "previous_due_date": _date(update.previous_due_date),
            }
            for update in commitment.updates.all()
        ]
