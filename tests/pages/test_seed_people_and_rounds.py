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
    survey = SurveyCampaignPage.objects.get(slug=OPEN_SURVEY_SLUG, locale__language_code="fa")
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
    draft = RegulationDraftPage.objects.get(
        slug="student-associations-bylaw", locale__language_code="fa"
    )
    first = DraftRound.objects.get(call_key=draft.call_key, number=1)
    rows = [row for row in comparison.comparison_rows(draft, first) if row.decision]
    assert rows
    for row in rows:
        outcome = row.decision.outcome
        if outcome in {DecisionOutcome.ACCEPTED, DecisionOutcome.PARTLY_ACCEPTED}:
            assert row.final_status == "changed", (row.provision.label, outcome)
        else:
            assert row.final_status == "unchanged", (row.provision.label, outcome)


def test_the_calls_and_the_festival_have_english_translations(client):
    from pages.models import FestivalPage, RegulationDraftPage, SurveyCampaignPage

    seed()
    slugs = [
        OPEN_SURVEY_SLUG,
        "event-timing-survey",
        "student-associations-bylaw",
        "cultural-ideas-festival-1405",
        "cultural-experiences-1405",
    ]
    for slug in slugs:
        persian = client.get(f"/calls/{slug}/").content.decode()
        # «English» on the call leads to its translation, not to the English home.
        assert f'href="/en/calls/{slug}/" lang="en" hreflang="en"' in persian, slug
        response = client.get(f"/en/calls/{slug}/")
        assert response.status_code == 200, slug
        assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert client.get("/en/festival/").status_code == 200

    survey = SurveyCampaignPage.objects.get(slug=OPEN_SURVEY_SLUG, locale__language_code="en")
    assert survey.title == "Students' attitudes to the university's cultural programmes"
    labels = [block.value["label"] for block in survey.questions if "label" in block.value]
    assert "Your level of study or position" in labels
    level = next(b for b in survey.questions if b.value.get("code") == "level")
    assert [choice["label"] for choice in level.value["choices"]][0] == "Associate or bachelor's"
    draft = RegulationDraftPage.objects.get(
        slug="student-associations-bylaw", locale__language_code="en"
    )
    texts = [block.value.get("text", "") for block in draft.draft_text]
    assert any(text.startswith("The purpose of this bylaw") for text in texts)
    assert FestivalPage.objects.filter(locale__language_code="en", live=True).exists()
    # The English calls index lists the open calls.
    assert "Students&#x27; attitudes to the university&#x27;s cultural programmes" in (
        client.get("/en/calls/").content.decode()
    )
