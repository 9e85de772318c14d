"""Exports of an idea call for its editors: the submissions and the jury's scores, as XLSX.

One workbook, two right-to-left sheets:

* **Submissions** — one row per submitted idea (drafts are the authors' own and are left
  out): code, title, kind, theme, status and its reason, when it was submitted (Solar
  Hijri), the authors with their emails and universities, the organization, one column per
  question of the call, the number of attachments and the idea's place in the ranking.
* **Scores** — one row per review × criterion: the idea, the juror, the criterion with its
  highest score and weight, the score and comment, and the review's status.

Every text cell goes through :func:`~participation.results.exports.neutralise` and is
stored as a text cell, so nothing a participant typed ("=HYPERLINK(…)", "+…", "-…",
"@…") runs as a formula. Headings follow the active language (Persian in the admin by
default); dates are Solar Hijri with Persian digits.
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from wagtail.log_actions import log

from participation import audit
from participation.audit.choices import AuditAction
from participation.jalali import jalali_text
from participation.questions.schema import read_questions
from participation.results.exports import neutralise, sheets_xlsx_response

from . import jury, services
from .answers import answer_text
from .choices import CoAuthorStatus, IdeaKind, IdeaStatus
from .models import CriterionScore, Idea, IdeaAuthor, ReviewAssignment

logger = logging.getLogger("hadaf.ideas")

EXPORTED_ACTION = "hadaf.ideas.exported"


def record_export(page, user):
    """Log and audit that ``user`` exported ``page``'s workbook (before the file is made)."""
    with transaction.atomic():
        log(instance=page, action=EXPORTED_ACTION, user=user, data={"format": "xlsx"})
        logger.info("%s page %s by user %s", EXPORTED_ACTION, page.pk, user.pk)
        audit.record(user, AuditAction.EXPORT, target=page, call=page, format="xlsx")


CHUNK_SIZE = 500


# ---- Reading answers -----------------------------------------------------------------------


def answers_of(questionnaire, idea_answers):
    """``[(question, text)]`` for every question of the call, in order ("" if unanswered)."""
    grouped = defaultdict(list)
    for answer in idea_answers:
        grouped[answer.question_id].append(answer)
    return [
        (question, answer_text(question, grouped[question.id]) if grouped[question.id] else "")
        for question in questionnaire.questions
    ]


# ---- People --------------------------------------------------------------------------------


def person_name(person, email=""):
    """A person's full name, or their email when they gave none."""
    if person is None:
        return email
    return person.get_full_name() or person.email


def accepted_authors(idea):
    """The authors who accepted (from ``idea.accepted_authors`` when prefetched)."""
    authors = getattr(idea, "accepted_authors", None)
    if authors is None:
        authors = list(
            idea.authors.filter(status=CoAuthorStatus.ACCEPTED).select_related("person__university")
        )
    return authors


def author_universities(authors):
    """The distinct universities of ``authors``, in order of first appearance."""
    names = []
    for author in authors:
        university = author.person.university if author.person else None
        if university is not None and university.name not in names:
            names.append(university.name)
    return names


def submissions_for_export(page):
    """The call's submitted ideas (not drafts), oldest first, with what the rows read."""
    return (
        Idea.objects.filter(call_key=page.call_key)
        .exclude(status=IdeaStatus.DRAFT)
        .select_related("organization")
        .annotate(attachment_count=Count("attachments", distinct=True))
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=IdeaAuthor.objects.filter(status=CoAuthorStatus.ACCEPTED).select_related(
                    "person__university"
                ),
                to_attr="accepted_authors",
            ),
            "answers",
        )
        .order_by("submitted_at", "pk")
    )


# ---- Rows ----------------------------------------------------------------------------------


def _text(value):
    """A cell: text is neutralised, numbers and dates stay what they are, nothing becomes ""."""
    if value is None:
        return ""
    if isinstance(value, int | float | datetime.date):
        return value
    return neutralise(str(value))


def _score(value):
    return round(value, 2) if value is not None else ""


