from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is at their university; decides which calls they may answer."""

    STUDENT = "student", _("Student")
    FACULTY = "faculty", _("Faculty member")
    STAFF = "staff", _("Staff member")


class OrganizationKind(models.TextChoices):
    """The legal entities that take part as organizations."""

    STUDENT_ASSOCIATION = "student_association", _("Student association")
    CULTURAL_DEPUTY = "cultural_deputy", _("University cultural deputy")


class AcademicRank(models.TextChoices):
    """A faculty member's academic rank (مرتبهٔ علمی); only faculty have one."""

    INSTRUCTOR = "instructor", _("Instructor")
    ASSISTANT_PROFESSOR = "assistant_professor", _("Assistant professor")
    ASSOCIATE_PROFESSOR = "associate_professor", _("Associate professor")
    PROFESSOR = "professor", _("Professor")


class AcademicVerification(models.TextChoices):
    """How a person's academic status was confirmed."""

    EMAIL = "email", _("University email address")
    EDITOR = "editor", _("An editor")
