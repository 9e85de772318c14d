"""The public commitments citing contributions, for the pages that show those contributions
(registered with ``participation.sources.register_citation_reader``)."""

from django.db.models import Q
from django.urls import reverse

from participation.sources import Citation

from .models import Commitment, CommitmentSource


def citations_of(refs):
    """``{ref: [Citation]}`` of the public commitments citing ``refs`` (one query)."""
    matches = Q(pk__in=[])
    for ref in refs:
        if ref.object_id is not None:
            matches |= Q(kind=ref.kind, call_key=ref.call_key, object_id=ref.object_id)
        else:
            matches |= Q(kind=ref.kind, call_key=ref.call_key, question_id=ref.question_id)
    rows = (
        CommitmentSource.objects.filter(
            matches, commitment__in=Commitment.objects.public().values("pk")
        )
        .select_related("commitment")
        .order_by("commitment__pk")
    )
    found = {}
    for row in rows:
        commitment = row.commitment
        found.setdefault(row.ref, []).append(
            Citation(
                title=commitment.title,
                status=commitment.get_status_display(),
                progress=commitment.progress,
                url=reverse("impact:detail", args=[commitment.pk]),
            )
        )
    return found
