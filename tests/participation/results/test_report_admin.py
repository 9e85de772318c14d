import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import PageLogEntry

import participation.surveys.wagtail_hooks  # noqa: F401 - registers the admin URLs and buttons
from participation.choices import AnonymityMode
from participation.questions.schema import read_questions
from participation.submissions.models import AnswerTally, Submission
from participation.submissions.services import submit_response
from tests.helpers.reports import answers_for
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"hadaf_survey_report:{name}", args=args)


def counted_total(page):
    row = AnswerTally.objects.filter(
        call_key=page.call_key, segment="", question_id="", row_id="", choice_id="", value=""
    ).first()
    return row.count if row else 0


@pytest.fixture
def responses(make_response, survey):
    normal = [
        make_response(survey, role="student", university="دانشگاه تهران", likert=[1, 2, 3, 4, 5])
        for _ in range(3)
    ]
    normal.append(make_response(survey, role="faculty", language="en", likert=[2, 2, 3, 4, 5]))
    speeder = make_response(survey, role="staff", seconds=5, likert=[1, 2, 3, 4, 5])
    straight = make_response(survey, role="student", likert=4, freq=1)
    return {"normal": normal, "speeder": speeder, "straight": straight}


def test_editor_sees_the_report_in_persian(client, editor, survey, responses):
    client.force_login(editor)
    response = client.get(url("report", survey.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "گزارش نظرسنجی" in html or "Survey report" in html
    assert survey.title in html
    assert "۶" in html  # Six responses, in Persian digits.
    assert "نرخ تکمیل" in html or "Completion rate" in html
    assert "دانشگاه تهران" in html  # The cross-tab by university.
    assert response.context["counts"]["speeders"] == 1
    assert response.context["counts"]["straightliners"] == 1
    assert sum(day["count"] for day in response.context["per_day"]) == 6


def test_the_report_button_is_on_the_survey_page_in_the_admin(client, editor, survey):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk]))
    assert response.status_code == 200
    assert url("report", survey.pk) in response.content.decode()
    explore = client.get(reverse("wagtailadmin_explore", args=[survey.get_parent().pk]))
    assert url("report", survey.pk) in explore.content.decode()


def test_people_who_cannot_edit_the_page_are_refused(client, survey, responses):
    participant = UserFactory()
    client.force_login(participant)
    for name in ("report", "submissions", "export"):
        response = client.get(url(name, survey.pk))
        assert response.status_code in {302, 403}
        assert response.status_code == 403 or "/login/" in response["Location"]
    # In the admin but without the page's edit permission: Wagtail turns the 403 into a
    # redirect to the dashboard with an error message.
    staff_without_rights = UserFactory(is_staff=True, role="")
    staff_without_rights.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff_without_rights)
    refused = client.get(url("report", survey.pk))
    assert refused.status_code in {302, 403}
    assert refused.status_code == 403 or refused["Location"] == reverse("wagtailadmin_home")
    target = responses["speeder"]
    response = client.post(url("set_counted", survey.pk, target.uuid), {"action": "exclude"})
    assert response.status_code in {302, 403}
    assert not Submission.objects.get(pk=target.pk).excluded_from_results


def test_a_page_that_is_not_a_survey_has_no_report(client, editor, call_index):
    client.force_login(editor)
    assert client.get(url("report", call_index.pk)).status_code == 404


def test_filters_narrow_the_submission_list(client, editor, survey, responses):
    client.force_login(editor)

    def listed(**params):
        response = client.get(url("submissions", survey.pk), params)
        assert response.status_code == 200
        return {submission.pk for submission in response.context["submissions"]}

    assert len(listed()) == 6
    assert listed(language="en") == {responses["normal"][3].pk}
    assert listed(role="staff") == {responses["speeder"].pk}
    assert listed(flag="speeder") == {responses["speeder"].pk}
    assert listed(flag="straightliner") == {responses["straight"].pk}
    assert listed(flag="flagged") == {responses["speeder"].pk, responses["straight"].pk}
    assert listed(flag="excluded") == set()
    assert listed(role="student", flag="straightliner") == {responses["straight"].pk}


def test_the_list_shows_jalali_times_and_paginates(client, editor, survey, responses, settings):
    client.force_login(editor)
    import participation.surveys.admin_views as admin_views

    original = admin_views.PER_PAGE
    admin_views.PER_PAGE = 4
    try:
        first = client.get(url("submissions", survey.pk))
        second = client.get(url("submissions", survey.pk), {"p": 2})
    finally:
        admin_views.PER_PAGE = original
    assert len(first.context["submissions"]) == 4 and len(second.context["submissions"]) == 2
    html = first.content.decode()
    assert "p=2" in html
    assert "۱۴۰" in html  # A Solar Hijri year in Persian digits.
    assert 'name="csrfmiddlewaretoken"' in html


def test_exclude_and_include_move_the_submission_and_are_logged(client, editor, survey, responses):
    client.force_login(editor)
    target = responses["speeder"]
    assert counted_total(survey) == 6
    back = url("submissions", survey.pk) + "?flag=speeder"
    assert client.get(back).status_code == 200  # The list refreshes the flags.
    response = client.post(
        url("set_counted", survey.pk, target.uuid), {"action": "exclude", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Submission.objects.get(pk=target.pk).excluded_from_results
    assert counted_total(survey) == 5
    entry = PageLogEntry.objects.get(page=survey, action="hadaf.submission_excluded")
    assert entry.user == editor and entry.data["submission"] == str(target.uuid)
    assert entry.data["speeder"] is True

    listed = client.get(url("submissions", survey.pk), {"flag": "excluded"})
    assert [s.pk for s in listed.context["submissions"]] == [target.pk]
    report = client.get(url("report", survey.pk))
    assert report.context["counts"]["excluded"] == 1
    assert report.context["results"].responses == 5

    client.post(url("set_counted", survey.pk, target.uuid), {"action": "include"})
    assert not Submission.objects.get(pk=target.pk).excluded_from_results
    assert counted_total(survey) == 6
    assert PageLogEntry.objects.filter(page=survey, action="hadaf.submission_included").exists()


def test_exclusion_only_accepts_post_and_a_safe_next(client, editor, survey, responses):
    client.force_login(editor)
    target = responses["normal"][0]
    assert client.get(url("set_counted", survey.pk, target.uuid)).status_code == 405
    response = client.post(
        url("set_counted", survey.pk, target.uuid),
        {"action": "exclude", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("submissions", survey.pk)


def test_csrf_is_required_to_exclude(editor, survey, responses):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    target = responses["normal"][0]
    response = client.post(url("set_counted", survey.pk, target.uuid), {"action": "exclude"})
    assert response.status_code == 403
    assert not Submission.objects.get(pk=target.pk).excluded_from_results


def test_the_report_says_how_many_anonymous_responses_wait_sealed(
    client, editor, call_index, make_survey_under
):
    """Anonymous answers wait sealed until their batch opens: the editor is told how many,
    rather than seeing a count that ignores people who have answered."""
    page = make_survey_under(call_index, anonymity=AnonymityMode.ANONYMOUS_VERIFIED, slug="anon")
    questionnaire = read_questions(page.questions)
    for _ in range(3):
        submit_response(
            page, UserFactory(), answers_for(questionnaire), questionnaire, language="fa"
        )
    client.force_login(editor)
    html = client.get(url("report", page.pk)).content.decode()
    assert "پاسخ‌های مهروموم‌شده در انتظار دسته" in html
    assert "<dd>۳</dd>" in html
