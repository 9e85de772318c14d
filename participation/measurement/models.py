"""Population frames (versioned counts of the people a survey speaks for) and the survey's
measurement setting.

A frame is a name; each import of counts is a new :class:`FrameVersion` with the year it
refers to, so a report can say which counts it used and an old version stays as it was.
A survey names its frame in a :class:`SurveyMeasurement`, keyed by the call's ``call_key``
(its language versions share it), not in a page field.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.choices import Role

from .choices import DegreeLevel, Dimension, Gender

# Solar Hijri years a frame may refer to.
MIN_REFERENCE_YEAR = 1300
MAX_REFERENCE_YEAR = 1500
DEFAULT_TRIM_CAP = 5.0
MIN_TRIM_CAP = 1.5  # weightipy refuses caps at or below 1 and crawls below 1.5


class PopulationFrame(models.Model):
    """A population the ministry knows the size of, e.g. "Students and staff of the
    ministry's universities"; its counts are in its versions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("population frame")
        verbose_name_plural = _("population frames")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        """The newest version, which surveys measured against this frame use."""
        return self.versions.order_by("-number").first()


class FrameVersion(models.Model):
    """One import of a frame's counts: every row of one file, all or nothing."""

    frame = models.ForeignKey(PopulationFrame, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    reference_year = models.PositiveSmallIntegerField(
        _("reference year (Solar Hijri)"),
        validators=[MinValueValidator(MIN_REFERENCE_YEAR), MaxValueValidator(MAX_REFERENCE_YEAR)],
        help_text=_("The Solar Hijri year the counts refer to, for example ۱۴۰۴."),
    )
    source_name = models.CharField(_("file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    total = models.PositiveBigIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("population frame version")
        verbose_name_plural = _("population frame versions")
        ordering = ["frame", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "number"], name="one_frame_version_number"),
        ]

    def __str__(self):
        return f"{self.frame} v{self.number}"


class FrameCell(models.Model):
    """How many people of one university, role, gender and degree level the frame counts."""

    version = models.ForeignKey(FrameVersion, on_delete=models.CASCADE, related_name="cells")
    university = models.ForeignKey(
        "people.University",
        verbose_name=_("university"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    degree_level = models.CharField(
        _("degree level"), max_length=16, choices=DegreeLevel.choices, blank=True
    )
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("population frame row")
        verbose_name_plural = _("population frame rows")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "university", "role", "gender", "degree_level"],
                name="one_frame_cell_per_stratum",
            ),
        ]

    def __str__(self):
        return f"{self.university_id}/{self.role}/{self.gender}/{self.degree_level}={self.count}"


class SurveyMeasurement(models.Model):
    """What a survey is measured against: a frame, the dimensions, the weights' trimming cap."""

    call_key = models.UUIDField(_("call"), unique=True)
    frame = models.ForeignKey(
        PopulationFrame,
        verbose_name=_("population frame"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    dimensions = models.JSONField(_("dimensions"), default=list)
    trim_cap = models.FloatField(
        _("largest weight (times the average)"),
        default=DEFAULT_TRIM_CAP,
        validators=[MinValueValidator(MIN_TRIM_CAP)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey measurement")
        verbose_name_plural = _("survey measurements")

    def __str__(self):
        return f"{self.call_key} → {self.frame_id}"

    @property
    def dimension_list(self):
        """The chosen dimensions, in the frame's order, unknown values dropped."""
        chosen = set(self.dimensions or [])
        return [value for value in Dimension.values if value in chosen]
