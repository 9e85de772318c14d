"""The demo seed stores anonymous-verified responses as real ones are stored (docs/privacy.md):
random ids, the day only, no start time, no time taken, mixed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from pages.models import SurveyCampaignPage
from participation.choices import AnonymityMode
from participation.submissions.models import Answer, Submission, coarse_time
from participation.surveys.demo import CLOSED_SURVEY_SLUG

pytestmark = pytest.mark.django_db


@override_settings(HADAF_DEMO_RESPONSES=25)
def test_seeded_anonymous_responses_carry_no_order_and_no_exact_time():
    call_command("seed_demo", force=True, stdout=StringIO())
    survey = SurveyCampaignPage.objects.get(slug=CLOSED_SURVEY_SLUG, locale__language_code="fa")
    assert survey.anonymity == AnonymityMode.ANONYMOUS_VERIFIED
    submissions = list(Submission.objects.filter(call_key=survey.call_key))
    assert len(submissions) == 10  # two fifths of 25
    for submission in submissions:
        assert submission.participant_id is None
        assert submission.pk < 0  # random, from no sequence
        assert submission.submitted_at == coarse_time(submission.submitted_at)
        assert submission.updated_at == coarse_time(submission.updated_at)
        assert submission.started_at is None
        assert submission.duration_seconds is None  # no time taken: it dated the sitting
        assert not submission.awaiting_mix  # mixed, as the scheduled job would
    answers = Answer.objects.filter(submission__call_key=survey.call_key)
    assert answers.exists() and not answers.filter(id__gt=0).exists()
