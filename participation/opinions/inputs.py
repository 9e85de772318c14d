"""What feeds a call's opinion map: every input, mapped to the engine's votes, in one place.

The engine (:mod:`.engine`) reads a participant × item matrix of ``1`` agree, ``-1``
disagree, ``0`` pass and ``NaN`` unseen. :func:`call_matrix` builds it from every input a
call has; each input's mapping is written down here and nowhere else.

**Statements** (the statements block): the vote as cast (:class:`.choices.VoteValue`).
Statements not published by moderation stay as columns the engine excludes.

**Survey Likert questions and matrix rows** (:func:`likert_vote`), one item per Likert
question and one per matrix row, over the responses that count in results (submitted, not
withdrawn, not excluded by an editor: ``Submission.counts_in_results``, what
``results.tally`` counts):

* a point on the agree side of the scale (above its middle) → agree;
* a point on the disagree side (below the middle) → disagree;
* the neutral middle (5- and 7-point scales have one) → pass (seen, no side);
* no answer (skipped, hidden by a condition, asked after the response) → unseen.

A **reverse-coded** item maps the same way: by the side of the scale the person chose on
the wording they read ("I agree that …"), not by the reverse-scored value results use for
means. The map groups people who answered the same wording alike; reverse scoring is about
adding items into one attitude score, which the map does not do (and a reversed column
would only flip the sign of its loading in the PCA).

**A draft's clause stances** (``participation.drafts.opinion_source``, through the kernel's
``opinion_inputs``): the current round's published stances, one item per clause
(:data:`STANCE_VOTES`):

* agree → agree;
* oppose → disagree; delete → disagree (wants the clause gone: against it as written);
* amend → **pass**. An amendment accepts what the clause is for and objects to its wording:
  neither side of "do you agree with this clause?". Counting it as disagree would put
  people who want a clause reworded beside those who want it deleted, and make a clause
  everyone wants kept but improved look divisive. As a pass it is seen (it counts among
  the voters) without pushing either side; the amendment itself stays in the draft's
  discussion.

**Rows.** One row per participant. Where the participant is an account and the call is not
anonymous-verified, their statement votes, survey answers and stances share one row (in
the order first seen: statement voters by first vote, then survey respondents by response
time, then the other sources' participants by first answer). A response with no account —
every response of an anonymous-verified call, and one whose account was erased — is a row
of its own, keyed by the response alone and ordered by its random ``uuid`` (never by time:
docs/privacy.md); for an anonymous-verified call, the query never reads the response's
account column. Such rows have no role or university (the response keeps none), so they
are left out of the editor's breakdown.

Reading costs a fixed number of queries, whatever the number of participants.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from participation import opinion_inputs
from participation.calls import call_page_model
from participation.choices import AnonymityMode, CallKind, ModerationState, SubmissionStatus
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.submissions.models import Answer

from . import engine
from .models import Statement, StatementVote

STATEMENT = "statement"
LIKERT = "likert"
MATRIX = "matrix"
CLAUSE = "clause"

KIND_LABELS = {
    STATEMENT: _("Statement"),
    LIKERT: _("Survey question"),
    MATRIX: _("Survey statement (table)"),
    CLAUSE: _("Clause of the draft"),
}

# A draft's stance (``participation.drafts.choices.Stance``) as a vote: see the docstring.
STANCE_VOTES = {
    "agree": engine.AGREE,
    "oppose": engine.DISAGREE,
    "delete": engine.DISAGREE,
    "amend": engine.PASS,
}
# How each source's answers map to votes, by the source's item kind.
SOURCE_VOTES = {CLAUSE: STANCE_VOTES}

SCALE_TYPES = (QuestionType.LIKERT, QuestionType.MATRIX)


def likert_vote(point, points):
    """The vote of ``point`` on a ``points``-point scale (1 = the disagree end).

    Returns:
        float: agree above the scale's middle, disagree below it, pass on it; NaN (unseen)
        for no answer or a point off the scale.
    """
    if point is None or not points:
        return math.nan
    point = float(point)
    if math.isnan(point) or not 1 <= point <= points:
        return math.nan
    middle = (points + 1) / 2
    if point > middle:
        return engine.AGREE
    if point < middle:
        return engine.DISAGREE
    return engine.PASS


def stance_vote(stance):
    """The vote of a draft's clause stance (NaN: no stance, or one not mapped)."""
    return STANCE_VOTES.get(stance, math.nan)


