"""The jury: fair assignment, conflicts of interest, recusal, scores and the ranking."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from participation.ideas import jury, workflow
from participation.ideas.choices import AssignmentStatus, CoAuthorStatus, IdeaKind, IdeaStatus
from participation.ideas.models import (
    CriterionScore,
    Idea,
    IdeaAuthor,
    JuryMember,
    ReviewAssignment,
)
from participation.ideas.services import Refused
from participation.people.models import Organization, OrganizationMembership
from tests.people.factories import UserFactory

from .factories import (
    CRITERIA,
    CRITERION_FEASIBILITY,
    CRITERION_IMPACT,
    CRITERION_NOVELTY,
    THEME_CULTURE,
    add_idea_call,
    block_id,
)

pytestmark = pytest.mark.django_db


# Helpers -------------------------------------------------------------------------------


@pytest.fixture
def in_english():
    """Compare reasons with their English source texts, whatever the catalogue says."""
    with translation.override("en"):
        yield


def idea_in_review(page, author, *, title="ایده", organization=None, status=IdeaStatus.IN_REVIEW):
    """A submission already screened into jury review, with ``author`` as lead author."""
    idea = Idea.objects.create(
        call=page,
        call_key=page.call_key,
        language="fa",
        kind=IdeaKind.IDEA,
        category=THEME_CULTURE,
        title=title,
        summary="خلاصه",
        body="متن کامل",
        created_by=author,
        organization=organization,
        status=status,
        submitted_at=timezone.now(),
    )
    IdeaAuthor.objects.create(
        idea=idea, person=author, email=author.email, is_lead=True, status=CoAuthorStatus.ACCEPTED
    )
    return idea


def seat(page, *people):
    for person in people:
        JuryMember.objects.create(call_key=page.call_key, person=person)
    return list(people)


def loads(page):
    counts = {member.person_id: 0 for member in JuryMember.objects.filter(call_key=page.call_key)}
    for reviewer_id in (
        ReviewAssignment.objects.filter(idea__call_key=page.call_key)
        .exclude(status=AssignmentStatus.RECUSED)
        .values_list("reviewer_id", flat=True)
    ):
        counts[reviewer_id] += 1
    return counts


def assign(idea, juror):
    return ReviewAssignment.objects.create(idea=idea, reviewer=juror)


def score(assignment, novelty, impact, feasibility, comment=""):
    return jury.save_scores(
        assignment,
        assignment.reviewer,
        {
            CRITERION_NOVELTY: novelty,
            CRITERION_IMPACT: impact,
            CRITERION_FEASIBILITY: feasibility,
        },
        comment,
    )


def weighted(novelty, impact, feasibility):
    """The conftest call's weighted score: weights 3, 2, 1 over highest 10, 10, 5."""
    return (3 * novelty / 10 + 2 * impact / 10 + 1 * feasibility / 5) / 6 * 100


def stored(assignment):
    assignment.refresh_from_db()
    scores = dict(
        CriterionScore.objects.filter(review=assignment).values_list("criterion_id", "score")
    )
    return assignment.status, assignment.comment, assignment.scored_at, scores


@pytest.fixture
def outsiders(universities):
    """Five jurors from the universities none of the authors come from."""
    return [UserFactory(university=universities[index % 2 + 1]) for index in range(5)]


# Criteria -------------------------------------------------------------------------------


def test_criteria_come_from_the_page_in_the_editors_order(idea_call):
    criteria = jury.criteria_of(idea_call)
    assert [(c.id, c.weight, c.max_score) for c in criteria] == [
        (CRITERION_NOVELTY, 3, 10),
        (CRITERION_IMPACT, 2, 10),
        (CRITERION_FEASIBILITY, 1, 5),
    ]
    assert criteria[0].name == "نوآوری"


# Assignment -----------------------------------------------------------------------------


def test_reviewers_are_assigned_evenly_and_never_twice(idea_call, author, outsiders, editor):
    seat(idea_call, *outsiders)
    ideas = [idea_in_review(idea_call, author, title=f"ایده {n}") for n in range(12)]
    idea_in_review(idea_call, author, status=IdeaStatus.SUBMITTED)  # not screened yet

    report = jury.assign_reviewers(idea_call, actor=editor)

    assert report.created == 12 * 2 and report.complete
    for idea in ideas:
        reviewers = list(idea.reviews.values_list("reviewer_id", flat=True))
        assert len(reviewers) == len(set(reviewers)) == 2
    counts = loads(idea_call)
    assert sum(counts.values()) == 24
    assert max(counts.values()) - min(counts.values()) <= 1
    assert ReviewAssignment.objects.count() == 24  # nothing for the unscreened one

    again = jury.assign_reviewers(idea_call, actor=editor)
    assert again.created == 0 and again.complete
    assert ReviewAssignment.objects.count() == 24


