"""Shortlisted and awarded submissions as the sources of commitments.

Registered with ``participation.sources`` from ``apps.ready``: the impact app cites an
idea without importing this app. The public sees a cited idea's title only where the
gallery shows it (accepted, and its authors agreed); otherwise only what it became. Its
accepted authors are told what became of it, never in an anonymous-verified call.
"""

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from participation.calls import call_page_model, live_calls_by_key, traceable
from participation.choices import AnonymityMode, CallKind, SourceKind
from participation.effectiveness import ORGANIZATION_ROLE
from participation.sources import SourceInfo, SourceProvider, SourceRef

from .choices import ACCEPTED_STATUSES, AWARDED_STATUSES, CoAuthorStatus, IdeaStatus
from .models import Idea, IdeaAuthor


def _in_gallery(idea):
    return idea.status in ACCEPTED_STATUSES and idea.show_in_gallery


def describe(refs):
    ideas = Idea.objects.in_bulk([ref.object_id for ref in refs])
    pages = live_calls_by_key(
        call_page_model(CallKind.IDEA), {idea.call_key for idea in ideas.values()}
    )
    described = {}
    for ref in refs:
        idea = ideas.get(ref.object_id)
        if idea is None:
            described[ref] = SourceInfo(label=_("a submission no longer on record"))
            continue
        page = pages.get(idea.call_key)
        shown = _in_gallery(idea) and page is not None and bool(page.url)
        described[ref] = SourceInfo(
            label=idea.title if shown else _("A submission to the call"),
            outcome=idea.get_status_display() if idea.status in ACCEPTED_STATUSES else "",
            url=f"{page.url}gallery/" if shown else "",
        )
    return described


def contributors(ref):
    """The accepted authors of the idea (none in an anonymous-verified call)."""
    idea = Idea.objects.filter(pk=ref.object_id).first()
    if idea is None:
        return []
    page = live_calls_by_key(call_page_model(CallKind.IDEA), [idea.call_key]).get(idea.call_key)
    if page is None or page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        return []
    authors = IdeaAuthor.objects.filter(
        idea=idea, status=CoAuthorStatus.ACCEPTED, person__isnull=False
    ).select_related("person")
    return [author.person for author in authors]


def candidates(page):
    """The call's shortlisted and awarded submissions, labelled for the editor."""
    if getattr(page, "call_kind", None) != CallKind.IDEA:
        return []
    ideas = Idea.objects.filter(
        call_key=page.translation_key, status__in=ACCEPTED_STATUSES
    ).order_by("status", "title", "pk")
    return [
        (
            SourceRef(SourceKind.IDEA, page.translation_key, object_id=idea.pk),
            _("%(title)s (%(status)s)")
            % {"title": idea.title, "status": idea.get_status_display()},
        )
        for idea in ideas
    ]


# A submission the jury or the screening has answered: its authors had a status email.
DECIDED_STATUSES = (
    IdeaStatus.INELIGIBLE,
    IdeaStatus.WINNER,
    IdeaStatus.HONOURABLE_MENTION,
    IdeaStatus.NOT_SELECTED,
)


def figures(query):
    """Ideas for the effectiveness dashboard, grouped and counted by the database.

    A draft is started, a submission is a contribution; it is decided once screened out or
    judged (its authors are told of every status change by email), accepted when it won or
    earned a mention. One made on behalf of an organization counts as the organization's
    (role "organization", under the organization's university), not its lead author's.
    """
    by_organization = Q(organization__isnull=False)
    submitted = ~Q(status=IdeaStatus.DRAFT)
    decided = Q(status__in=DECIDED_STATUSES)
    ideas = Idea.objects.annotate(moment=Coalesce("submitted_at", "created_at")).annotate(
        month=query.month("moment"),
        university=Case(
            When(by_organization, then=Coalesce("organization__university__name", Value(""))),
            default=Coalesce("created_by__university__name", Value("")),
        ),
        role=Case(
            When(by_organization, then=Value(ORGANIZATION_ROLE)),
            default=Coalesce("created_by__role", Value("")),
        ),
    )
    return ideas.values("call_key", "month", "university", "role").annotate(
        people=Count("created_by", distinct=True, filter=submitted),
        started=Count("pk"),
        contributions=Count("pk", filter=submitted),
        answerable=Count("pk", filter=submitted),
        decided=Count("pk", filter=decided),
        accepted=Count("pk", filter=Q(status__in=AWARDED_STATUSES)),
        committed=Count("pk", filter=Q(pk__in=query.cited([SourceKind.IDEA], False))),
        done=Count("pk", filter=Q(pk__in=query.cited([SourceKind.IDEA], True))),
        told=Count("pk", filter=decided),
    )


def _authored(person):
    return IdeaAuthor.objects.filter(person=person, status=CoAuthorStatus.ACCEPTED).exclude(
        idea__status=IdeaStatus.DRAFT
    )


def contributed_by(person):
    """The submitted ideas ``person`` is an accepted author of, outside anonymous-verified
    calls (one query): the way round of :func:`contributors`."""
    rows = traceable(_authored(person), call_page_model(CallKind.IDEA), "idea__call_key")
    return [
        SourceRef(SourceKind.IDEA, call_key, object_id=pk)
        for pk, call_key in rows.values_list("idea_id", "idea__call_key")
    ]


def calls_of(person):
    """The idea calls ``person`` submitted to, as an accepted author (one query)."""
    return set(_authored(person).order_by().values_list("idea__call_key", flat=True).distinct())


PROVIDER = SourceProvider(
    kind=SourceKind.IDEA,
    describe=describe,
    contributors=contributors,
    candidates=candidates,
    figures=figures,
    contributed_by=contributed_by,
    calls_of=calls_of,
)