def likert_key(question_id):
    return f"{LIKERT}:{question_id}"


def matrix_key(question_id, row_id):
    return f"{MATRIX}:{question_id}:{row_id}"


def source_key(kind, item_key):
    return f"{kind}:{item_key}"


@dataclass
class Column:
    """What a non-statement item is, for the snapshot: kind, name and wording by language."""

    key: str
    kind: str
    labels: dict
    texts: dict = field(default_factory=dict)

    def stored(self):
        """The column as the snapshot keeps it (``data["columns"][key]``)."""
        return {"kind": self.kind, "label": self.labels, "text": self.texts}


@dataclass
class VoteMatrix:
    """A call's votes as the engine reads them, with what each row and column is.

    ``participants`` (a row's key: an account id, or ``("response", n)`` for a response
    with no account, ``n`` its place in the uuid order) stay in this module and
    :mod:`.maps`: they count roles and universities per group and are never stored.
    """

    votes: np.ndarray  # (participants, items), NaN unseen
    statements: list  # item key per column: a statement's uuid, or "<kind>:<id>"
    excluded: list  # column indices of statements not published (pending, hidden, removed)
    participants: list  # row key per row
    vote_count: int
    columns: dict = field(default_factory=dict)  # item key → Column, non-statement items
    anonymous: bool = False  # an anonymous-verified call

    @property
    def accounts(self):
        """The account ids among the rows (for the role and university breakdown)."""
        return [key for key in self.participants if isinstance(key, int)]


class _Builder:
    """Rows and columns as they come, then the matrix."""

    def __init__(self):
        self.rows = {}
        self.keys, self.excluded, self.columns = [], [], {}
        self.column_of = {}
        self.cells = ([], [], [])

    def column(self, key, column=None, excluded=False):
        if key not in self.column_of:
            self.column_of[key] = len(self.keys)
            self.keys.append(key)
            if excluded:
                self.excluded.append(self.column_of[key])
            if column is not None:
                self.columns[key] = column
        return self.column_of[key]

    def add(self, row_key, column_key, value):
        if math.isnan(value):
            return
        rows, cols, values = self.cells
        rows.append(self.rows.setdefault(row_key, len(self.rows)))
        cols.append(self.column_of[column_key])
        values.append(value)

    def matrix(self, anonymous):
        rows, cols, values = self.cells
        shape = (len(self.rows), len(self.keys))
        votes = engine.votes_from_triples(rows, cols, values, shape) if rows else np.empty(shape)
        return VoteMatrix(
            votes=votes,
            statements=self.keys,
            excluded=self.excluded,
            participants=list(self.rows),
            vote_count=len(values),
            columns=self.columns,
            anonymous=anonymous,
        )


def call_pages(call_key):
    """The call's pages (every language version; live ones when any is) and their kind."""
    for kind in (CallKind.SURVEY, CallKind.DRAFT):
        model = call_page_model(kind)
        pages = list(model.objects.filter(translation_key=call_key).select_related("locale"))
        if pages:
            live = [page for page in pages if page.live] or pages
            return live, kind
    return [], None


def add_statements(builder, call_key):
    """The statement votes: one column per statement, rows by first vote."""
    statements = Statement.objects.filter(call_key=call_key).order_by("pk")
    uuids = {}
    for pk, uuid, state in statements.values_list("pk", "uuid", "moderation_state"):
        uuids[pk] = str(uuid)
        builder.column(str(uuid), excluded=state != ModerationState.PUBLISHED)
    votes = (
        StatementVote.objects.filter(statement__call_key=call_key)
        .order_by("created_at", "pk")
        .values_list("participant_id", "statement_id", "value")
    )
    for participant_id, statement_id, value in votes.iterator(chunk_size=5000):
        builder.add(participant_id, uuids[statement_id], float(value))