def test_assignment_tops_up_and_keeps_the_load_even(idea_call, author, outsiders, editor):
    seat(idea_call, *outsiders[:3])
    first = [idea_in_review(idea_call, author) for _ in range(3)]
    jury.assign_reviewers(idea_call, actor=editor)
    seat(idea_call, *outsiders[3:])  # two jurors join later
    later = [idea_in_review(idea_call, author) for _ in range(4)]

    report = jury.assign_reviewers(idea_call, actor=editor)

    assert report.created == 8
    assert all(idea.reviews.count() == 2 for idea in first + later)
    counts = loads(idea_call)
    assert max(counts.values()) - min(counts.values()) <= 1


@pytest.mark.usefixtures("in_english")
def test_conflicts_by_authorship_university_and_organization(
    idea_call, author, universities, organization
):
    idea = idea_in_review(idea_call, author, organization=organization)
    colleague = UserFactory(university=universities[0])
    member = UserFactory(university=universities[1])
    OrganizationMembership.objects.create(organization=organization, person=member)
    invited = UserFactory(email="invited@shirazu.ac.ir", university=universities[1])
    IdeaAuthor.objects.create(idea=idea, email="Invited@shirazu.ac.ir")
    declined = UserFactory(university=universities[2])
    IdeaAuthor.objects.create(
        idea=idea, person=declined, email=declined.email, status=CoAuthorStatus.DECLINED
    )
    stranger = UserFactory(university=universities[2])
    unaffiliated = UserFactory()

    assert jury.conflicts_of_interest(idea, author)  # its own author
    assert [str(r) for r in jury.conflicts_of_interest(idea, colleague)] == [
        "One of its authors is from the juror's university.",
        "It comes from an organization of the juror's university.",
    ]
    assert [str(r) for r in jury.conflicts_of_interest(idea, member)] == [
        "The juror belongs to the organization it comes from."
    ]
    assert [str(r) for r in jury.conflicts_of_interest(idea, invited)] == [
        "The juror is one of its authors."
    ]
    assert jury.conflicts_of_interest(idea, declined) == []
    assert jury.conflicts_of_interest(idea, stranger) == []
    assert jury.conflicts_of_interest(idea, unaffiliated) == []

    # The same answers for many pairs at once.
    everyone = [author, colleague, member, invited, declined, stranger, unaffiliated]
    found = jury.conflicts_among(Idea.objects.filter(pk=idea.pk), everyone)
    assert {juror_id for _idea_id, juror_id in found} == {
        author.pk,
        colleague.pk,
        member.pk,
        invited.pk,
    }
    for person in everyone:
        assert [str(r) for r in found.get((idea.pk, person.pk), [])] == [
            str(r) for r in jury.conflicts_of_interest(idea, person)
        ]


def test_an_organizations_university_is_a_conflict_even_with_authors_elsewhere(
    idea_call, universities
):
    organization = Organization.objects.create(
        name="انجمن علمی", kind="student_association", university=universities[2]
    )
    author = UserFactory(university=universities[1])
    idea = idea_in_review(idea_call, author, organization=organization)
    assert jury.conflicts_of_interest(idea, UserFactory(university=universities[2]))
    assert not jury.conflicts_of_interest(idea, UserFactory(university=universities[0]))


def test_a_conflicted_juror_is_never_assigned_and_the_shortfall_is_reported(
    idea_call, author, universities, organization, editor
):
    idea = idea_in_review(idea_call, author, title="ایدهٔ کانون", organization=organization)
    colleague = UserFactory(university=universities[0])
    member = UserFactory(university=universities[1])
    OrganizationMembership.objects.create(organization=organization, person=member)
    stranger = UserFactory(university=universities[2])
    seat(idea_call, colleague, member, stranger, author)

    report = jury.assign_reviewers(idea_call, actor=editor)

    assert list(idea.reviews.values_list("reviewer", flat=True)) == [stranger.pk]
    assert report.created == 1
    [short] = report.short
    assert (short.idea_id, short.title, short.missing) == (idea.pk, "ایدهٔ کانون", 1)
    assert "3" in str(short.reason) or "۳" in str(short.reason)  # three conflicted jurors


