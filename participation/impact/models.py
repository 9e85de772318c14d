"""Commitments: what the ministry promises after an outcome, and how each one stands.

A commitment belongs to a call (by ``call_key``, the page's translation key, like every
contribution, so the Persian and English versions share it), cites the contributions that
led to it (:class:`CommitmentSource`, through ``participation.sources``), has milestones and
dated public updates. Every change an editor makes goes through ``services``, which write
an update row, an audit row and tell the contributors after the transaction commits.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, Page

from participation.choices import (
    SOURCE_KINDS_BY_QUESTION,
    SOURCE_KINDS_BY_ROW,
    CallKind,
    SourceKind,
)
from participation.sources import SourceRef

from .choices import CommitmentStatus, UpdateKind

QUESTION_ID_LENGTH = 36


class CommitmentQuerySet(models.QuerySet):
    def public(self):
        """Commitments of calls the public may see: live, and with no view restriction
        (a password, sign-in or group) on the page or above it, as Wagtail's own
        ``Page.objects.public()`` decides; a restricted call's commitments would otherwise
        show its title, the cited contributions and the updates to anyone."""
        return self.filter(call__in=Page.objects.live().public().values("pk"))

    def for_listing(self):
        """With everything a list shows, in a fixed number of queries."""
        return self.select_related("call", "university").prefetch_related(
            "sources", "milestones", "updates"
        )


class Commitment(ClusterableModel):
    """One thing the ministry committed to after a call, tracked to completion."""

    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_key = models.UUIDField(_("call"), db_index=True, editable=False)
    # The kind of the call, kept to filter by it without reading the pages.
    call_kind = models.CharField(
        _("kind of call"), max_length=16, choices=CallKind.choices, editable=False
    )
    title = models.CharField(_("what we will do"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.CharField(
        _("responsible unit"),
        max_length=200,
        blank=True,
        help_text=_("The ministry office or university unit that carries it out."),
    )
    university = models.ForeignKey(
        "people.University",
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("When a university carries it out."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    # Why it was dropped, shown to the public; set by the services with the status.
    status_reason = models.TextField(_("why it was dropped"), blank=True, editable=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "call_kind"], name="commitment_filters")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values), name="commitment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="commitment_progress_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.DONE) | Q(progress=100),
                name="commitment_done_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.DROPPED) | ~Q(status_reason=""),
                name="commitment_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(responsible_unit="") | Q(university__isnull=False),
                name="commitment_has_responsible_unit",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def unit_label(self):
        """Who carries it out: the unit, with its university when there is one."""
        if self.university_id and self.responsible_unit:
            return gettext("%(unit)s, %(university)s") % {
                "unit": self.responsible_unit,
                "university": self.university,
            }
        return self.responsible_unit or str(self.university or "")

    @property
    def tone(self):
        """The style modifier of its status badge (static/css/impact.css)."""
        return self.status.replace("_", "-")

    @property
    def is_closed(self):
        return self.status in (CommitmentStatus.DONE, CommitmentStatus.DROPPED)


class CommitmentSource(models.Model):
    """A contribution that led to a commitment: a row of a feature app or a survey question.

    Which model a row kind names is the business of the app that registered it
    (``participation.sources``); the table only keeps the reference, complete and once.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=24, choices=SourceKind.choices)
    call_key = models.UUIDField(_("call"))
    object_id = models.PositiveBigIntegerField(_("id"), null=True, blank=True)
    question_id = models.CharField(_("question"), max_length=QUESTION_ID_LENGTH, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="commitment_source_row")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=SOURCE_KINDS_BY_ROW, object_id__isnull=False, question_id="")
                    | (
                        Q(kind__in=SOURCE_KINDS_BY_QUESTION, object_id__isnull=True)
                        & ~Q(question_id="")
                    )
                ),
                name="commitment_source_row_or_question",
            ),
            models.UniqueConstraint(
                fields=["commitment", "kind", "object_id"],
                condition=Q(object_id__isnull=False),
                name="one_citation_per_row",
            ),
            models.UniqueConstraint(
                fields=["commitment", "call_key", "question_id"],
                condition=~Q(question_id=""),
                name="one_citation_per_question",
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id or self.question_id}"

    @property
    def ref(self):
        return SourceRef(
            kind=self.kind,
            call_key=self.call_key,
            object_id=self.object_id,
            question_id=self.question_id,
        )


