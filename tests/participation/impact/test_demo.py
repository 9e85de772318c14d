"""The demo carries the draft's accepted clauses and the festival's winners into commitments."""

from io import StringIO

import pytest
from django.core.management import call_command

from participation.choices import SourceKind
from participation.impact.models import Commitment, CommitmentUpdate

pytestmark = pytest.mark.django_db


def test_the_demo_has_commitments_in_every_state_with_sources_and_updates(client):
    call_command("seed_demo", force=True, stdout=StringIO())
    commitments = list(Commitment.objects.prefetch_related("sources", "updates"))
    assert {c.status for c in commitments} == {"planned", "in_progress", "done", "dropped"}
    kinds = {source.kind for c in commitments for source in c.sources.all()}
    assert kinds == {SourceKind.CLAUSE_DECISION, SourceKind.IDEA}
    assert {c.call_kind for c in commitments} == {"draft", "idea"}
    assert all(c.sources.all() and c.updates.all() for c in commitments)
    assert CommitmentUpdate.objects.filter(previous_due_date__isnull=False).exclude(text="")
    assert Commitment.objects.filter(status="dropped").exclude(status_reason="").exists()
    html = client.get("/commitments/").content.decode()
    assert "گفتید، انجام دادیم" in html and "پذیرفته شد" in html
    before = Commitment.objects.count()
    call_command("seed_demo", force=True, stdout=StringIO())
    assert Commitment.objects.count() == before