@pytest.mark.usefixtures("in_english")
def test_a_call_without_jurors_reports_every_submission_short(idea_call, author, editor):
    idea_in_review(idea_call, author)
    report = jury.assign_reviewers(idea_call, actor=editor)
    assert report.created == 0
    assert [(s.missing, str(s.reason)) for s in report.short] == [
        (2, "The call has no jurors yet.")
    ]


def test_recusal_frees_the_place_for_another_juror(idea_call, author, outsiders, editor):
    jurors = seat(idea_call, *outsiders[:3])
    idea = idea_in_review(idea_call, author)
    jury.assign_reviewers(idea_call, actor=editor)
    leaving = idea.reviews.first()
    staying = idea.reviews.exclude(pk=leaving.pk).get()

    jury.recuse(leaving, leaving.reviewer, "  داور راهنمای این طرح بوده‌ام.  ")
    leaving.refresh_from_db()
    assert leaving.status == AssignmentStatus.RECUSED
    assert leaving.recusal_reason == "داور راهنمای این طرح بوده‌ام."

    report = jury.assign_reviewers(idea_call, actor=editor)
    assert report.created == 1
    active = set(
        idea.reviews.exclude(status=AssignmentStatus.RECUSED).values_list("reviewer", flat=True)
    )
    [third] = [j for j in jurors if j.pk not in (leaving.reviewer_id, staying.reviewer_id)]
    assert active == {staying.reviewer_id, third.pk}

    # With nobody left, the recused juror is still not asked again.
    jury.recuse(idea.reviews.get(reviewer=third), third, "همکار نویسنده‌ام.")
    report = jury.assign_reviewers(idea_call, actor=editor)
    assert report.created == 0 and report.short[0].missing == 1
    assert idea.reviews.filter(reviewer=leaving.reviewer_id).count() == 1


def test_recusal_is_refused_without_a_reason_to_others_and_after_scoring(
    idea_call, author, outsiders
):
    idea = idea_in_review(idea_call, author)
    review = assign(idea, outsiders[0])
    with pytest.raises(Refused):
        jury.recuse(review, outsiders[0], "   ")
    with pytest.raises(Refused):
        jury.recuse(review, outsiders[1], "دلیل")
    score(review, 5, 5, 3)
    with pytest.raises(Refused):
        jury.recuse(review, outsiders[0], "دلیل")
    review.refresh_from_db()
    assert (review.status, review.recusal_reason) == (AssignmentStatus.SCORED, "")


def in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_two_editors_assigning_at_once_make_no_duplicates(calls, author, outsiders, editor):
    if in_memory_sqlite():
        pytest.skip(
            "SQLite's in-memory test database is not shared between threads' connections; "
            "run with DATABASE_URL=postgres://… to check this."
        )
    page = add_idea_call(calls, slug="concurrent", reviews_per_submission=3)
    seat(page, *outsiders)
    for n in range(30):
        idea_in_review(page, author, title=f"ایده {n}")
    start = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            start.wait()
            reports.append(jury.assign_reviewers(page, actor=editor))
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(report.created for report in reports) == [0, 90]
    assert ReviewAssignment.objects.count() == 90
    counts = loads(page)
    assert max(counts.values()) - min(counts.values()) <= 1


# Scores ---------------------------------------------------------------------------------


def test_scores_are_stored_and_can_be_changed_during_the_review(idea_call, author, outsiders):
    review = assign(idea_in_review(idea_call, author), outsiders[0])
    score(review, 7, 6, 4, comment="  ایدهٔ خوبی است.  ")
    status, comment, scored_at, scores = stored(review)
    assert (status, comment) == (AssignmentStatus.SCORED, "ایدهٔ خوبی است.") and scored_at
    assert scores == {CRITERION_NOVELTY: 7, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4}

    score(review, 8, 6, 5)
    assert stored(review)[3] == {
        CRITERION_NOVELTY: 8,
        CRITERION_IMPACT: 6,
        CRITERION_FEASIBILITY: 5,
    }
    assert CriterionScore.objects.count() == 3


