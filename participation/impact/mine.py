"""A person's impact for their dashboard (registered with ``participation.my_impact``).

The person's contributions come from their apps (``participation.sources.contributed_by``:
never one of an anonymous-verified call); the commitments citing them, their latest
updates, the calls and the person's "did we hear you?" answers are read in one batch each,
so the section costs the same number of queries for one commitment or a hundred.
"""

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from participation import sources
from participation.calls import call_page_model, live_calls_by_key
from participation.choices import SOURCE_KINDS_BY_ROW, CallKind
from participation.my_impact import (
    CallImpact,
    CitedContribution,
    HeardQuestion,
    TracedCommitment,
)

from . import hearing
from .forms import score_choices
from .models import Commitment, CommitmentSource, CommitmentUpdate, HeardAnswer


def _matching(refs):
    """A filter of the :class:`CommitmentSource` rows that cite one of ``refs``."""
    rows = {}
    questions = {}
    for ref in refs:
        if ref.kind in SOURCE_KINDS_BY_ROW:
            rows.setdefault(ref.kind, set()).add(ref.object_id)
        else:
            questions.setdefault((ref.kind, ref.call_key), set()).add(ref.question_id)
    condition = Q(pk__in=[])
    for kind, ids in rows.items():
        condition |= Q(kind=kind, object_id__in=ids)
    for (kind, call_key), question_ids in questions.items():
        condition |= Q(kind=kind, call_key=call_key, question_id__in=question_ids)
    return condition


def _cited(refs):
    """The :class:`CommitmentSource` rows of public commitments citing one of ``refs``,
    each with its commitment and ``latest_update_id`` (one query)."""
    latest = CommitmentUpdate.objects.filter(commitment=OuterRef("commitment_id")).order_by(
        "-date", "-pk"
    )
    return list(
        CommitmentSource.objects.filter(_matching(refs), commitment__in=Commitment.objects.public())
        .select_related("commitment")
        .annotate(latest_update_id=Subquery(latest.values("pk")[:1]))
        .order_by("pk")
    )


def _traced(commitment, update):
    return TracedCommitment(
        title=commitment.title,
        url=reverse("impact:detail", args=[commitment.pk]),
        status=commitment.status,
        status_label=commitment.get_status_display(),
        tone=commitment.tone,
        progress=commitment.progress,
        reason=commitment.status_reason if commitment.status == "dropped" else "",
        update_date=update.date if update else None,
        update_label=update.get_kind_display() if update else "",
        update_text=update.text if update else "",
    )


def _pages(call_keys):
    """``{call key: live call page}``, each kind in one query."""
    pages = {}
    for kind in CallKind:
        pages.update(live_calls_by_key(call_page_model(kind), call_keys))
    return pages


def impact_of(person):
    """``[CallImpact]`` of ``person``: each call whose outcome is out or where a public
    commitment cites them, newest outcome first. A fixed number of queries."""
    mine = sources.contributed_by(person)
    cited = [source for source in (_cited(mine) if mine else []) if source.ref in mine]
    update_ids = {source.latest_update_id for source in cited if source.latest_update_id}
    updates = CommitmentUpdate.objects.in_bulk(update_ids) if update_ids else {}
    described = sources.describe({source.ref for source in cited})

    taken = sources.calls_of(person)
    pages = _pages(taken | {source.call_key for source in cited})
    answers = dict(
        HeardAnswer.objects.filter(person=person, call_key__in=list(pages)).values_list(
            "call_key", "score"
        )
    )
    now = timezone.now()

    entries = {}

    def entry(call_key):
        if call_key not in entries:
            page = pages[call_key]
            published = page.outcome_published_at
            entries[call_key] = CallImpact(
                call_key=call_key,
                call_title=page.title,
                call_url=page.url or "",
                outcome_published_at=published if published and published <= now else None,
                tracker_url=f"{reverse('impact:index')}?call={call_key}",
            )
        return entries[call_key]

    for source in cited:
        if source.call_key not in pages:
            continue
        item = entry(source.call_key)
        info = described.get(source.ref)
        contribution = (
            CitedContribution(label=info.label, outcome=info.outcome, url=info.url)
            if info
            else None
        )
        if contribution is not None and contribution not in item.contributions:
            item.contributions.append(contribution)
        traced = _traced(source.commitment, updates.get(source.latest_update_id))
        if traced not in item.commitments:
            item.commitments.append(traced)

    choices = tuple(score_choices())
    for call_key in taken:
        page = pages.get(call_key)
        if page is None or not hearing.is_asked(page):
            continue
        entry(call_key).heard = HeardQuestion(
            url=reverse("impact:heard", args=[call_key]),
            score=answers.get(call_key),
            choices=choices,
        )

    return sorted(
        entries.values(),
        key=lambda item: (
            item.outcome_published_at is not None,
            item.outcome_published_at or now,
            item.call_title,
        ),
        reverse=True,
    )
