"""The dimensions a population frame counts people by, and their categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class DegreeLevel(models.TextChoices):
    """A student's level of study; empty for faculty and staff (not applicable)."""

    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class Dimension(models.TextChoices):
    """A column of a population frame a survey can be measured against."""

    UNIVERSITY = "university", _("University")
    ROLE = "role", _("Role")
    GENDER = "gender", _("Gender")
    DEGREE_LEVEL = "degree_level", _("Degree level")


# The dimensions a response carries today (its role and university snapshot, see
# ``Submission.respondent_role``/``respondent_university``). Gender and degree level are
# counted in frames but not yet asked of respondents (issue 20 item 2).
RESPONDENT_DIMENSIONS = (Dimension.UNIVERSITY, Dimension.ROLE)
