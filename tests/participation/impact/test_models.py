"""The database keeps commitments honest: what the constraints refuse, whatever the code."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction

from participation.choices import SourceKind
from participation.impact.choices import CommitmentStatus, UpdateKind
from participation.impact.models import Commitment, CommitmentSource, CommitmentUpdate
from participation.sources import SourceRef

from .conftest import make

pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(**fields)


def test_a_commitment_is_a_percentage_with_a_unit_and_dropped_ones_say_why(draft, university):
    base = {"call": draft, "call_key": draft.call_key, "call_kind": "draft", "title": "کار"}
    refused(**base, responsible_unit="دفتر", progress=101)
    refused(**base, responsible_unit="دفتر", status=CommitmentStatus.DONE, progress=60)
    refused(**base, responsible_unit="دفتر", status=CommitmentStatus.DROPPED)
    refused(**base, responsible_unit="", university=None)
    refused(**base, responsible_unit="دفتر", status="forgotten")
    Commitment.objects.create(**base, university=university)
    Commitment.objects.create(
        **base, responsible_unit="دفتر", status=CommitmentStatus.DROPPED, status_reason="بودجه"
    )


def test_a_source_is_a_row_or_a_question_and_is_cited_once(draft, editor):
    commitment = make(editor, draft)

    def source(**fields):
        values = {"commitment": commitment, "call_key": draft.call_key, **fields}
        return CommitmentSource.objects.create(**values)

    for fields in (
        {"kind": SourceKind.IDEA},  # a row kind without its row
        {"kind": SourceKind.IDEA, "object_id": 3, "question_id": "q"},
        {"kind": SourceKind.SURVEY_QUESTION, "object_id": 3, "question_id": "q"},
        {"kind": SourceKind.SURVEY_QUESTION},
        {"kind": "petition", "object_id": 3},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            source(**fields)
    source(kind=SourceKind.IDEA, object_id=3)
    source(kind=SourceKind.SURVEY_QUESTION, question_id="q1")
    with pytest.raises(IntegrityError), transaction.atomic():
        source(kind=SourceKind.IDEA, object_id=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        source(kind=SourceKind.SURVEY_QUESTION, question_id="q1")


def test_an_update_that_drops_or_delays_carries_its_reason(draft, editor):
    commitment = make(editor, draft, due_date=datetime.date(2026, 6, 1))
    base = {"commitment": commitment, "kind": UpdateKind.CHANGED, "date": datetime.date.today()}
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentUpdate.objects.create(
            **base, status=CommitmentStatus.DROPPED, previous_status="planned", progress=0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentUpdate.objects.create(
            **base,
            status="planned",
            progress=0,
            due_date=datetime.date(2026, 9, 1),
            previous_due_date=datetime.date(2026, 6, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentUpdate.objects.create(
            commitment=commitment,
            kind=UpdateKind.NOTE,
            date=datetime.date.today(),
            status="planned",
            progress=0,
        )
    CommitmentUpdate.objects.create(
        **base,
        status="planned",
        progress=0,
        due_date=datetime.date(2026, 5, 1),  # earlier: no reason needed
        previous_due_date=datetime.date(2026, 6, 1),
    )


def test_a_source_reference_survives_a_form_round_trip():
    key = uuid.uuid4()
    for ref in (
        SourceRef(SourceKind.IDEA, key, object_id=12),
        SourceRef(SourceKind.SURVEY_QUESTION, key, question_id="abc-1"),
    ):
        assert SourceRef.from_token(ref.token) == ref
    for token in (f"idea:{key}::", f"survey_question:{key}:4:q", f"petition:{key}:1:", "x"):
        with pytest.raises(ValueError):
            SourceRef.from_token(token)
