"""The editor's "republish results": exclusions reach public figures only by a batch.

Excluding one response and republishing at once would show, in the difference of the two
public versions, the excluded answer; the action moves only the questions whose answers
changed by at least a batch of people since they were last published, and says so in
Persian when nothing can move.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageLogEntry

import participation.results.wagtail_hooks  # noqa: F401 - registers the admin URL
from participation.questions.schema import read_questions
from participation.submissions.services import set_counted
from tests.helpers.disclosure_attacker import THRESHOLD
from tests.helpers.results import make_survey, respond
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def status_counts(client, page):
    cache.clear()
    response = client.get(f"/api/v2/pages/{page.pk}/")
    question = read_questions(page.questions).by_code()["status"]
    (found,) = [q for q in response.json()["results"]["questions"] if q["id"] == question.id]
    return found["respondents"], [choice["count"] for choice in found["choices"]]


@pytest.fixture
def survey(results_index, settings):
    settings.HADAF_RESULTS_MIN_GROUP = THRESHOLD
    page = make_survey(results_index, slug="republish")
    people = {status: [respond(page, status=status) for _ in range(10)] for status in (0, 1, 2)}
    return page, people


def exclude(page, submission, counted=False):
    set_counted(submission, read_questions(page.questions), counted=counted)


def republish(client, page):
    response = client.post(reverse("hadaf_results_admin:republish", args=[page.pk]))
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_republishing_right_after_one_exclusion_is_refused(client, results_editor, survey):
    page, people = survey
    before = status_counts(client, page)
    assert before == (30, [10, 10, 10])
    exclude(page, people[2][0])
    client.force_login(results_editor)
    (message,) = republish(client, page)
    assert "نتایج عمومی تغییر نکرد" in message  # Persian: public results were not changed.
    assert status_counts(client, page) == before
    assert not PageLogEntry.objects.filter(action="hadaf.results_republished").exists()
    # Counting it again and excluding another of the same answer: still one person out.
    exclude(page, people[2][0], counted=True)
    exclude(page, people[2][1])
    republish(client, page)
    assert status_counts(client, page) == before


def test_republishing_after_a_batch_of_exclusions_moves_public_results(
    client, results_editor, survey
):
    page, people = survey
    status_counts(client, page)
    for submission in people[2][:THRESHOLD]:
        exclude(page, submission)
    client.force_login(results_editor)
    (message,) = republish(client, page)
    assert "بازنشر شد" in message  # Persian: republished.
    assert status_counts(client, page) == (30 - THRESHOLD, [10, 10, 10 - THRESHOLD])
    entry = PageLogEntry.objects.get(action="hadaf.results_republished")
    assert entry.user == results_editor and entry.page_id == page.pk


def test_only_editors_may_republish(client, survey):
    page, _people = survey
    url = reverse("hadaf_results_admin:republish", args=[page.pk])
    client.force_login(UserFactory())
    assert client.post(url).status_code in (302, 403)  # Wagtail sends non-staff to login.
    assert not PageLogEntry.objects.filter(action="hadaf.results_republished").exists()


def test_the_republish_page_explains_batches_in_persian(client, results_editor, survey):
    page, _people = survey
    client.force_login(results_editor)
    response = client.get(reverse("hadaf_results_admin:republish", args=[page.pk]))
    assert response.status_code == 200
    assert "بازنشر نتایج" in response.content.decode()
