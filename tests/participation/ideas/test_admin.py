"""The editors' admin of idea calls: submissions, screening, the jury, the ranking."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.log_actions import registry as log_registry
from wagtail.models import GroupPagePermission, PageLogEntry

from participation.ideas import exports, jury, services, workflow
from participation.ideas.admin_screens import submissions as submissions_screen
from participation.ideas.choices import AssignmentStatus, IdeaKind, IdeaStatus
from participation.ideas.models import (
    Idea,
    IdeaAnswer,
    IdeaAttachment,
    IdeaEvent,
    JuryMember,
    ReviewAssignment,
)
from participation.ideas.wagtail_hooks import IdeaSubmissionsMenuItem
from tests.people.factories import UserFactory

from .factories import (
    CRITERION_FEASIBILITY,
    CRITERION_IMPACT,
    CRITERION_NOVELTY,
    QUESTION_TEAM,
    THEME_CULTURE,
    THEME_MEDIA,
    add_idea_call,
    draft_idea,
    idea_fields,
    submitted_idea,
)

pytestmark = pytest.mark.django_db

S = IdeaStatus


def url(name, *args):
    return reverse(f"hadaf_ideas:{name}", args=args)


def in_admin_language(text):
    """``text`` as editors read it: the admin speaks Persian unless they chose otherwise."""
    with translation.override("fa"):
        return str(translation.gettext(str(text)) if isinstance(text, str) else text)


def status_of(idea):
    return Idea.objects.get(pk=idea.pk).status


def transitions(page):
    return PageLogEntry.objects.filter(page=page, action=workflow.TRANSITION_ACTION)


def listed(client, page, **params):
    response = client.get(url("submissions", page.pk), params)
    assert response.status_code == 200
    return [idea.title for idea in response.context["ideas"]]


@pytest.fixture
def others(universities):
    """Authors from the second and third universities."""
    return [
        UserFactory(role="student", university=universities[1]),
        UserFactory(role="staff", university=universities[2]),
    ]


@pytest.fixture
def ideas(idea_call, author, others, organization):
    """Three submitted ideas (two themes, both kinds) and one draft."""
    poetry = submitted_idea(idea_call, author, title="شب‌های شعر خوابگاه")
    films = submitted_idea(
        idea_call,
        others[0],
        title="=1+1 سینمای دانشجویی",
        category=THEME_MEDIA,
        kind=IdeaKind.EXPERIENCE,
    )
    podcast = submitted_idea(idea_call, others[1], title="پادکست دانشگاه", category=THEME_MEDIA)
    draft = draft_idea(idea_call, author, title="پیش‌نویس نیمه‌کاره")
    return {"poetry": poetry, "films": films, "podcast": podcast, "draft": draft}


@pytest.fixture
def staff_without_rights(idea_call):
    """In the admin, but with no permission on the idea call."""
    user = UserFactory(email="other-staff@ministry.test", is_staff=True, role="")
    group = Group.objects.create(name="Other editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.fixture
def scoped_editor(idea_call):
    """In the admin, allowed to edit ``idea_call`` only."""
    user = UserFactory(email="scoped@ministry.test", is_staff=True, role="")
    group = Group.objects.create(name="Idea committee")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=idea_call, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


@pytest.fixture
def jurors(universities):
    return [
        UserFactory(email="juror1@ministry.test", university=universities[1]),
        UserFactory(email="juror2@ministry.test", university=universities[2]),
        UserFactory(email="juror3@ministry.test", university=None),
    ]


def seat(page, *people):
    for person in people:
        JuryMember.objects.create(call_key=page.call_key, person=person)


def into_review(editor, *ideas):
    return [workflow.move(idea, S.IN_REVIEW, actor=editor, notify=False) for idea in ideas]


def score(review, novelty, impact, feasibility):
    return jury.save_scores(
        review,
        review.reviewer,
        {CRITERION_NOVELTY: novelty, CRITERION_IMPACT: impact, CRITERION_FEASIBILITY: feasibility},
    )


# The list -----------------------------------------------------------------------------


def test_the_list_shows_submissions_with_counts_filters_and_search(
    client, editor, idea_call, ideas
):
    into_review(editor, ideas["podcast"])
    client.force_login(editor)
    response = client.get(url("submissions", idea_call.pk))
    assert response.status_code == 200
    # Newest first; the draft belongs to its author and is only counted.
    assert [idea.title for idea in response.context["ideas"]] == [
        "پادکست دانشگاه",
        "=1+1 سینمای دانشجویی",
        "شب‌های شعر خوابگاه",
    ]
    counts = {value: count for value, _label, count in response.context["counts"]}
    assert counts[S.SUBMITTED] == 2 and counts[S.IN_REVIEW] == 1 and counts[S.WINNER] == 0
    assert S.DRAFT not in counts
    assert response.context["total"] == 3 and response.context["drafts"] == 1
    html = response.content.decode()
    assert url("submission", idea_call.pk, ideas["poetry"].uuid) in html
    assert "مریم احمدی" in html  # Editors always see the authors.
    assert "پیش‌نویس نیمه‌کاره" not in html

    assert listed(client, idea_call, status=S.SUBMITTED) == [
        "=1+1 سینمای دانشجویی",
        "شب‌های شعر خوابگاه",
    ]
    assert listed(client, idea_call, theme=THEME_CULTURE) == ["شب‌های شعر خوابگاه"]
    assert listed(client, idea_call, kind=IdeaKind.EXPERIENCE) == ["=1+1 سینمای دانشجویی"]
    assert listed(client, idea_call, theme=THEME_MEDIA, status=S.IN_REVIEW) == ["پادکست دانشگاه"]
    assert listed(client, idea_call, q="پادکست") == ["پادکست دانشگاه"]
    assert listed(client, idea_call, q=str(ideas["films"].uuid)) == ["=1+1 سینمای دانشجویی"]
    code = str(ideas["films"].uuid).split("-")[0]
    assert listed(client, idea_call, q=code.upper()) == ["=1+1 سینمای دانشجویی"]
    assert listed(client, idea_call, q="پادكست") == ["پادکست دانشگاه"]  # Arabic kaf typed.
    assert listed(client, idea_call, status=S.DRAFT) == listed(client, idea_call)


def test_the_list_paginates(client, editor, idea_call, ideas, monkeypatch):
    monkeypatch.setattr(submissions_screen, "PER_PAGE", 2)
    client.force_login(editor)
    first = client.get(url("submissions", idea_call.pk), {"kind": ""})
    second = client.get(url("submissions", idea_call.pk), {"kind": "", "p": 2})
    assert len(first.context["ideas"]) == 2 and len(second.context["ideas"]) == 1
    assert first.context["paginator"].count == 3
    assert "kind=&amp;p=2" in first.content.decode()


def test_the_list_costs_the_same_queries_however_many_submissions(
    client, editor, idea_call, author, others
):
    submitted_idea(idea_call, author, title="یکم")
    client.force_login(editor)
    client.get(url("submissions", idea_call.pk))  # Warm Wagtail's per-process caches.
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url("submissions", idea_call.pk)).context["ideas"]) == 1
    for number, person in enumerate([author, *others, author, others[0]]):
        submitted_idea(idea_call, person, title=f"ایده {number}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url("submissions", idea_call.pk)).context["ideas"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_calls_screen_counts_submissions_awaiting_screening(
    client, editor, idea_call, ideas, calls
):
    other = add_idea_call(calls, slug="other-ideas", title="فراخوان دیگر")
    into_review(editor, ideas["poetry"])
    client.force_login(editor)
    response = client.get(url("calls"))
    assert response.status_code == 200
    rows = {row["page"].pk: row for row in response.context["rows"]}
    assert (rows[idea_call.pk]["waiting"], rows[idea_call.pk]["total"]) == (2, 3)
    assert (rows[other.pk]["waiting"], rows[other.pk]["total"]) == (0, 0)
    assert [row["page"].pk for row in response.context["rows"]][0] == idea_call.pk


# One submission ---------------------------------------------------------------------------


def test_the_detail_shows_everything_about_a_submission(
    client, editor, idea_call, author, organization, others
):
    idea = services.start_idea(
        idea_call, author, fields=idea_fields(title="جشنواره فیلم"), organization=organization
    )
    idea = services.submit_idea(idea, idea_call, author)
    IdeaAnswer.objects.create(idea=idea, question_id=QUESTION_TEAM, text="سه دانشجوی سینما")
    attachment = IdeaAttachment.objects.create(
        idea=idea,
        file="ideas/test/plan",
        original_name="طرح.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
        uploaded_by=author,
    )
    client.force_login(editor)
    response = client.get(url("submission", idea_call.pk, idea.uuid))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "جشنواره فیلم",
        idea.summary,
        idea.body,
        "مریم احمدی",
        author.email,
        "دانشگاه تهران",
        "کانون فیلم دانشگاه تهران",
        "اعضای تیم اجرایی چه کسانی هستند؟",
        "سه دانشجوی سینما",
        "طرح.pdf",
        "فرهنگ دانشگاهی",
    ):
        assert text in html, text
    assert reverse("ideas:attachment", args=(idea.uuid, attachment.pk)) in html
    assert response.context["universities"] == ["دانشگاه تهران"]
    # The history: the author's own step, with when (Jalali) and who.
    events = list(response.context["events"])
    assert [(e.from_status, e.to_status, e.actor) for e in events] == [
        (S.DRAFT, S.SUBMITTED, author)
    ]
    with translation.override("fa"):
        from pages.templatetags.persian import jalali_datetime

        assert jalali_datetime(events[0].at) in html
    # The next steps from "submitted": into review, or not eligible.
    assert [value for value, _label in response.context["steps"]] == [S.INELIGIBLE, S.IN_REVIEW]
    assert 'name="to" value="in_review"' in html and 'name="to" value="winner"' not in html


def test_an_editor_screens_a_submission_with_a_reason_and_it_is_logged(
    client, editor, idea_call, ideas
):
    client.force_login(editor)
    idea = ideas["poetry"]
    detail = url("submission", idea_call.pk, idea.uuid)
    response = client.post(detail, {"to": S.IN_REVIEW, "reason": "  با شرایط فراخوان سازگار است. "})
    assert response.status_code == 302 and response["Location"] == detail
    assert status_of(idea) == S.IN_REVIEW
    event = IdeaEvent.objects.filter(idea=idea).latest("pk")
    assert (event.from_status, event.to_status, event.actor) == (S.SUBMITTED, S.IN_REVIEW, editor)
    assert event.reason == "با شرایط فراخوان سازگار است."
    entry = transitions(idea_call).get()
    assert entry.user == editor
    assert entry.data == {
        "idea": str(idea.uuid),
        "title": idea.title,
        "from": S.SUBMITTED,
        "to": S.IN_REVIEW,
        "reason": "با شرایط فراخوان سازگار است.",
    }
    # The history entry reads well in the page's history.
    with translation.override("en"):
        message = log_registry.get_formatter(entry).format_message(entry)
    assert message == (
        f"“{idea.title}”: Submitted, awaiting screening → In jury review "
        "(reason: با شرایط فراخوان سازگار است.)"
    )
    history = client.get(reverse("wagtailadmin_pages:history", args=[idea_call.pk]))
    assert history.status_code == 200

    # Later steps from the same screen: back to "not eligible", with a reason.
    client.post(detail, {"to": S.INELIGIBLE, "reason": "مدارک ناقص است."})
    idea.refresh_from_db()
    assert (idea.status, idea.status_reason) == (S.INELIGIBLE, "مدارک ناقص است.")
    assert transitions(idea_call).count() == 2


def test_not_eligible_without_a_reason_changes_nothing_and_says_why(
    client, editor, idea_call, ideas
):
    client.force_login(editor)
    idea = ideas["poetry"]
    response = client.post(
        url("submission", idea_call.pk, idea.uuid), {"to": S.INELIGIBLE, "reason": "  "}
    )
    assert response.status_code == 200
    assert status_of(idea) == S.SUBMITTED
    assert IdeaEvent.objects.filter(idea=idea).count() == 1  # The author's submission only.
    assert not transitions(idea_call).exists()
    assert escape(in_admin_language("Give the authors a reason.")) in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_a_step_the_workflow_does_not_allow_changes_nothing(client, editor, idea_call, ideas):
    client.force_login(editor)
    idea = ideas["poetry"]
    detail = url("submission", idea_call.pk, idea.uuid)
    response = client.post(detail, {"to": S.WINNER, "reason": "عالی"})
    assert response.status_code == 200
    assert status_of(idea) == S.SUBMITTED
    assert not transitions(idea_call).exists()
    errors = " ".join(response.context["form"].non_field_errors())
    assert in_admin_language(S.WINNER.label) in errors
    # Not a status at all, or the authors' own step: refused by the form.
    for to in ("published", S.DRAFT, S.SUBMITTED):
        response = client.post(detail, {"to": to})
        assert response.status_code == 200 and response.context["form"].errors
    assert status_of(idea) == S.SUBMITTED


def test_drafts_and_other_calls_submissions_are_not_found(
    client, editor, idea_call, ideas, calls, author
):
    other = add_idea_call(calls, slug="other-ideas")
    elsewhere = submitted_idea(other, author, title="جای دیگر")
    client.force_login(editor)
    assert client.get(url("submission", idea_call.pk, ideas["draft"].uuid)).status_code == 404
    assert client.get(url("submission", idea_call.pk, elsewhere.uuid)).status_code == 404
    response = client.post(url("submission", idea_call.pk, elsewhere.uuid), {"to": S.IN_REVIEW})
    assert response.status_code == 404
    assert status_of(elsewhere) == S.SUBMITTED
    # A page that is not an idea call has no submissions screen.
    assert client.get(url("submissions", calls.pk)).status_code == 404


# Bulk screening -----------------------------------------------------------------------------


def test_several_submissions_are_screened_at_once(client, editor, idea_call, ideas):
    client.force_login(editor)
    back = url("submissions", idea_call.pk) + "?status=submitted"
    response = client.post(
        url("move", idea_call.pk),
        {
            "ideas": [ideas["poetry"].uuid, ideas["films"].uuid],
            "to": S.IN_REVIEW,
            "reason": "",
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert status_of(ideas["poetry"]) == status_of(ideas["films"]) == S.IN_REVIEW
    assert status_of(ideas["podcast"]) == S.SUBMITTED
    assert transitions(idea_call).count() == 2


def test_a_bulk_step_is_all_or_nothing(client, editor, idea_call, ideas):
    into_review(editor, ideas["poetry"])
    client.force_login(editor)
    selected = [ideas["poetry"].uuid, ideas["films"].uuid]
    # "films" may not be shortlisted before review: neither moves.
    response = client.post(
        url("move", idea_call.pk), {"ideas": selected, "to": S.SHORTLISTED}, follow=True
    )
    assert status_of(ideas["poetry"]) == S.IN_REVIEW
    assert status_of(ideas["films"]) == S.SUBMITTED
    assert not transitions(idea_call).exists()
    shown = [str(message).strip() for message in response.context["messages"]]
    assert any(ideas["films"].title in message for message in shown)
    # Not eligible needs a reason for all of them.
    client.post(url("move", idea_call.pk), {"ideas": selected, "to": S.INELIGIBLE})
    assert status_of(ideas["poetry"]) == S.IN_REVIEW
    # Nothing selected, an unknown uuid, a draft: nothing to do.
    for chosen in ([], ["not-a-uuid"], [ideas["draft"].uuid]):
        client.post(url("move", idea_call.pk), {"ideas": chosen, "to": S.IN_REVIEW})
    assert status_of(ideas["draft"]) == S.DRAFT
    assert not transitions(idea_call).exists()


def test_an_unsafe_next_is_ignored(client, editor, idea_call, ideas):
    client.force_login(editor)
    response = client.post(
        url("move", idea_call.pk),
        {"ideas": [ideas["poetry"].uuid], "to": S.IN_REVIEW, "next": "https://evil.example/"},
    )
    assert response["Location"] == url("submissions", idea_call.pk)


# Who may do what ------------------------------------------------------------------------------


def every_screen(page, idea):
    return [
        url("submissions", page.pk),
        url("submission", page.pk, idea.uuid),
        url("jury", page.pk),
        url("ranking", page.pk),
        url("export", page.pk),
    ]


def every_change(page, idea):
    return [
        (url("submission", page.pk, idea.uuid), {"to": S.IN_REVIEW}),
        (url("move", page.pk), {"ideas": [idea.uuid], "to": S.IN_REVIEW}),
        (url("add_juror", page.pk), {"email": "juror1@ministry.test"}),
        (url("assign", page.pk), {}),
    ]


def test_staff_who_cannot_edit_the_call_are_refused_everywhere(
    client, staff_without_rights, idea_call, ideas, jurors
):
    seat(idea_call, jurors[2])
    member = JuryMember.objects.get()
    client.force_login(staff_without_rights)
    for screen in every_screen(idea_call, ideas["poetry"]):
        assert client.get(screen).status_code == 403, screen
    for target, data in [
        *every_change(idea_call, ideas["poetry"]),
        (url("remove_juror", idea_call.pk, member.pk), {}),
    ]:
        assert client.post(target, data).status_code == 403, target
    assert status_of(ideas["poetry"]) == S.SUBMITTED
    assert list(JuryMember.objects.values_list("person", flat=True)) == [jurors[2].pk]
    assert not ReviewAssignment.objects.exists()
    assert not PageLogEntry.objects.filter(action__startswith="hadaf.ideas").exists()
    # Their calls screen is empty and the menu item hidden.
    assert client.get(url("calls")).context["rows"] == []


def test_participants_and_visitors_are_sent_to_sign_in(client, idea_call, ideas, author):
    for who in (author, None):
        if who:
            client.force_login(who)
        for screen in every_screen(idea_call, ideas["poetry"]):
            response = client.get(screen)
            assert response.status_code == 302 and "/login/" in response["Location"]
        for target, data in every_change(idea_call, ideas["poetry"]):
            response = client.post(target, data)
            assert response.status_code == 302 and "/login/" in response["Location"]
        client.logout()
    assert status_of(ideas["poetry"]) == S.SUBMITTED
    assert not JuryMember.objects.exists()


def test_an_editor_of_this_call_only_may_work_on_it(client, scoped_editor, idea_call, ideas, calls):
    other = add_idea_call(calls, slug="other-ideas")
    client.force_login(scoped_editor)
    assert client.get(url("submissions", idea_call.pk)).status_code == 200
    assert client.get(url("submissions", other.pk)).status_code == 403
    assert [row["page"].pk for row in client.get(url("calls")).context["rows"]] == [idea_call.pk]


def test_changes_need_post_and_csrf(editor, idea_call, ideas, jurors):
    seat(idea_call, jurors[0])
    member = JuryMember.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    for target in (
        url("move", idea_call.pk),
        url("add_juror", idea_call.pk),
        url("remove_juror", idea_call.pk, member.pk),
        url("assign", idea_call.pk),
    ):
        assert client.get(target).status_code == 405, target
    for target, data in every_change(idea_call, ideas["poetry"]):
        assert client.post(target, data).status_code == 403, target
    assert status_of(ideas["poetry"]) == S.SUBMITTED


# Admin menu, buttons and history labels ------------------------------------------------------


def test_the_menu_item_counts_submissions_awaiting_screening(
    editor, staff_without_rights, idea_call, ideas
):
    item = IdeaSubmissionsMenuItem("Idea submissions", url("calls"), name="idea-submissions")
    request = RequestFactory().get("/admin/")
    request.user = editor
    with translation.override("en"):
        assert item.is_shown(request)
        assert item.render_component(request).label == "Idea submissions (3)"
        into_review(editor, ideas["poetry"], ideas["films"], ideas["podcast"])
        assert item.render_component(request).label == "Idea submissions"
    request.user = staff_without_rights
    assert not item.is_shown(request)


def test_the_buttons_and_menu_item_are_in_the_admin(client, editor, idea_call):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[idea_call.pk]))
    assert url("submissions", idea_call.pk) in edit.content.decode()
    explore = client.get(reverse("wagtailadmin_explore", args=[idea_call.get_parent().pk]))
    assert url("submissions", idea_call.pk) in explore.content.decode()
    home = client.get(reverse("wagtailadmin_home"))
    assert url("calls") in home.content.decode()


def test_the_log_actions_have_labels():
    with translation.override("en"):
        labels = {
            action: str(log_registry.get_action_label(action))
            for action in (
                workflow.TRANSITION_ACTION,
                jury.JUROR_ADDED_ACTION,
                jury.JUROR_REMOVED_ACTION,
                jury.ASSIGNED_ACTION,
                exports.EXPORTED_ACTION,
            )
        }
    assert labels == {
        workflow.TRANSITION_ACTION: "Move an idea submission",
        jury.JUROR_ADDED_ACTION: "Add a juror",
        jury.JUROR_REMOVED_ACTION: "Remove a juror",
        jury.ASSIGNED_ACTION: "Assign reviewers",
        exports.EXPORTED_ACTION: "Export idea submissions and scores",
    }


# The jury -----------------------------------------------------------------------------------


def test_jurors_are_added_by_the_email_of_an_existing_account(client, editor, idea_call, jurors):
    client.force_login(editor)
    response = client.post(url("add_juror", idea_call.pk), {"email": " JUROR1@Ministry.test "})
    assert response.status_code == 302 and response["Location"] == url("jury", idea_call.pk)
    assert list(JuryMember.objects.values_list("call_key", "person")) == [
        (idea_call.call_key, jurors[0].pk)
    ]
    entry = PageLogEntry.objects.get(page=idea_call, action=jury.JUROR_ADDED_ACTION)
    assert entry.user == editor and entry.data["email"] == "juror1@ministry.test"

    # Twice: still one seat.
    client.post(url("add_juror", idea_call.pk), {"email": "juror1@ministry.test"})
    assert JuryMember.objects.count() == 1

    # No such account, or not an email: a clear error, nothing stored.
    response = client.post(url("add_juror", idea_call.pk), {"email": "nobody@ministry.test"})
    assert response.status_code == 200
    assert (
        escape(
            in_admin_language(
                "No account uses this email address. Ask the person to sign up first."
            )
        )
        in response.content.decode()
    )
    assert response.context["form"].errors["email"]
    response = client.post(url("add_juror", idea_call.pk), {"email": "not an email"})
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert JuryMember.objects.count() == 1


@pytest.mark.parametrize("look_alike", ["juror1@m\u0131nistry.test", "juror1@xn--mnistry-rfb.test"])
def test_a_look_alike_address_adds_no_impostor_to_the_jury(
    client, editor, idea_call, jurors, look_alike
):
    # An account stored before look-alikes were refused, as the attacker would hold it.
    UserFactory(email="juror1@m\u0131nistry.test")
    client.force_login(editor)
    response = client.post(url("add_juror", idea_call.pk), {"email": look_alike})
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["email"]]
    assert codes == ["look_alike_email"]
    assert not JuryMember.objects.exists()


def test_the_jury_screen_shows_each_jurors_load_and_conflicts(
    client, editor, idea_call, ideas, jurors, universities
):
    seat(idea_call, *jurors)
    poetry, films = into_review(editor, ideas["poetry"], ideas["films"])
    # jurors[0] is from the second university, like the author of "films".
    review = ReviewAssignment.objects.create(idea=poetry, reviewer=jurors[0])
    ReviewAssignment.objects.create(idea=poetry, reviewer=jurors[1])
    score(review, 8, 7, 4)
    ReviewAssignment.objects.create(
        idea=films, reviewer=jurors[2], status=AssignmentStatus.RECUSED, recusal_reason="آشنا"
    )
    client.force_login(editor)
    response = client.get(url("jury", idea_call.pk))
    assert response.status_code == 200
    rows = {row.member.person: row for row in response.context["rows"]}
    assert (rows[jurors[0]].assigned, rows[jurors[0]].scored, rows[jurors[0]].recused) == (0, 1, 0)
    assert (rows[jurors[1]].assigned, rows[jurors[1]].scored) == (1, 0)
    assert rows[jurors[2]].recused == 1
    assert [idea.pk for idea, _reasons in rows[jurors[0]].conflicts] == [films.pk]
    assert rows[jurors[0]].conflicts[0][1] == jury.conflicts_of_interest(films, jurors[0])
    assert rows[jurors[2]].conflicts == []
    assert not rows[jurors[0]].removable and rows[jurors[1]].removable
    html = response.content.decode()
    assert url("remove_juror", idea_call.pk, rows[jurors[1]].member.pk) in html
    assert url("remove_juror", idea_call.pk, rows[jurors[0]].member.pk) not in html

    # The submission's own screen names the conflicted juror too, and its reviews.
    detail = client.get(url("submission", idea_call.pk, films.uuid))
    assert [person for person, _reasons in detail.context["conflicts"]] == [jurors[0]]
    poetry_detail = client.get(url("submission", idea_call.pk, poetry.uuid))
    reviews = poetry_detail.context["reviews"]
    assert [row.review.reviewer for row in reviews] == [jurors[0], jurors[1]]
    assert [s.score for _c, s in reviews[0].scores] == [8, 7, 4]
    assert jurors[0].get_full_name() in poetry_detail.content.decode()


def test_a_juror_without_scores_is_removed_with_their_open_reviews(
    client, editor, idea_call, ideas, jurors
):
    seat(idea_call, jurors[0], jurors[1])
    (poetry,) = into_review(editor, ideas["poetry"])
    ReviewAssignment.objects.create(idea=poetry, reviewer=jurors[1])
    member = JuryMember.objects.get(person=jurors[1])
    client.force_login(editor)
    response = client.post(url("remove_juror", idea_call.pk, member.pk))
    assert response.status_code == 302
    assert list(JuryMember.objects.values_list("person", flat=True)) == [jurors[0].pk]
    assert not ReviewAssignment.objects.filter(reviewer=jurors[1]).exists()
    entry = PageLogEntry.objects.get(page=idea_call, action=jury.JUROR_REMOVED_ACTION)
    assert entry.user == editor and entry.data["reviews_dropped"] == 1


def test_a_juror_who_has_scored_stays(client, editor, idea_call, ideas, jurors):
    seat(idea_call, jurors[0])
    (poetry,) = into_review(editor, ideas["poetry"])
    score(ReviewAssignment.objects.create(idea=poetry, reviewer=jurors[0]), 5, 5, 3)
    member = JuryMember.objects.get()
    client.force_login(editor)
    response = client.post(url("remove_juror", idea_call.pk, member.pk), follow=True)
    assert JuryMember.objects.filter(pk=member.pk).exists()
    assert ReviewAssignment.objects.filter(reviewer=jurors[0]).count() == 1
    assert not PageLogEntry.objects.filter(action=jury.JUROR_REMOVED_ACTION).exists()
    shown = [str(message).strip() for message in response.context["messages"]]
    assert shown == [
        in_admin_language(
            "%(name)s has already scored submissions and stays on the jury; their scores are "
            "part of the ranking."
        )
        % {"name": jurors[0].get_full_name()}
    ]
    # A juror of another call cannot be removed through this one.
    other = add_idea_call(idea_call.get_parent(), slug="other-ideas")
    seat(other, jurors[1])
    elsewhere = JuryMember.objects.get(person=jurors[1])
    assert client.post(url("remove_juror", idea_call.pk, elsewhere.pk)).status_code == 404


def test_assign_reviewers_creates_assignments_and_reports_the_short(
    client, editor, idea_call, ideas, jurors
):
    seat(idea_call, *jurors)
    poetry, films, podcast = into_review(editor, ideas["poetry"], ideas["films"], ideas["podcast"])
    client.force_login(editor)
    response = client.post(url("assign", idea_call.pk))
    assert response.status_code == 200
    report = response.context["report"]
    # Two reviews each; "films" (second university) cannot go to jurors[0], nor "podcast"
    # (third university) to jurors[1], which still leaves two jurors for each.
    assert report.created == 6 and report.short == []
    for idea in (poetry, films, podcast):
        reviewers = set(idea.reviews.values_list("reviewer", flat=True))
        assert len(reviewers) == 2
    assert jurors[0].pk not in set(films.reviews.values_list("reviewer", flat=True))
    entry = PageLogEntry.objects.get(page=idea_call, action=jury.ASSIGNED_ACTION)
    assert entry.user == editor and entry.data == {"created": 6, "short": 0}

    # Again: nothing new. With one juror less and a new submission, it is short.
    assert client.post(url("assign", idea_call.pk)).context["report"].created == 0
    JuryMember.objects.filter(person=jurors[2]).delete()
    # The new one's author shares jurors[0]'s university: one reviewer only.
    late_author = UserFactory(university=jurors[0].university)
    late = submitted_idea(idea_call, late_author, title="ایده دیرهنگام")
    into_review(editor, late)
    response = client.post(url("assign", idea_call.pk))
    short = response.context["short"]
    assert [(item.idea_id, idea_uuid) for item, idea_uuid in short] == [(late.pk, late.uuid)]
    html = response.content.decode()
    assert short[0][0].reason in html
    assert url("submission", idea_call.pk, late.uuid) in html


# The ranking ---------------------------------------------------------------------------------


@pytest.fixture
def scored(editor, idea_call, ideas, jurors):
    """Three submissions in review, each scored by two jurors; the podcast is best."""
    seat(idea_call, *jurors)
    poetry, films, podcast = into_review(editor, ideas["poetry"], ideas["films"], ideas["podcast"])
    plan = {
        poetry: [(jurors[0], (5, 5, 3)), (jurors[2], (6, 5, 3))],
        films: [(jurors[1], (2, 3, 1)), (jurors[2], (3, 2, 2))],
        podcast: [(jurors[0], (9, 9, 5)), (jurors[2], (10, 8, 5))],
    }
    for idea, reviews in plan.items():
        for juror, points in reviews:
            score(ReviewAssignment.objects.create(idea=idea, reviewer=juror), *points)
    return poetry, films, podcast


def test_the_ranking_lists_submissions_best_first(client, editor, idea_call, scored):
    poetry, films, podcast = scored
    client.force_login(editor)
    response = client.get(url("ranking", idea_call.pk))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.idea.pk for row in rows] == [podcast.pk, poetry.pk, films.pk]
    assert [row.entry.rank for row in rows] == [1, 2, 3]
    expected = {entry.idea_id: entry for entry in jury.ranking(idea_call)}
    assert [row.entry.score for row in rows] == [expected[row.idea.pk].score for row in rows]
    assert rows[0].means == [9.5, 8.5, 5.0]
    assert rows[0].theme_name == "رسانه و هنر"
    html = response.content.decode()
    assert html.index(podcast.title) < html.index(poetry.title)
    assert "۹٫۵" in html  # Persian digits.
    # By theme, the ranks stay the call's own.
    media = client.get(url("ranking", idea_call.pk), {"theme": THEME_MEDIA}).context["rows"]
    assert [(row.idea.pk, row.entry.rank) for row in media] == [(podcast.pk, 1), (films.pk, 3)]


def test_disagreements_are_flagged_on_the_ranking(client, editor, idea_call, scored, monkeypatch):
    monkeypatch.setattr(jury, "DISAGREEMENT_SPREAD", -1.0)
    client.force_login(editor)
    response = client.get(url("ranking", idea_call.pk))
    assert response.context["disagreements"] == 3
    assert response.content.decode().count('class="hadaf-disagreement"') == 3


def test_winners_are_chosen_from_the_ranking(client, editor, idea_call, scored):
    poetry, films, podcast = scored
    client.force_login(editor)
    ranking = url("ranking", idea_call.pk)
    move = url("move", idea_call.pk)
    client.post(move, {"ideas": [podcast.uuid, poetry.uuid], "to": S.SHORTLISTED, "next": ranking})
    client.post(move, {"ideas": [films.uuid], "to": S.NOT_SELECTED, "next": ranking})
    response = client.post(move, {"ideas": [podcast.uuid], "to": S.WINNER, "next": ranking})
    assert response["Location"] == ranking
    client.post(move, {"ideas": [poetry.uuid], "to": S.HONOURABLE_MENTION, "next": ranking})
    assert [status_of(idea) for idea in (podcast, poetry, films)] == [
        S.WINNER,
        S.HONOURABLE_MENTION,
        S.NOT_SELECTED,
    ]
    assert transitions(idea_call).count() == 5
    assert IdeaEvent.objects.filter(actor=editor, to_status=S.WINNER, idea=podcast).exists()
    # They stay in the ranking with their outcome.
    rows = client.get(ranking).context["rows"]
    assert [row.idea.status for row in rows] == [S.WINNER, S.HONOURABLE_MENTION, S.NOT_SELECTED]


def test_the_export_is_logged(client, editor, idea_call, ideas):
    client.force_login(editor)
    response = client.get(url("export", idea_call.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    entry = PageLogEntry.objects.get(page=idea_call, action=exports.EXPORTED_ACTION)
    assert entry.user == editor
