"""A plain wagtail.contrib.forms form page: what the survey engine is measured against.

Submissions are stored the wagtail.contrib.forms way, one ``FormSubmission`` row per
response with the answers in a JSON column; results are counted from that JSON in Python.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField


class BaselineFormField(AbstractFormField):
    page = ParentalKey("BaselineFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BaselineFormPage(AbstractForm):
    """The same questions as the bench survey, as wagtail.contrib.forms fields."""

    template = "baseline/baseline_form_page.html"
    landing_page_template = "baseline/baseline_form_page_landing.html"