def submission_rows(page, ranked=None):
    """Yield the header and then one row per submitted idea.

    Args:
        ranked: ``{idea id: RankedIdea}`` (``jury.ranking``); read here when omitted.
    """
    if ranked is None:
        ranked = {entry.idea_id: entry for entry in jury.ranking(page)}
    questionnaire = read_questions(page.questions)
    themes = dict(services.theme_choices(page))
    kinds = dict(IdeaKind.choices)
    statuses = dict(IdeaStatus.choices)
    header = [
        gettext("Code"),
        gettext("Title"),
        gettext("Kind"),
        gettext("Theme"),
        gettext("Status"),
        gettext("Reason"),
        gettext("Submitted at"),
        gettext("Submitted at (date)"),
        gettext("Language"),
        gettext("Authors"),
        gettext("Authors' emails"),
        gettext("Universities"),
        gettext("Organization"),
        gettext("Summary"),
        *[question.label for question in questionnaire.questions],
        gettext("Attachments"),
        gettext("Rank"),
        gettext("Score (normalized, 0–100)"),
        gettext("Raw score (0–100)"),
        gettext("Scored reviews"),
    ]
    yield [_text(value) for value in header]  # The call's questions are editors' text.
    for idea in submissions_for_export(page).iterator(CHUNK_SIZE):
        authors = accepted_authors(idea)
        entry = ranked.get(idea.pk)
        row = [
            str(idea.uuid),
            idea.title,
            str(kinds.get(idea.kind, idea.kind)),
            themes.get(idea.category, idea.category),
            str(statuses.get(idea.status, idea.status)),
            idea.status_reason,
            jalali_text(idea.submitted_at, "fa"),
            idea.submitted_at,  # A date cell beside the Solar Hijri text.
            idea.language,
            "، ".join(person_name(author.person, author.email) for author in authors),
            ", ".join(author.email for author in authors),
            "، ".join(author_universities(authors)),
            idea.organization.name if idea.organization else "",
            idea.summary,
            *[text for _question, text in answers_of(questionnaire, idea.answers.all())],
            idea.attachment_count,
            entry.rank if entry is not None and entry.score is not None else "",
            _score(entry.score) if entry is not None else "",
            _score(entry.raw_score) if entry is not None else "",
            entry.reviews if entry is not None else "",
        ]
        yield [_text(value) for value in row]


def score_rows(page):
    """Yield the header and then one row per review × criterion of the call."""
    criteria = jury.criteria_of(page)
    statuses = dict(ReviewAssignment._meta.get_field("status").choices)
    yield [
        gettext("Code"),
        gettext("Idea"),
        gettext("Juror"),
        gettext("Juror's email"),
        gettext("Criterion"),
        gettext("Score"),
        gettext("Highest score"),
        gettext("Weight"),
        gettext("Comment on the criterion"),
        gettext("Comment on the idea"),
        gettext("Review status"),
        gettext("Scored at"),
        gettext("Scored at (date)"),
        gettext("Reason for recusal"),
    ]
    reviews = (
        ReviewAssignment.objects.filter(idea__call_key=page.call_key)
        .select_related("idea", "reviewer")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.order_by("pk")))
        .order_by("idea__submitted_at", "idea__pk", "assigned_at", "pk")
    )
    for review in reviews.iterator(CHUNK_SIZE):
        scores = {score.criterion_id: score for score in review.scores.all()}
        for criterion in criteria:
            score = scores.get(criterion.id)
            row = [
                str(review.idea.uuid),
                review.idea.title,
                person_name(review.reviewer),
                review.reviewer.email,
                criterion.name,
                score.score if score is not None else "",
                criterion.max_score,
                criterion.weight,
                score.comment if score is not None else "",
                review.comment,
                str(statuses.get(review.status, review.status)),
                jalali_text(review.scored_at, "fa"),
                review.scored_at,
                review.recusal_reason,
            ]
            yield [_text(value) for value in row]


def export_filename(page):
    stamp = timezone.localdate().isoformat()
    return f"{page.slug}-ideas-{stamp}.xlsx"


def workbook_response(page):
    """The download: the submissions sheet, then the scores sheet."""
    ranked = {entry.idea_id: entry for entry in jury.ranking(page)}
    return sheets_xlsx_response(
        export_filename(page),
        [
            (pgettext("idea call", "Submissions"), submission_rows(page, ranked)),
            (gettext("Scores"), score_rows(page)),
        ],
    )
