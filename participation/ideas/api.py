"""An idea call's winners and honourable mentions, for the read API.

Shown once the call's outcome is published (its state is "outcome published") or the
editor has marked its results published; before that, nothing. Each awarded submission
as the festival page shows it: title, summary, kind, theme, and the authors' names only
when the call is named (otherwise only the organization). Never the full text, the
attachments, the jury's scores or any other submission. Two queries for any number of
listed calls.
"""

from collections import defaultdict

from django.db.models import Prefetch

from participation.choices import CallState

from .choices import AWARDED_STATUSES, CoAuthorStatus, IdeaKind, IdeaStatus
from .models import Idea, IdeaAuthor


def awards_are_public(page):
    """Whether the public may see the call's winners now."""
    return bool(page.results_published) or page.call_state == CallState.OUTCOME_PUBLISHED


def load_awarded(pages):
    """{call key: awarded ideas, winners first} of the calls among ``pages`` that are public."""
    keys = {page.call_key for page in pages if awards_are_public(page)}
    awarded = defaultdict(list)
    if not keys:
        return awarded
    accepted = IdeaAuthor.objects.filter(status=CoAuthorStatus.ACCEPTED).select_related(
        "person", "person__university"
    )
    ideas = (
        Idea.objects.filter(call_key__in=keys, status__in=AWARDED_STATUSES)
        .select_related("organization")
        .prefetch_related(Prefetch("authors", queryset=accepted, to_attr="public_authors"))
        .order_by("title", "pk")
    )
    for idea in ideas:
        awarded[idea.call_key].append(idea)
    for ideas_of_call in awarded.values():
        ideas_of_call.sort(key=lambda idea: idea.status != IdeaStatus.WINNER)
    return awarded


def author_json(author):
    person = author.person
    university = getattr(person, "university", None)
    return {"name": person.get_full_name(), "university": university.name if university else ""}


def idea_json(idea, theme_names, show_names):
    return {
        "title": idea.title,
        "summary": idea.summary,
        "kind": idea.kind,
        "kind_label": str(IdeaKind(idea.kind).label),
        "status": idea.status,
        "status_label": str(IdeaStatus(idea.status).label),
        "theme": {"id": idea.category, "name": theme_names.get(idea.category, "")}
        if idea.category
        else None,
        "authors": [
            author_json(author) for author in idea.public_authors if author.person is not None
        ]
        if show_names
        else [],
        "organization": idea.organization.name if idea.organization else None,
    }


def awards_json(page, awarded):
    """The winners and honourable mentions of ``page``, or ``None`` while not public.

    Args:
        page: an idea call page.
        awarded: {call key: ideas} from :func:`load_awarded`.
    """
    if not awards_are_public(page):
        return None
    theme_names = {child.id: child.value["name"] for child in page.themes}
    show_names = page.anonymity == "named"
    return [idea_json(idea, theme_names, show_names) for idea in awarded.get(page.call_key, [])]
