from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is at their university; decides which calls they may answer."""

    STUDENT = "student", _("Student")
    FACULTY = "faculty", _("Faculty member")
    STAFF = "staff", _("Staff member")
