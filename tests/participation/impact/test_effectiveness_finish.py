"""The effectiveness dashboard, finished: small groups hidden on the public summary (with
the complements that keep them hidden), "did we hear you?" scores per call and kind, the
rendered body cached per recount, and the recount queued in the background after a change."""

import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from participation.choices import Role, SubmissionStatus
from participation.impact import effectiveness, tasks
from participation.impact.models import EffectivenessFigure, FigureScope, HeardAnswer
from participation.submissions.models import Submission
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BIG, MIDDLE, SMALL, TINY = "دانشگاه بزرگ", "دانشگاه میانه", "دانشگاه کوچک", "دانشگاه خرد"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _submissions(survey, university, number, role=Role.STUDENT):
    Submission.objects.bulk_create(
        Submission(
            call=survey,
            call_key=survey.call_key,
            language="fa",
            status=SubmissionStatus.SUBMITTED,
            respondent_role=role,
            respondent_university=university,
            submitted_at=timezone.now(),
        )
        for _index in range(number)
    )


@pytest.fixture
def survey(calls):
    """Twenty-one respondents: ten of the big university, six of the middle one, two of the
    small one and three of the tiny one (all students, all this month)."""
    page = SurveyCampaignPageFactory(parent=calls)
    _submissions(page, BIG, 10)
    _submissions(page, MIDDLE, 6)
    _submissions(page, SMALL, 2)
    _submissions(page, TINY, 3)
    return page


def _rows(board):
    return {row.key: row for row in board.universities}