def survey_columns(pages):
    """``{question id: (type, points, [(row id, item key)])}`` and the columns, in form order.

    Labels come from every language version of the survey (block ids are shared).
    """
    scales, columns = {}, {}
    for page in pages:
        language = page.locale.language_code
        for question in read_questions(page.questions).questions:
            if question.type not in SCALE_TYPES:
                continue
            if question.type == QuestionType.LIKERT:
                parts = [("", likert_key(question.id), question.label, "")]
            else:
                parts = [
                    (row.id, matrix_key(question.id, row.id), row.label, question.label)
                    for row in question.rows
                ]
            scales.setdefault(
                question.id,
                (question.type, len(question.scale), [(row, key) for row, key, *_ in parts]),
            )
            for _row, key, label, text in parts:
                kind = LIKERT if question.type == QuestionType.LIKERT else MATRIX
                column = columns.setdefault(key, Column(key=key, kind=kind, labels={}, texts={}))
                column.labels[language] = str(label)
                if text:
                    column.texts[language] = str(text)
    return scales, columns


def add_survey(builder, call_key, pages, anonymous):
    """The counted responses' Likert and matrix answers (see the module docstring)."""
    scales, columns = survey_columns(pages)
    if not scales:
        return
    for _type, _points, parts in scales.values():
        for _row, key in parts:
            builder.column(key, columns[key])
    answers = Answer.objects.filter(
        submission__call_key=call_key,
        submission__status=SubmissionStatus.SUBMITTED,
        submission__excluded_from_results=False,
        question_id__in=list(scales),
    )
    if anonymous:
        # The response alone: its account column is never read.
        rows = answers.order_by("submission__uuid", "pk").values_list(
            "submission_id", "question_id", "row_id", "number"
        )
        named = ((None, *row) for row in rows.iterator(chunk_size=5000))
    else:
        rows = answers.order_by("submission__submitted_at", "submission_id", "pk").values_list(
            "submission__participant_id", "submission_id", "question_id", "row_id", "number"
        )
        named = rows.iterator(chunk_size=5000)
    unlinked = {}
    for participant_id, submission_id, question_id, row_id, number in named:
        question_type, points, parts = scales[question_id]
        if question_type == QuestionType.LIKERT:
            key = parts[0][1]
        else:
            key = next((key for row, key in parts if row == row_id), None)
            if key is None:  # a row since removed from the matrix
                continue
        if participant_id is None:
            row_key = ("response", unlinked.setdefault(submission_id, len(unlinked)))
        else:
            row_key = participant_id
        builder.add(row_key, key, likert_vote(number, points))


def add_sources(builder, call_key, call_kind):
    """The answers of the feature apps' registered sources (a draft's stances)."""
    for source in opinion_inputs.sources_for(call_kind):
        votes = SOURCE_VOTES.get(source.kind)
        if votes is None:
            continue
        read = source.read(call_key)
        for item in read.items:
            key = source_key(source.kind, item.key)
            builder.column(
                key, Column(key=key, kind=source.kind, labels=item.labels, texts=item.texts)
            )
        for account_id, item_key, answer in read.answers:
            key = source_key(source.kind, item_key)
            if key in builder.column_of:
                builder.add(account_id, key, votes.get(answer, math.nan))


def registered_sources():
    """The registered sources that say when their answers changed."""
    return [source for source in opinion_inputs.all_sources() if source.last_changed]


def call_matrix(call_key):
    """Every input of the call as one :class:`VoteMatrix` (see the module docstring)."""
    pages, call_kind = call_pages(call_key)
    anonymous = any(
        getattr(page, "anonymity", None) == AnonymityMode.ANONYMOUS_VERIFIED for page in pages
    )
    builder = _Builder()
    add_statements(builder, call_key)
    if call_kind == CallKind.SURVEY:
        add_survey(builder, call_key, pages, anonymous)
    if call_kind is not None and not anonymous:
        add_sources(builder, call_key, call_kind)
    return builder.matrix(anonymous)


def kind_label(kind):
    """The item kind's name, for people (a statement's when unknown)."""
    return KIND_LABELS.get(kind, KIND_LABELS[STATEMENT])