@pytest.mark.parametrize(
    "scores",
    [
        {CRITERION_NOVELTY: 7, CRITERION_IMPACT: 6},  # one missing
        {CRITERION_NOVELTY: 11, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},  # above 10
        {CRITERION_NOVELTY: 7, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 6},  # above 5
        {CRITERION_NOVELTY: -1, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        {CRITERION_NOVELTY: 7.5, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        {CRITERION_NOVELTY: "7", CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        {CRITERION_NOVELTY: True, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        {CRITERION_NOVELTY: None, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4},
        {CRITERION_NOVELTY: 7, CRITERION_IMPACT: 6, CRITERION_FEASIBILITY: 4, "other": 3},
    ],
)
def test_invalid_scores_are_refused_and_change_nothing(idea_call, author, outsiders, scores):
    review = assign(idea_in_review(idea_call, author), outsiders[0])
    score(review, 5, 5, 3, comment="نخست")
    before = stored(review)
    with pytest.raises(Refused) as refusal:
        jury.save_scores(review, outsiders[0], scores, "دوم")
    assert str(refusal.value.message)
    assert stored(review) == before


def test_only_the_assigned_juror_scores_and_only_during_the_review(
    idea_call, author, outsiders, editor
):
    idea = idea_in_review(idea_call, author)
    review = assign(idea, outsiders[0])
    valid = {CRITERION_NOVELTY: 5, CRITERION_IMPACT: 5, CRITERION_FEASIBILITY: 3}
    with pytest.raises(Refused):
        jury.save_scores(review, outsiders[1], valid)
    other = assign(idea, outsiders[1])
    jury.recuse(other, outsiders[1], "دلیل")
    with pytest.raises(Refused):
        jury.save_scores(other, outsiders[1], valid)
    score(review, 5, 5, 3)
    workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor, notify=False)
    with pytest.raises(Refused):
        jury.save_scores(review, outsiders[0], {**valid, CRITERION_NOVELTY: 9})
    assert stored(review)[3][CRITERION_NOVELTY] == 5
    assert not CriterionScore.objects.filter(review=other).exists()


# Ranking --------------------------------------------------------------------------------


def test_a_review_weighs_the_criteria(idea_call, author, outsiders):
    review = assign(idea_in_review(idea_call, author), outsiders[0])
    score(review, 7, 4, 2)
    [entry] = jury.ranking(idea_call)
    assert entry.raw_score == pytest.approx(weighted(7, 4, 2))
    assert entry.raw_score == pytest.approx(55.0)  # (3×0.7 + 2×0.4 + 1×0.4) / 6
    assert entry.criterion_means == {
        CRITERION_NOVELTY: 7,
        CRITERION_IMPACT: 4,
        CRITERION_FEASIBILITY: 2,
    }
    # A single review cannot show the juror's harshness: only their mean is removed,
    # which puts it at the call's mean (here, its own score).
    assert entry.score == pytest.approx(entry.raw_score)
    assert (entry.rank, entry.reviews, entry.spread, entry.disagreement) == (1, 1, 0.0, False)


def test_a_harsh_and_a_lenient_juror_weigh_the_same(idea_call, author, outsiders):
    harsh, lenient = outsiders[:2]
    ideas = [idea_in_review(idea_call, author, title=t) for t in ("ضعیف", "متوسط", "قوی")]
    # The same judgement on very different parts of the scale: the lenient juror's
    # weighted scores (70, 80, 90) are the harsh one's (20, 40, 60) halved and shifted.
    for idea, points in zip(ideas, [(2, 2, 1), (4, 4, 2), (6, 6, 3)], strict=True):
        score(assign(idea, harsh), *points)
    for idea, points in zip(ideas, [(6, 8, 4), (8, 8, 4), (10, 8, 4)], strict=True):
        score(assign(idea, lenient), *points)

    ranked = jury.ranking(idea_call)

    assert [entry.idea_id for entry in ranked] == [idea.pk for idea in reversed(ideas)]
    assert [entry.rank for entry in ranked] == [1, 2, 3]
    for entry in ranked:
        by_juror = {s.reviewer_id: s for s in entry.reviewer_scores}
        assert by_juror[harsh.pk].raw <= by_juror[lenient.pk].raw - 30
        assert by_juror[harsh.pk].normalized == pytest.approx(by_juror[lenient.pk].normalized)
        assert entry.spread == pytest.approx(0, abs=1e-9) and not entry.disagreement
        assert 0 <= entry.score <= 100
    # The normalized scores keep the call's overall mean.
    everything = [s.normalized for entry in ranked for s in entry.reviewer_scores]
    raws = [s.raw for entry in ranked for s in entry.reviewer_scores]
    assert sum(everything) / len(everything) == pytest.approx(sum(raws) / len(raws))


def test_large_disagreement_is_flagged(idea_call, author, outsiders):
    first, second = outsiders[:2]
    disputed, agreed, other = (idea_in_review(idea_call, author) for _ in range(3))
    # Both jurors agree on two submissions; on the third one loves it, the other not.
    score(assign(disputed, first), 10, 10, 5)
    score(assign(disputed, second), 1, 1, 1)
    score(assign(agreed, first), 5, 5, 3)
    score(assign(agreed, second), 5, 5, 3)
    score(assign(other, first), 1, 1, 1)
    score(assign(other, second), 10, 10, 5)

    by_idea = {entry.idea_id: entry for entry in jury.ranking(idea_call)}

    assert by_idea[disputed.pk].disagreement
    assert by_idea[disputed.pk].spread > jury.DISAGREEMENT_SPREAD
    assert not by_idea[agreed.pk].disagreement
    assert by_idea[agreed.pk].spread <= jury.DISAGREEMENT_SPREAD


def test_submissions_without_scores_come_last_and_others_are_left_out(
    idea_call, author, outsiders, editor
):
    unscored = idea_in_review(idea_call, author, title="بی‌نمره")
    assign(unscored, outsiders[0])  # assigned, not scored yet
    low, high = idea_in_review(idea_call, author), idea_in_review(idea_call, author)
    score(assign(low, outsiders[0]), 2, 2, 1)
    score(assign(high, outsiders[0]), 9, 9, 5)
    workflow.move(high, IdeaStatus.SHORTLISTED, actor=editor, notify=False)
    idea_in_review(idea_call, author, status=IdeaStatus.SUBMITTED)
    idea_in_review(idea_call, author, status=IdeaStatus.INELIGIBLE)
    recused_only = idea_in_review(idea_call, author)
    jury.recuse(assign(recused_only, outsiders[1]), outsiders[1], "دلیل")

    ranked = jury.ranking(idea_call)

    assert [entry.idea_id for entry in ranked] == [high.pk, low.pk, unscored.pk, recused_only.pk]
    assert [entry.rank for entry in ranked] == [1, 2, 3, 4]
    assert [entry.score is None for entry in ranked] == [False, False, True, True]
    assert ranked[2].reviews == 0 and ranked[2].reviewer_scores == []


def test_the_ranking_costs_the_same_queries_for_more_submissions(
    idea_call, author, outsiders, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            idea = idea_in_review(idea_call, author)
            for juror in outsiders[:3]:
                score(assign(idea, juror), 6, 5, 3)

    add(2)
    with django_assert_num_queries(2):
        assert len(jury.ranking(idea_call)) == 2
    add(10)
    with django_assert_num_queries(2):
        assert len(jury.ranking(idea_call)) == 12


def test_criteria_changed_after_scoring_weigh_what_was_scored(idea_call, author, outsiders):
    review = assign(idea_in_review(idea_call, author), outsiders[0])
    score(review, 7, 4, 2)
    added = {
        "type": "criterion",
        "id": block_id("added-later"),
        "value": {"name": "پایداری", "description": "", "weight": 5, "max_score": 10},
    }
    idea_call.criteria = [*CRITERIA, added]
    [entry] = jury.ranking(idea_call)
    assert entry.raw_score == pytest.approx(weighted(7, 4, 2))  # the new one is left out
    assert set(entry.criterion_means) == {
        CRITERION_NOVELTY,
        CRITERION_IMPACT,
        CRITERION_FEASIBILITY,
    }

    idea_call.criteria = CRITERIA[:2]  # feasibility removed: its score is ignored
    [entry] = jury.ranking(idea_call)
    assert entry.raw_score == pytest.approx((3 * 0.7 + 2 * 0.4) / 5 * 100)
    assert set(entry.criterion_means) == {CRITERION_NOVELTY, CRITERION_IMPACT}


@pytest.mark.usefixtures("in_english")
def test_an_author_invited_in_a_look_alike_spelling_is_a_conflict(idea_call, author):
    """The long s folds to s: the invited author and the juror are one person."""
    idea = idea_in_review(idea_call, author)
    juror = UserFactory(email="sami@shirazu.ac.ir")
    IdeaAuthor.objects.create(idea=idea, email="\u017fami@shirazu.ac.ir")
    assert [str(r) for r in jury.conflicts_of_interest(idea, juror)] == [
        "The juror is one of its authors."
    ]
