"""The public side of idea calls: the call, writing, submitting, co-authors, gallery, festival."""

import datetime
import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participation.ideas import services, workflow
from participation.ideas.choices import CoAuthorStatus, IdeaStatus
from participation.ideas.models import Idea, IdeaAnswer, IdeaAuthor, JuryMember, ReviewAssignment
from tests.people.factories import UserFactory

from .factories import (
    QUESTION_TEAM,
    THEME_CULTURE,
    THEME_MEDIA,
    add_idea_call,
    draft_idea,
    submitted_idea,
)

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    return {
        "kind": "idea",
        "category": THEME_CULTURE,
        "title": "کارگاه داستان‌نویسی",
        "summary": "کارگاه ماهانه داستان‌نویسی برای دانشجویان.",
        "body": "",
        f"q_{QUESTION_TEAM}": "سه دانشجوی ادبیات",
        **overrides,
    }


def test_call_page_shows_themes_criteria_and_how_to_take_part(client, idea_call, author):
    html = client.get(idea_call.url).content.decode()
    assert "فرهنگ دانشگاهی" in html and "رسانه و هنر" in html
    # Weights 3:2:1 are shown as shares of the score: 50%, 33%, 17%, in Persian digits.
    assert "۵۰٪" in html and "۳۳٪" in html and "۱۷٪" in html
    assert "?next=" in html  # anonymous visitors are asked to sign in
    client.force_login(author)
    html = client.get(idea_call.url).content.decode()
    assert f'href="{idea_call.url}new/"' in html


