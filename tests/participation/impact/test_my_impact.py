""" "My impact" (تأثیر من) on the dashboard: which of my contributions commitments cite and
how those stand, never traced from an anonymous-verified call, in a query count that does
not grow with the commitments."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation import my_impact, sources
from participation.impact import services
from participation.impact.choices import CommitmentStatus
from participation.impact.models import Commitment
from tests.participation.dashboard.conftest import respond
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

from .conftest import decision_ref, idea_ref, make

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


def test_my_impact_shows_what_my_contributions_led_to(
    client, draft, decision, commenter, editor, university
):
    commitment = make(
        editor,
        draft,
        refs=[decision_ref(decision)],
        progress=35,
        status=CommitmentStatus.IN_PROGRESS,
    )
    # News of a later day (updates cannot be dated in the future, so published then).
    with time_machine.travel(datetime.datetime(2030, 3, 22, 9, tzinfo=datetime.UTC)):
        services.publish_news(
            editor, commitment, "دستورالعمل به معاونت‌ها ابلاغ شد.", date=datetime.date(2030, 3, 21)
        )
    client.force_login(commenter)
    page = client.get(URL).content.decode()
    assert "تأثیر من" in page
    impact = page[page.index('id="impact"') : page.index('id="notifications"')]
    assert "انتشار عمومی گزارش مالی تشکل‌ها" in impact  # the commitment
    assert f'href="/commitments/{commitment.pk}/"' in impact  # on the public tracker
    assert "در حال انجام" in impact  # its status, in Persian
    assert "۳۵" in impact and ">35<" not in impact  # progress in Persian digits
    assert "۱ فروردین ۱۴۰۹" in impact  # the latest update, on the Jalali calendar
    assert "دستورالعمل به معاونت‌ها ابلاغ شد." in impact
    assert "پذیرفته" in impact  # what became of my comment's clause: accepted
    assert f"?call={draft.call_key}" in impact  # the call's tracker

    # Another person sees none of it.
    client.force_login(UserFactory(email="other@university.test"))
    other = client.get(URL).content.decode()
    assert "انتشار عمومی گزارش مالی تشکل‌ها" not in other


def test_a_dropped_commitment_says_why_on_my_dashboard(client, draft, decision, commenter, editor):
    make(
        editor,
        draft,
        refs=[decision_ref(decision)],
        status=CommitmentStatus.DROPPED,
        reason="بودجهٔ سال جاری تصویب نشد.",
    )
    client.force_login(commenter)
    page = client.get(URL).content.decode()
    assert "کنار گذاشته" in page
    assert "بودجهٔ سال جاری تصویب نشد." in page


def test_anonymous_verified_contributions_are_never_traced_to_me(
    client, draft, idea_page, idea, idea_author, editor
):
    make(editor, draft, refs=[idea_ref(idea)], title="تعهد از ایده‌ای بی‌نام")
    assert idea_ref(idea) in sources.contributed_by(idea_author)
    idea_page.anonymity = "anonymous"
    idea_page.save_revision().publish()

    assert sources.contributed_by(idea_author) == set()
    entries = my_impact.of(idea_author)
    assert not any(entry.commitments for entry in entries)
    client.force_login(idea_author)
    assert "تعهد از ایده‌ای بی‌نام" not in client.get(URL).content.decode()


def test_an_anonymous_survey_answer_is_not_traced_but_its_person_is_asked(calls, editor):
    """An anonymous-verified response has no link to its account: no question of it is
    traced to the person, but their receipt says they took part, so they are asked."""
    now = timezone.now()
    survey = SurveyCampaignPageFactory(parent=calls, slug="anon-survey", anonymity="anonymous")
    person = UserFactory(email="anon@university.test")
    respond(survey, person)
    survey.closes_at = now - datetime.timedelta(hours=2)
    survey.outcome_published_at = now - datetime.timedelta(hours=1)
    survey.save_revision().publish()
    refs = [
        ref for ref, _label in sources.candidates(survey.specific)
    ]  # every question of the survey
    make(editor, survey, refs=refs[:3], title="تعهد از نظرسنجی بی‌نام")

    assert sources.contributed_by(person) == set()
    assert survey.translation_key in sources.calls_of(person)
    (entry,) = my_impact.of(person)
    assert entry.commitments == [] and entry.contributions == []
    assert entry.heard is not None and not entry.heard.answered


def test_a_named_survey_answer_is_traced_to_its_questions(calls, editor):
    now = timezone.now()
    survey = SurveyCampaignPageFactory(parent=calls, slug="named-survey")
    person = UserFactory(email="named@university.test")
    respond(survey, person)
    survey.closes_at = now - datetime.timedelta(hours=2)
    survey.outcome_published_at = now - datetime.timedelta(hours=1)
    survey.save_revision().publish()
    answered = set(sources.contributed_by(person))
    assert answered and all(ref.call_key == survey.translation_key for ref in answered)
    make(editor, survey, refs=sorted(answered, key=str), title="تعهد از نظرسنجی")
    (entry,) = my_impact.of(person)
    assert [commitment.title for commitment in entry.commitments] == ["تعهد از نظرسنجی"]


def _queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    if __import__("os").environ.get("SHOW_QUERIES"):
        for query in queries:
            print(query["sql"][:300])
    return len(queries)


def test_the_section_costs_the_same_queries_for_one_or_ten_commitments(
    client, draft, decision, comment, idea_page, idea, commenter, editor
):
    from participation.choices import SourceKind
    from participation.sources import SourceRef

    comment.author = commenter
    comment.save()
    winning = idea.authors.get()
    winning.person = commenter
    winning.save()
    refs = [
        decision_ref(decision),
        SourceRef(SourceKind.CLAUSE_COMMENT, draft.call_key, object_id=comment.pk),
        idea_ref(idea),
    ]
    make(editor, draft, refs=refs)
    client.force_login(commenter)
    my_impact.of(commenter)  # caches warmed (content types, the site's root paths)
    client.get(URL)
    one_section = _queries(lambda: my_impact.of(commenter))
    one_page = _queries(lambda: client.get(URL))
    assert len(my_impact.of(commenter)[0].commitments) == 1

    for number in range(9):
        commitment = make(editor, draft, refs=refs, title=f"تعهد شمارهٔ {number}")
        services.publish_news(editor, commitment, f"خبر {number}")
    assert Commitment.objects.count() == 10
    entries = my_impact.of(commenter)
    assert sum(len(entry.commitments) for entry in entries) >= 10
    assert _queries(lambda: my_impact.of(commenter)) == one_section
    assert _queries(lambda: client.get(URL)) == one_page