def test_small_university_counts_are_hidden_with_a_complement_on_the_public_summary(client, survey):
    effectiveness.refresh()
    board = effectiveness.dashboard(FigureScope.PUBLIC)
    rows = _rows(board)
    assert board.total.people == 21 and board.total.protected["people"] is None
    assert rows[SMALL].protected["people"] == effectiveness.SMALL
    assert rows[TINY].protected["people"] == effectiveness.SMALL
    # 21 − 10 − 6 would tell that the small and tiny ones have 5 together (so each 1 to 4,
    # the other 4 to 1): one of the larger ones goes with them, which one in the secret
    # order complements are chosen in (never the smaller first: that tells its size).
    complement, shown = (
        (MIDDLE, BIG) if rows[MIDDLE].protected["people"] == effectiveness.HIDDEN else (BIG, MIDDLE)
    )
    assert rows[complement].protected["people"] == effectiveness.HIDDEN
    assert rows[shown].protected["people"] is None
    # Hidden rows come last, by name: their place among the counts says nothing.
    assert [row.key for row in board.universities][0] == shown
    html = client.get(reverse("impact:effectiveness")).content.decode()
    table = html.split('id="effectiveness-table-universities"')[1].split("</table>")[0]
    small_row = table.split(SMALL)[1].split("</tr>")[0]
    hidden_row = table.split(complement)[1].split("</tr>")[0]
    assert "کمتر از ۵" in small_row and "۲" not in small_row
    assert "پنهان" in hidden_row and "۶" not in hidden_row and "۱۰" not in hidden_row
    number = {BIG: "۱۰", MIDDLE: "۶"}[shown]
    assert number in table.split(shown)[1].split("</tr>")[0]
    chart = html.split('id="effectiveness-universities"')[0]
    assert "کمتر از ۵" in html and chart
    # The public XLSX says the same.
    from openpyxl import load_workbook

    response = client.get(reverse("impact:effectiveness_xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[3]
    header = [cell.value for cell in sheet[1]]
    people = {
        row[0]: row[header.index("مشارکت‌کنندگان")] for row in sheet.iter_rows(values_only=True)
    }
    assert people[SMALL] == "کمتر از ۵" and people[complement] == "پنهان"
    assert people[shown] == {BIG: 10, MIDDLE: 6}[shown]


def test_editors_see_every_count(survey):
    effectiveness.refresh()
    rows = _rows(effectiveness.dashboard(FigureScope.EDITORS))
    assert rows[SMALL].people == 2 and rows[SMALL].protected["people"] is None
    assert rows[MIDDLE].protected["people"] is None


def test_a_small_role_hides_its_complement_too(calls):
    page = SurveyCampaignPageFactory(parent=calls)
    _submissions(page, BIG, 9, Role.STUDENT)
    _submissions(page, BIG, 6, Role.FACULTY)
    _submissions(page, BIG, 1, Role.STAFF)
    effectiveness.refresh()
    roles = {row.key: row for row in effectiveness.dashboard(FigureScope.PUBLIC).roles}
    assert roles[Role.STAFF].protected["people"] == effectiveness.SMALL
    # 16 − 9 would tell the one: the next smallest goes with it (and, as 1 < 5 is all the
    # hidden ones but the largest add up to, the next one too).
    assert roles[Role.FACULTY].protected["people"] == effectiveness.HIDDEN
    shown = [row for row in roles.values() if row.protected["people"] is None]
    assert len(roles) - len(shown) >= 2


def _answers(page, scores):
    for index, score in enumerate(scores):
        person = UserFactory(email=f"heard-{page.pk}-{index}@university.test")
        HeardAnswer.objects.create(
            call=page, call_key=page.call_key, person=person, score=score, language="fa"
        )


@pytest.fixture
def heard(calls):
    """Four surveys with six, five, two and three answers."""
    pages = [SurveyCampaignPageFactory(parent=calls) for _index in range(4)]
    _answers(pages[0], [5, 4, 4, 3, 4, 1])
    _answers(pages[1], [2, 2, 3, 4, 5])
    _answers(pages[2], [1, 1])
    _answers(pages[3], [2, 2, 3])
    return pages


def test_did_we_hear_you_per_call_and_kind_for_editors(client, heard, editor):
    six, five, two, three = (str(page.call_key) for page in heard)
    effectiveness.refresh()
    board = effectiveness.dashboard(FigureScope.EDITORS)
    calls = {row.key: row for row in board.calls}
    kinds = {row.key: row for row in board.kinds}
    assert board.total.heard == 16 and board.total.heard_mean == 2.9  # 46 / 16
    assert kinds["survey"].heard == 16 and kinds["survey"].protected["heard"] is None
    assert calls[two].protected["heard"] == effectiveness.SMALL
    assert calls[three].protected["heard"] == effectiveness.SMALL
    # 16 − 6 − 5 would tell that the small two have 5 together: one of the larger goes
    # with them (which one in the secret order complements are chosen in).
    hidden = {key for key in (six, five) if calls[key].protected["heard"] == effectiveness.HIDDEN}
    assert len(hidden) == 1
    if six in hidden:
        return  # The rest reads the six's row, hidden here.
    assert calls[six].protected["heard"] is None and calls[six].heard_mean == 3.5
    client.force_login(editor)
    html = client.get(reverse("impact_effectiveness")).content.decode()
    assert "۲٫۹ از ۵ (۱۶ پاسخ)" in html
    table = html.split('id="effectiveness-table-calls"')[1].split("</table>")[0]
    row = table.split(heard[0].title + "<")[1].split("</tr>")[0]
    assert "<td>۶</td><td>۳٫۵</td></tr>" in row + "</tr>"
    from openpyxl import load_workbook

    response = client.get(reverse("impact_effectiveness_xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = workbook.worksheets[0]
    header = [cell.value for cell in summary[1]]
    values = dict(zip(header, [cell.value for cell in summary[2]], strict=True))
    assert values["پاسخ‌های «آیا صدای شما را شنیدیم؟»"] == 16
    assert values["میانگین «آیا صدای شما را شنیدیم؟» (۱ تا ۵)"] == 2.9
    calls_sheet = {row[0]: row for row in workbook.worksheets[1].iter_rows(values_only=True)}
    answers = header.index("پاسخ‌های «آیا صدای شما را شنیدیم؟»")
    assert calls_sheet[heard[2].title][answers] == "کمتر از ۵"
    assert calls_sheet[heard[1].title][answers] == "پنهان"
    assert calls_sheet[heard[0].title][answers] == 6


def test_did_we_hear_you_moves_in_whole_batches_for_the_public(heard):
    six, five, two, three = (str(page.call_key) for page in heard)
    effectiveness.refresh()
    board = effectiveness.dashboard(FigureScope.PUBLIC)
    calls = {row.key: row for row in board.calls}
    # The first five answers of each call (5, 4, 4, 3, 4 and 2, 2, 3, 4, 5); none of the
    # calls with fewer than five.
    assert calls[six].heard == 5 and calls[six].heard_mean == 4.0
    assert calls[five].heard == 5 and calls[five].heard_mean == 3.2
    assert calls[two].heard == 0 and calls[three].heard == 0
    assert board.total.heard == 10 and board.total.protected["heard"] is None


def test_the_body_is_cached_until_the_next_recount(client, survey, editor):
    client.force_login(editor)
    url = reverse("impact_effectiveness")
    effectiveness.refresh()
    assert "۲۱" in client.get(url).content.decode()
    # A figure changed behind the dashboard's back is not read while the recount stands…
    EffectivenessFigure.objects.filter(scope=FigureScope.EDITORS, dimension="total").update(
        contributions=98765
    )
    assert "۹۸٬۷۶۵" not in client.get(url).content.decode()
    # …and a recount (a new time) renders it afresh.
    _submissions(survey, BIG, 1)
    effectiveness.refresh()
    assert "۲۲" in client.get(url).content.decode()


@override_settings(TASKS=DUMMY_TASKS, HADAF_EFFECTIVENESS_DELAY=10)
def test_a_saved_contribution_queues_one_recount_after_commit(
    django_capture_on_commit_callbacks, survey
):
    from django_tasks import task_backends

    backend = task_backends["default"]
    backend.results.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.create(call=survey, call_key=survey.call_key, language="fa")
    assert len(backend.results) == 1
    queued = backend.results[0]
    assert queued.task.name == tasks.refresh_effectiveness.name
    assert queued.task.run_after > timezone.now() + timezone.timedelta(minutes=9)
    # A burst queues nothing more while that recount waits…
    with django_capture_on_commit_callbacks(execute=True):
        _answers(survey, [4])
        Submission.objects.create(call=survey, call_key=survey.call_key, language="fa")
    assert len(backend.results) == 1
    # …and once it runs, the next change queues the next one.
    tasks.refresh_effectiveness.call()
    assert EffectivenessFigure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.create(call=survey, call_key=survey.call_key, language="fa")
    assert len(backend.results) == 2


def test_nothing_is_queued_inside_a_rolled_back_transaction(survey):
    from django.db import transaction

    with override_settings(TASKS=DUMMY_TASKS):
        from django_tasks import task_backends

        backend = task_backends["default"]
        backend.results.clear()
        with transaction.atomic():
            Submission.objects.create(call=survey, call_key=survey.call_key, language="fa")
            transaction.set_rollback(True)
        assert backend.results == []


def test_the_immediate_backend_queues_nothing(survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.create(call=survey, call_key=survey.call_key, language="fa")
    assert not EffectivenessFigure.objects.exists()
    assert tasks.schedule_refresh() is None