def test_new_submission_needs_sign_in(client, idea_call):
    response = client.get(idea_call.url + "new/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_draft_is_saved_with_the_call_questions_answers(client, idea_call, author):
    client.force_login(author)
    response = client.post(idea_call.url + "new/", form_data())
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:edit", args=[idea.uuid])
    assert (idea.status, idea.title, idea.category) == (
        IdeaStatus.DRAFT,
        "کارگاه داستان‌نویسی",
        THEME_CULTURE,
    )
    answer = IdeaAnswer.objects.get(idea=idea)
    assert (answer.question_id, answer.text) == (QUESTION_TEAM, "سه دانشجوی ادبیات")
    page = client.get(response["Location"]).content.decode()
    assert "سه دانشجوی ادبیات" in page


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"category": "not-a-theme"}, "category"),
        ({"kind": "poem"}, "kind"),
        ({"summary": "ی" * 1001}, "summary"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(client, idea_call, author, overrides, field):
    client.force_login(author)
    response = client.post(idea_call.url + "new/", form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'role="alert"' in response.content.decode()
    assert not Idea.objects.exists()


def test_arabic_letters_are_normalized(client, idea_call, author):
    client.force_login(author)
    client.post(idea_call.url + "new/", form_data(title="كارگاه يادگيري"))
    assert Idea.objects.get().title == "کارگاه یادگیری"


def test_a_closed_call_takes_no_new_submission(client, calls, author):
    closed = add_idea_call(
        calls,
        slug="closed",
        opens_at=timezone.now() - datetime.timedelta(days=20),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(author)
    response = client.post(closed.url + "new/", form_data())
    assert response.status_code == 302 and not Idea.objects.exists()


def test_only_authors_open_the_editor_and_strangers_are_logged(client, idea_call, author, caplog):
    idea = draft_idea(idea_call, author)
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        response = client.get(reverse("ideas:edit", args=[idea.uuid]))
        other = client.post(reverse("ideas:edit", args=[idea.uuid]), form_data(title="ربوده"))
    assert response.status_code == 404 and other.status_code == 404
    assert any(str(idea.uuid) in record.getMessage() for record in caplog.records)
    idea.refresh_from_db()
    assert idea.title != "ربوده"


def test_author_edits_a_draft_then_submits_it(client, idea_call, author):
    idea = draft_idea(idea_call, author, body="")
    client.force_login(author)
    response = client.post(reverse("ideas:submit", args=[idea.uuid]))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT  # no full text yet
    client.post(reverse("ideas:edit", args=[idea.uuid]), form_data(body="متن کامل ایده"))
    response = client.post(reverse("ideas:submit", args=[idea.uuid]))
    assert response["Location"] == reverse("ideas:detail", args=[idea.uuid])
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    # A submitted idea is read-only: the editor sends the author to its status page.
    response = client.post(reverse("ideas:edit", args=[idea.uuid]), form_data(title="تغییر"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "کارگاه داستان‌نویسی"


def test_submitting_after_the_deadline_is_refused(client, idea_call, author):
    idea = draft_idea(idea_call, author)
    type(idea_call).objects.filter(pk=idea_call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(author)
    client.post(reverse("ideas:submit", args=[idea.uuid]))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT


def test_coauthor_invitation_by_email_and_acceptance(
    client, idea_call, author, django_capture_on_commit_callbacks
):
    idea = draft_idea(idea_call, author)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ideas:coauthors", args=[idea.uuid]), {"email": "Reza@UT.ac.ir"})
    invited = IdeaAuthor.objects.get(idea=idea, is_lead=False)
    assert invited.email == "reza@ut.ac.ir" and invited.status == CoAuthorStatus.INVITED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reza@ut.ac.ir"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/ideas/invitations/" in line)
    path = link.strip().removeprefix("http://testserver")
    # Submitting waits for the invitation to be answered.
    client.post(reverse("ideas:submit", args=[idea.uuid]))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT

    coauthor = UserFactory(email="reza@ut.ac.ir")
    client.force_login(coauthor)
    assert idea.title in client.get(path).content.decode()
    response = client.post(path, {"answer": "accept"})
    assert response["Location"] == reverse("ideas:detail", args=[idea.uuid])
    invited.refresh_from_db()
    assert (invited.status, invited.person) == (CoAuthorStatus.ACCEPTED, coauthor)
    # The co-author can now open and edit the draft.
    assert client.get(reverse("ideas:edit", args=[idea.uuid])).status_code == 200


def test_invitation_for_another_address_or_forged_changes_nothing(client, idea_call, author):
    idea = draft_idea(idea_call, author)
    invited = services.invite_coauthor(idea, idea_call, author, "reza@ut.ac.ir")
    token = services.invitation_token(invited)
    client.force_login(UserFactory(email="someone@ut.ac.ir"))
    response = client.post(reverse("ideas:invitation", args=[token]), {"answer": "accept"})
    assert response.status_code == 200
    invited.refresh_from_db()
    assert invited.status == CoAuthorStatus.INVITED
    forged = client.get(reverse("ideas:invitation", args=[token[:-2] + "xx"]))
    assert forged.status_code == 400


def test_lead_author_removes_a_coauthor_but_others_cannot(client, idea_call, author):
    idea = draft_idea(idea_call, author)
    invited = services.invite_coauthor(idea, idea_call, author, "reza@ut.ac.ir")
    client.force_login(author)
    client.post(reverse("ideas:coauthors", args=[idea.uuid]), {"remove": invited.pk})
    assert not IdeaAuthor.objects.filter(pk=invited.pk).exists()


def test_my_submissions_show_status_and_reason(client, idea_call, author, editor):
    idea = submitted_idea(idea_call, author)
    workflow.move(idea, IdeaStatus.INELIGIBLE, actor=editor, reason="خارج از موضوع فراخوان")
    client.force_login(author)
    html = client.get(reverse("ideas:mine")).content.decode()
    assert idea.title in html and "خارج از موضوع فراخوان" in html
    detail = client.get(reverse("ideas:detail", args=[idea.uuid])).content.decode()
    assert "خارج از موضوع فراخوان" in detail


def test_status_changes_are_emailed_to_the_authors(
    idea_call, author, editor, django_capture_on_commit_callbacks
):
    idea = submitted_idea(idea_call, author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.move(idea, IdeaStatus.INELIGIBLE, actor=editor, reason="تکراری است")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert idea.title in message.subject and "تکراری است" in message.body


def test_detail_is_for_authors_and_editors_jurors_go_to_their_review(
    client, idea_call, author, editor, caplog
):
    idea = submitted_idea(idea_call, author)
    client.force_login(editor)
    assert client.get(reverse("ideas:detail", args=[idea.uuid])).status_code == 200
    juror = UserFactory()
    JuryMember.objects.create(call_key=idea_call.call_key, person=juror)
    review = ReviewAssignment.objects.create(idea=idea, reviewer=juror)
    client.force_login(juror)
    response = client.get(reverse("ideas:detail", args=[idea.uuid]))
    assert response["Location"] == reverse("ideas:review", args=[review.pk])
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        assert client.get(reverse("ideas:detail", args=[idea.uuid])).status_code == 404
    assert caplog.records


def accept(idea, editor, final=None):
    workflow.move(idea, IdeaStatus.IN_REVIEW, actor=editor)
    workflow.move(idea, IdeaStatus.SHORTLISTED, actor=editor)
    if final:
        workflow.move(idea, final, actor=editor)


def test_gallery_shows_accepted_submissions_whose_authors_agreed(client, idea_call, author, editor):
    shown = submitted_idea(idea_call, author, title="نمایش‌دادنی")
    hidden = submitted_idea(idea_call, author, title="پنهان", show_in_gallery=False)
    pending = submitted_idea(idea_call, author, title="در انتظار")
    accept(shown, editor)
    accept(hidden, editor)
    html = client.get(idea_call.url + "gallery/").content.decode()
    assert "نمایش‌دادنی" in html and "مریم احمدی" in html
    assert "پنهان" not in html and pending.title not in html
    media = client.get(idea_call.url + "gallery/?theme=" + THEME_MEDIA).content.decode()
    assert "نمایش‌دادنی" not in media


def test_gallery_hides_names_in_a_pseudonymous_call(client, calls, author, editor):
    page = add_idea_call(calls, slug="pseudo", anonymity="pseudonymous")
    idea = submitted_idea(page, author)
    accept(idea, editor)
    html = client.get(page.url + "gallery/").content.decode()
    assert idea.title in html and "مریم احمدی" not in html


def test_festival_page_lists_winners_by_year_and_theme(client, home_page, calls, author, editor):
    from pages.models import FestivalPage

    festival = FestivalPage(title="جشنواره", slug="festival")
    home_page.add_child(instance=festival)
    festival.save_revision().publish()
    page_1405 = add_idea_call(calls, slug="c1405", festival_year=1405)
    page_1404 = add_idea_call(calls, slug="c1404", festival_year=1404)
    winner = submitted_idea(page_1405, author, title="برنده ۱۴۰۵", category=THEME_MEDIA)
    mention = submitted_idea(page_1405, author, title="شایسته تقدیر")
    older = submitted_idea(page_1404, author, title="برنده ۱۴۰۴")
    loser = submitted_idea(page_1405, author, title="انتخاب‌نشده")
    accept(winner, editor, IdeaStatus.WINNER)
    accept(mention, editor, IdeaStatus.HONOURABLE_MENTION)
    accept(older, editor, IdeaStatus.WINNER)
    accept(loser, editor, IdeaStatus.NOT_SELECTED)
    festival.refresh_from_db()
    html = client.get(festival.url).content.decode()
    assert "برنده ۱۴۰۵" in html and "شایسته تقدیر" in html and "رسانه و هنر" in html
    assert "برنده ۱۴۰۴" not in html and "انتخاب‌نشده" not in html
    assert "۱۴۰۴" in html  # the other year is offered
    older_html = client.get(festival.url + "1404/").content.decode()
    assert "برنده ۱۴۰۴" in older_html and "برنده ۱۴۰۵" not in older_html
    assert client.get(festival.url + "1390/").status_code == 404


def test_representative_submits_for_their_organization_only(
    client, idea_call, author, organization
):
    client.force_login(author)
    client.post(idea_call.url + "new/", form_data(organization=organization.pk))
    assert Idea.objects.get().organization == organization
    outsider = UserFactory()
    client.force_login(outsider)
    client.post(idea_call.url + "new/", form_data(organization=organization.pk))
    # The field is not offered to a non-representative: the value is ignored.
    assert Idea.objects.get(created_by=outsider).organization is None


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_gallery_and_my_submissions_cost_the_same_queries_at_any_size(
    client, idea_call, author, editor
):
    def add(count):
        for number in range(count):
            idea = submitted_idea(idea_call, author, title=f"ایده {number}")
            accept(idea, editor)

    add(2)
    client.force_login(author)
    few = (_queries(client, idea_call.url + "gallery/"), _queries(client, reverse("ideas:mine")))
    add(6)
    many = (_queries(client, idea_call.url + "gallery/"), _queries(client, reverse("ideas:mine")))
    assert few == many


@pytest.mark.parametrize(
    "look_alike",
    ["admin@h\u0430d\u0430f.test", "adm\u0131n@hadaf.test", "admin@xn--hdf-6cdb.test"],
)
def test_a_co_author_invitation_to_a_look_alike_shows_why_and_stores_nothing(
    client, idea_call, author, look_alike
):
    UserFactory(email="admin@hadaf.test")
    idea = draft_idea(idea_call, author)
    client.force_login(author)
    response = client.post(
        reverse("ideas:coauthors", args=[idea.uuid]), {"email": look_alike}, follow=True
    )
    assert "خط‌های گوناگون" in response.content.decode()
    assert not IdeaAuthor.objects.filter(idea=idea, is_lead=False).exists()
    assert mail.outbox == []
