"""Results of an anonymous-verified survey: no profile copied, no cross-tabs, pages still work.

Issue 16: an anonymous-verified response keeps nothing from the account (role, university),
so its call's results have no role or university columns; the page, the editor's view and
``/api/v2/`` render from the everyone segment alone.
"""

import pytest

from participation.choices import AnonymityMode
from participation.results import aggregates, rebuild
from participation.submissions import mixing
from participation.submissions.models import AnswerTally, Submission
from tests.helpers.results import make_survey, respond_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_survey(results_index):
    survey = make_survey(
        results_index, slug="anonymous-results", anonymity=AnonymityMode.ANONYMOUS_VERIFIED
    )
    respond_many(survey, 12, universities=("دانشگاه الف", "دانشگاه ب"))
    # A batch of ten was opened as it filled; the call closes and the last two are opened.
    mixing.mix(survey.call_key, closing=True)
    return survey


def test_anonymous_responses_keep_no_role_or_university(anonymous_survey):
    submissions = Submission.objects.filter(call_key=anonymous_survey.call_key)
    assert submissions.count() == 12
    assert set(submissions.values_list("respondent_role", "respondent_university")) == {("", "")}
    tallies = AnswerTally.objects.filter(call_key=anonymous_survey.call_key)
    assert set(tallies.values_list("segment", flat=True)) == {""}
    # Rebuilding gives the same: the everyone segment only, and no difference.
    assert rebuild.tally_differences(anonymous_survey.call_key) == {}
    types = rebuild.question_types_for(anonymous_survey.call_key)
    expected = rebuild.expected_tallies(anonymous_survey.call_key, types)
    assert expected and {key[0] for key in expected} == {""}


def test_results_page_and_api_render_without_cross_tabs(client, anonymous_survey, results_editor):
    url = anonymous_survey.url + "results/"
    public = client.get(url)
    assert public.status_code == 200
    assert public.context["results"].responses == 12
    assert public.context["sections"]
    assert not any(section.crosstabs for section in public.context["sections"])
    client.force_login(results_editor)
    editor = client.get(url)
    assert editor.status_code == 200 and editor.context["is_editor"]
    assert not any(section.crosstabs for section in editor.context["sections"])
    assert aggregates.load_tallies(anonymous_survey).segments(aggregates.ROLE_PREFIX) == []
    api = client.get(f"/api/v2/pages/{anonymous_survey.pk}/")
    assert api.status_code == 200
    results = api.json()["results"]
    assert results["responses"] == 12 and results["questions"]