class Milestone(Orderable):
    """A step on the way, with its (Jalali-entered) date, ticked off when done."""

    commitment = ParentalKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    date = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class CommitmentUpdate(models.Model):
    """A dated public update: the commitment made, a change of status, progress or due
    date (with its reason), or news in the editor's words."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=16, choices=UpdateKind.choices)
    date = models.DateField(_("date"))
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=16, choices=CommitmentStatus.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"))
    previous_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    previous_due_date = models.DateField(_("previous due date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="commitment_update_progress_percent",
            ),
            # Dropping and delaying are explained, in public.
            models.CheckConstraint(
                condition=~(
                    Q(status=CommitmentStatus.DROPPED)
                    & ~Q(previous_status=CommitmentStatus.DROPPED)
                    & Q(text="")
                ),
                name="commitment_update_drop_has_reason",
            ),
            models.CheckConstraint(
                condition=~(Q(due_date__gt=F("previous_due_date")) & Q(text="")),
                name="commitment_update_delay_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind=UpdateKind.NOTE) | ~Q(text=""),
                name="commitment_update_news_has_text",
            ),
        ]

    def __str__(self):
        return f"{self.commitment_id} {self.date}: {self.get_kind_display()}"

    @property
    def status_changed(self):
        return bool(self.previous_status) and self.previous_status != self.status

    @property
    def delayed(self):
        return bool(
            self.due_date and self.previous_due_date and self.due_date > self.previous_due_date
        )


HEARD_SCORES = (1, 2, 3, 4, 5)
HEARD_TEXT_LENGTH = 1000


class HeardAnswer(models.Model):
    """One contributor's answer to "did we hear you?" after a call's outcome, given once.

    Published only as aggregates with small groups hidden (``hearing``); the words only to
    editors, without the name or the score beside them. The date is a day, not a time.
    """

    call = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_key = models.UUIDField(_("call"), db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="heard_answers",
    )
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    text = models.TextField(_("in your words"), blank=True, max_length=HEARD_TEXT_LENGTH)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_on = models.DateField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("“did we hear you?” answer")
        verbose_name_plural = _("“did we hear you?” answers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_key", "person"], name="one_heard_answer_per_call"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="heard_score_one_to_five"
            ),
        ]

    def __str__(self):
        return f"{self.call_key}: {self.score}"


class FigureScope(models.TextChoices):
    """Whose view a summary row is for: editors see every call, the public live ones."""

    EDITORS = "editors", _("Editors")
    PUBLIC = "public", _("Public")


class FigureDimension(models.TextChoices):
    """What a summary row is grouped by."""

    TOTAL = "total", _("Everything")
    KIND = "kind", _("Kind of call")
    CALL = "call", _("Call")
    UNIVERSITY = "university", _("University")
    ROLE = "role", _("Role")
    MONTH = "month", _("Month")


def _count(label=""):
    return models.BigIntegerField(label, default=0)


class ContributionFigure(models.Model):
    """Counts of contributions of one call, month, university and role (the grain).

    Written by ``effectiveness.refresh`` from database aggregates over the submissions and
    the feature apps' contributions (``participation.effectiveness``); the rollups in
    :class:`EffectivenessFigure` are aggregated from these rows.
    """

    call_key = models.UUIDField()
    call_kind = models.CharField(max_length=16, choices=CallKind.choices)
    public = models.BooleanField(default=False)
    month = models.CharField(max_length=7, blank=True)
    university = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=16, blank=True)
    people = _count()
    started = _count()
    contributions = _count()
    withdrawn = _count()
    answerable = _count()
    decided = _count()
    accepted = _count()
    committed = _count()
    done = _count()
    told = _count()

    def __str__(self):
        return f"{self.call_key} {self.month} {self.university} {self.role}"


class EffectivenessFigure(models.Model):
    """One row of the effectiveness dashboard, precomputed: what it shows is read, not counted.

    ``dimension`` and ``key`` say what the row is about (a kind, a call's key, a
    university's name, a role, a Jalali month "1403-05"; "" for the total); ``label`` is a
    call's title. Medians are in days.
    """

    scope = models.CharField(max_length=8, choices=FigureScope.choices)
    dimension = models.CharField(max_length=12, choices=FigureDimension.choices)
    key = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=255, blank=True)
    call_kind = models.CharField(max_length=16, blank=True)
    calls = _count()
    people = _count()
    started = _count()
    contributions = _count()
    withdrawn = _count()
    answerable = _count()
    decided = _count()
    accepted = _count()
    committed = _count()
    done = _count()
    told = _count()
    organization_contributions = _count()
    commitments = _count()
    commitments_done = _count()
    commitments_dropped = _count()
    days_to_outcome = models.FloatField(null=True)
    days_to_done = models.FloatField(null=True)
    # "Did we hear you?" answers (calls, kinds and the total only): how many, and the sum of
    # their scores (1–5), for the mean. The public's are over whole batches of
    # ``min_group()`` answers per call, as ``hearing.public_summary`` publishes them.
    heard = _count()
    heard_score_sum = _count()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("effectiveness figure")
        verbose_name_plural = _("effectiveness figures")
        ordering = ["scope", "dimension", "key"]
        indexes = [models.Index(fields=["scope", "dimension"], name="effectiveness_scope")]
        permissions = [("view_effectiveness", _("Can see the effectiveness dashboard"))]

    def __str__(self):
        return f"{self.scope} {self.dimension} {self.key}"

    @staticmethod
    def _share(part, whole):
        return round(100 * part / whole, 1) if whole else None

    @property
    def decided_share(self):
        """Percent of the contributions that get an answer of their own that got one."""
        return self._share(self.decided, self.answerable)

    @property
    def acceptance_share(self):
        """Percent of the decided contributions that were accepted."""
        return self._share(self.accepted, self.decided)

    @property
    def committed_share(self):
        return self._share(self.committed, self.answerable)

    @property
    def told_share(self):
        """Percent of the contributions with an answer of their own whose authors were told."""
        return self._share(self.told, self.answerable)

    @property
    def heard_mean(self):
        """The mean "did we hear you?" score (1–5) to one decimal, or ``None``."""
        return round(self.heard_score_sum / self.heard, 1) if self.heard else None

    @property
    def completion_share(self):
        """Percent of the commitments done."""
        return self._share(self.commitments_done, self.commitments)
