"""«آیا صدای شما را شنیدیم؟» after an outcome: contributors only, once each, aggregated
like any survey with small groups hidden, the words for editors only."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from participation.errors import Refused
from participation.impact import hearing
from participation.impact.models import HeardAnswer
from participation.results.aggregates import min_group
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def heard_url(page):
    return f"/commitments/heard/{page.translation_key}/"


def test_a_contributor_answers_once_from_the_dashboard(client, draft, comment, commenter):
    client.force_login(commenter)
    dashboard = client.get("/dashboard/").content.decode()
    assert "آیا صدای شما را شنیدیم؟" in dashboard
    assert f'action="{heard_url(draft)}"' in dashboard
    assert "۵ — کاملاً" in dashboard  # the scale, in Persian digits and words

    response = client.post(
        heard_url(draft),
        {"score": "4", "text": "پاسخ روشن بود.", "next": "/dashboard/#impact"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dashboard/#impact"
    assert "سپاسگزاریم: پاسخ شما ثبت شد." in response.content.decode()
    answer = HeardAnswer.objects.get()
    assert (answer.person, answer.call_key, answer.score, answer.text) == (
        commenter,
        draft.translation_key,
        4,
        "پاسخ روشن بود.",
    )
    assert "پاسخ شما ۴ از ۵ بود." in response.content.decode()  # no form any more

    # A second answer changes nothing and says why.
    again = client.post(heard_url(draft), {"score": "1", "text": "دوباره"}, follow=True)
    assert "شما پیش‌تر به این پرسش دربارهٔ این فراخوان پاسخ داده‌اید." in again.content.decode()
    answer.refresh_from_db()
    assert (HeardAnswer.objects.count(), answer.score, answer.text) == (1, 4, "پاسخ روشن بود.")
    with pytest.raises(Refused):
        hearing.answer(commenter, draft, 2)


def test_the_database_holds_one_answer_per_person_per_call(draft, commenter):
    HeardAnswer.objects.create(
        call=draft, call_key=draft.translation_key, person=commenter, score=3
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        HeardAnswer.objects.create(
            call=draft, call_key=draft.translation_key, person=commenter, score=5
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        HeardAnswer.objects.create(
            call=draft, call_key=draft.translation_key, person=UserFactory(), score=6
        )


def test_someone_who_did_not_take_part_is_refused(client, draft, comment):
    client.force_login(UserFactory(email="outsider@university.test"))
    response = client.post(heard_url(draft), {"score": "5"})
    assert response.status_code == 403
    assert "تنها کسانی که در این فراخوان مشارکت کرده‌اند" in response.content.decode()
    assert not HeardAnswer.objects.exists()
    assert client.get(heard_url(draft)).status_code == 403


def test_nobody_is_asked_before_the_outcome_is_published(client, draft, comment, commenter):
    draft.outcome_published_at = timezone.now() + datetime.timedelta(days=3)
    draft.save_revision().publish()
    client.force_login(commenter)
    assert 'id="heard-' not in client.get("/dashboard/").content.decode()
    response = client.post(heard_url(draft), {"score": "5"})
    assert response.status_code == 403
    assert "پس از انتشار نتیجهٔ فراخوان" in response.content.decode()
    assert not HeardAnswer.objects.exists()


def test_a_score_outside_1_to_5_is_refused(client, draft, comment, commenter):
    client.force_login(commenter)
    response = client.post(heard_url(draft), {"score": "7"})
    assert response.status_code == 200
    assert not HeardAnswer.objects.exists()
    with pytest.raises(Refused):
        hearing.answer(commenter, draft, 0)


def test_signing_in_is_required(client, draft):
    response = client.post(heard_url(draft), {"score": "5"})
    assert response.status_code == 302
    assert not HeardAnswer.objects.exists()


# ---- Aggregation -------------------------------------------------------------------------


def test_too_few_answers_show_nothing():
    k = min_group()
    assert not hearing.summarize({5: k - 1}, k).shown
    summary = hearing.summarize({5: k}, k)
    assert summary.shown and summary.count == k and summary.mean == 5


def test_a_small_group_is_hidden_with_what_would_give_it_away():
    k = min_group()
    summary = hearing.summarize({5: 3 * k, 4: 2 * k, 1: 1}, k)
    assert summary.count == 5 * k + 1
    by_score = {int(cell.id): cell for cell in summary.cells}
    assert by_score[1].suppressed and by_score[1].count is None
    # Hiding the 1 alone would leave it as total − the rest: another count is hidden too.
    assert sum(cell.suppressed for cell in summary.cells if cell.count != 0) >= 2
    hidden_total = summary.count - sum(cell.count or 0 for cell in summary.cells)
    assert hidden_total >= k
    assert summary.mean is None  # a mean beside a hidden count would give it away
    # Empty scores are shown as nothing answered them.
    assert by_score[2].count == 0 and by_score[3].count == 0


def test_no_small_group_shows_every_count_and_the_mean():
    k = min_group()
    summary = hearing.summarize({5: k, 3: k}, k)
    assert [cell.count for cell in summary.cells] == [0, 0, k, 0, k]
    assert summary.mean == 4
    assert [cell.percent for cell in summary.cells] == [0, 0, 50, 0, 50]


def _answers(page, scores, texts=()):
    texts = list(texts) + [""] * (len(scores) - len(texts))
    for score, text in zip(scores, texts, strict=True):
        HeardAnswer.objects.create(
            call=page, call_key=page.translation_key, person=UserFactory(), score=score, text=text
        )


def test_the_public_summary_moves_by_whole_batches(draft):
    k = min_group()
    _answers(draft, [4] * (k - 1))
    assert not hearing.public_summary(draft.translation_key).shown
    _answers(draft, [4])
    assert hearing.public_summary(draft.translation_key).count == k
    # One more answer (however it scored) changes nothing public until a batch is full.
    _answers(draft, [1])
    summary = hearing.public_summary(draft.translation_key)
    assert summary.count == k and summary.mean == 4
    _answers(draft, [4] * (k - 1))
    assert hearing.public_summary(draft.translation_key).count == 2 * k


def test_the_tracker_shows_the_public_summary_but_never_the_words(client, draft):
    k = min_group()
    _answers(draft, [5] * k + [2] * k, texts=["متن خصوصی یک مشارکت‌کننده"])
    page = client.get(f"/commitments/?call={draft.translation_key}").content.decode()
    assert "آیا صدای شما را شنیدیم؟" in page
    assert "میانگین رضایت: ۳٫۵ از ۵." in page
    assert "متن خصوصی یک مشارکت‌کننده" not in page
    call_page = client.get(draft.url).content.decode()
    assert "میانگین رضایت" in call_page
    assert "متن خصوصی یک مشارکت‌کننده" not in call_page


def test_the_tracker_says_nothing_of_too_few_answers(client, draft):
    _answers(draft, [1] * (min_group() - 1), texts=["کم"])
    page = client.get(f"/commitments/?call={draft.translation_key}").content.decode()
    assert "آیا صدای شما را شنیدیم؟" not in page


def test_editors_see_the_aggregates_and_the_words_without_names(client, draft, editor):
    k = min_group()
    _answers(draft, [5] * k + [1], texts=["متن خصوصی یک مشارکت‌کننده"])
    client.force_login(editor)
    response = client.get("/admin/commitments/heard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert draft.title in page
    assert "متن خصوصی یک مشارکت‌کننده" in page
    assert "پنهان" in page  # the single 1 is hidden from editors too
    assert "@" not in page.split("متن خصوصی")[0].split(draft.title)[-1]  # no email beside it
    # Not for someone who cannot manage commitments.
    client.force_login(UserFactory(email="student@university.test"))
    assert client.get("/admin/commitments/heard/").status_code in (302, 403)


def test_the_answers_are_in_the_persons_data_export_and_their_words_erased(draft, commenter):
    HeardAnswer.objects.create(
        call=draft, call_key=draft.translation_key, person=commenter, score=2, text="کم بود"
    )
    (row,) = hearing.export_answers(commenter)
    assert (row["satisfaction"], row["text"], row["call"]) == (2, "کم بود", draft.title)
    hearing.erase_answers(commenter)
    assert list(HeardAnswer.objects.values_list("score", "text")) == [(2, "")]


def test_an_erased_account_does_not_move_the_public_summary(draft, commenter):
    """attacker13: the attacker answered 3 first, 19 others followed, a victim 21st (held
    back); erasing the attacker's account deleted their answer, the victim's came into the
    batch, and the difference told it."""
    k = min_group()
    HeardAnswer.objects.create(
        call=draft, call_key=draft.translation_key, person=commenter, score=3
    )
    _answers(draft, [3] * (k - 1) + [5] * k)  # Two whole batches, the attacker's first.
    _answers(draft, [1])  # The victim, held back.
    before = hearing.public_summary(draft.translation_key)
    hearing.erase_answers(commenter)
    after = hearing.public_summary(draft.translation_key)
    assert (after.count, after.mean, after.cells) == (before.count, before.mean, before.cells)


def test_a_call_taken_down_shows_no_summary(client, draft):
    """attacker13: ``?call=`` printed the summary of a call no longer published."""
    _answers(draft, [5] * min_group() + [2] * min_group())
    assert hearing.public_summary(draft.translation_key).count == 2 * min_group()
    draft.unpublish()
    assert hearing.public_summary(draft.translation_key).count is None
    page = client.get(f"/commitments/?call={draft.translation_key}").content.decode()
    assert "آیا صدای شما را شنیدیم؟" not in page
