"""A draft's clause stances as items of its opinion map (``participation.opinion_inputs``).

What is read: the **current round** only (the text people see now; a stance on an older
round's text is about other wording), **published** stances only (moderation-approved:
pending, hidden and removed comments are left out), top-level clause comments with a
stance and an author (replies and new-clause proposals take no stance; an erased author
leaves nothing to put in a row). One answer per person per clause per round is the
comments' own unique constraint. How a stance becomes a vote is decided by the opinions app
(``participation.opinions.inputs.STANCE_VOTES``), not here.
"""

from django.db.models import Max
from django.utils import translation

from participation import opinion_inputs
from participation.calls import call_page_model
from participation.choices import CallKind
from participation.opinion_inputs import OpinionSource, SourceAnswers, SourceItem

from . import outline
from .choices import CommentKind, ModerationState
from .models import ClauseComment, DraftRound

KIND = "clause"
TEXT_LENGTH = 200  # characters of a clause's wording kept beside its name


def current_round_number(call_key):
    """The number of the draft's current round (1 before any round exists)."""
    latest = DraftRound.objects.filter(call_key=call_key).aggregate(number=Max("number"))
    return latest["number"] or 1


def _items(call_key):
    """The commentable provisions of the live text, named in each language version."""
    model = call_page_model(CallKind.DRAFT)
    pages = list(
        model.objects.filter(translation_key=call_key).live().select_related("locale")
    ) or list(model.objects.filter(translation_key=call_key).select_related("locale"))
    items = {}
    order = []
    for page in pages:
        language = page.locale.language_code
        with translation.override(language):
            provisions = outline.outline_of(page.draft_text)
            by_id = {provision.id: provision for provision in provisions}
            for provision in outline.commentable(provisions).values():
                label = outline.full_label(provision, by_id)
                if provision.title:
                    label = f"{label}: {provision.title}"
                entry = items.get(provision.id)
                if entry is None:
                    entry = items[provision.id] = ({}, {})
                    order.append(provision.id)
                entry[0][language] = label
                entry[1][language] = provision.text[:TEXT_LENGTH]
    return [SourceItem(key=key, labels=items[key][0], texts=items[key][1]) for key in order]


def read(call_key):
    """The draft's published stances of the current round (see the module docstring)."""
    answers = (
        ClauseComment.objects.filter(
            call_key=call_key,
            round_number=current_round_number(call_key),
            kind=CommentKind.CLAUSE,
            parent=None,
            author__isnull=False,
            moderation_state=ModerationState.PUBLISHED,
        )
        .exclude(stance="")
        .order_by("created_at", "pk")
        .values_list("author_id", "clause_id", "stance")
    )
    return SourceAnswers(items=_items(call_key), answers=list(answers))


def last_changed():
    """``{call key: latest stance written or moderated}`` over every draft."""
    rows = (
        ClauseComment.objects.filter(parent=None)
        .exclude(stance="")
        .values("call_key")
        .annotate(written=Max("created_at"), moderated=Max("moderated_at"))
        .values_list("call_key", "written", "moderated")
    )
    return {
        key: max(value for value in (written, moderated) if value)
        for key, written, moderated in rows
    }


def register():
    """Declare the draft's stances to the opinion map (from ``apps.ready``)."""
    opinion_inputs.register(
        OpinionSource(kind=KIND, call_kind=CallKind.DRAFT, read=read, last_changed=last_changed)
    )
