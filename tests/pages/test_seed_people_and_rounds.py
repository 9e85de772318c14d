"""The seed's people and rounds hold together: jurors and winners sign in, respondents have
universities, roles are split, and round 2's text applies round 1's decisions."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participation.drafts import comparison
from participation.drafts.choices import DecisionOutcome
from participation.drafts.models import DraftRound
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import IdeaAuthor, JuryMember
from participation.people.demo import demo_password
from participation.submissions.models import Submission
from participation.surveys.demo import OPEN_SURVEY_SLUG
from tests.helpers import PROJECT_ROOT

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=StringIO())


def test_the_readmes_juror_and_the_winners_sign_in_with_the_demo_password(client):
    seed()
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    juror_email = re.search(r"a juror of the\s+festival call: `([^`]+)`", readme).group(1)
    juror = get_user_model().objects.get(email=juror_email)
    assert JuryMember.objects.filter(person=juror).exists()
    assert client.login(username=juror_email, password=demo_password())
    assert client.get("/ideas/jury/").status_code == 200
    winners = IdeaAuthor.objects.filter(
        idea__status=IdeaStatus.WINNER, status=CoAuthorStatus.ACCEPTED, person__isnull=False
    ).select_related("person")
    assert winners
    for author in winners:
        client.logout()
        assert client.login(username=author.person.email, password=demo_password()), author


def test_respondents_come_from_several_universities_unevenly():
    from pages.models import SurveyCampaignPage

    seed()
    survey = SurveyCampaignPage.objects.get(slug=OPEN_SURVEY_SLUG)
    universities = Counter(
        Submission.objects.filter(call_key=survey.call_key).values_list(
            "respondent_university", flat=True
        )
    )
    assert "" not in universities
    assert len(universities) >= 6
    shares = sorted(universities.values())
    assert shares[-1] > 2 * shares[0]  # Uneven, as a real sample is.
    assert shares[-1] < sum(shares) * 0.4


def test_the_editor_writes_and_the_moderator_approves():
    seed()
    User = get_user_model()
    editor = User.objects.get(email="editor@hadaf.test")
    moderator = User.objects.get(email="moderator@hadaf.test")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]


def test_round_two_applies_what_round_one_decided():
    from pages.models import RegulationDraftPage

    seed()
    draft = RegulationDraftPage.objects.get(slug="student-associations-bylaw")
    first = DraftRound.objects.get(call_key=draft.call_key, number=1)
    rows = [row for row in comparison.comparison_rows(draft, first) if row.decision]
    assert rows
    for row in rows:
        outcome = row.decision.outcome
        if outcome in {DecisionOutcome.ACCEPTED, DecisionOutcome.PARTLY_ACCEPTED}:
            assert row.final_status == "changed", (row.provision.label, outcome)
        else:
            assert row.final_status == "unchanged", (row.provision.label, outcome)
