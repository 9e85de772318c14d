"""Population frames and the survey measurement report in the Wagtail admin: who may use
them, imports through the form, the setting, and what the report shows."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import PageLogEntry

import participation.measurement.wagtail_hooks  # noqa: F401 - registers the admin URLs
import participation.surveys.wagtail_hooks  # noqa: F401 - the survey report it links to
from participation.measurement import importing, services
from participation.measurement.models import FrameVersion, PopulationFrame, SurveyMeasurement
from participation.persian import to_latin_digits
from participation.questions.schema import read_questions
from tests.people.factories import UserFactory, university_named

pytestmark = pytest.mark.django_db

TEHRAN, SHIRAZ = "دانشگاه تهران", "دانشگاه شیراز"


def frame_with(lines, name="دانشجویان و استادان"):
    university_named(TEHRAN)
    university_named(SHIRAZ)
    frame = PopulationFrame.objects.create(name=name)
    data = ("university,role,gender,degree_level,count\n" + "\n".join(lines) + "\n").encode()
    importing.import_version(frame, reference_year=1404, name="frame.csv", data=data)
    return frame


def staff_without_rights():
    user = UserFactory(is_staff=True, role="")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def assert_refused(response):
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/login/" in response["Location"] or response["Location"] == reverse(
            "wagtailadmin_home"
        )


# ---- Frames ----------------------------------------------------------------------------------


def test_only_editors_may_see_and_import_frames(client, editor):
    frame = frame_with([f"{TEHRAN},staff,male,,10"])
    urls = [
        reverse("hadaf_frames:index"),
        reverse("hadaf_frames:frame", args=[frame.pk]),
        reverse("hadaf_frames:version", args=[frame.pk, 1]),
    ]
    for url in urls:
        assert_refused(client.get(url))
    for person in (UserFactory(), staff_without_rights()):
        client.force_login(person)
        for url in urls:
            assert_refused(client.get(url))
        upload = SimpleUploadedFile("f.csv", b"university,role,gender,degree_level,count\n")
        assert_refused(client.post(urls[1], {"reference_year": "1404", "file": upload}))
    assert FrameVersion.objects.count() == 1
    client.force_login(editor)
    for url in urls:
        assert client.get(url).status_code == 200
    # The permission alone is enough, without the editorial groups.
    holder = staff_without_rights()
    holder.user_permissions.add(Permission.objects.get(codename="change_populationframe"))
    client.force_login(holder)
    assert client.get(urls[0]).status_code == 200


def test_an_editor_creates_a_frame_and_imports_a_version(client, editor):
    university_named(TEHRAN)
    client.force_login(editor)
    created = client.post(reverse("hadaf_frames:index"), {"name": "کارکنان", "description": ""})
    frame = PopulationFrame.objects.get(name="کارکنان")
    assert created["Location"] == reverse("hadaf_frames:frame", args=[frame.pk])
    upload = SimpleUploadedFile(
        "kadr.csv", f"دانشگاه,نقش,جنسیت,مقطع,تعداد\n{TEHRAN},کارمند,زن,,۴۲\n".encode()
    )
    response = client.post(
        reverse("hadaf_frames:frame", args=[frame.pk]), {"reference_year": "۱۴۰۴", "file": upload}
    )
    assert response.status_code == 302
    version = frame.current_version
    assert (version.number, version.reference_year, version.total) == (1, 1404, 42)
    assert version.imported_by == editor
    page = client.get(reverse("hadaf_frames:frame", args=[frame.pk])).content.decode()
    assert "۱۴۰۴" in page and "kadr.csv" in page


def test_a_refused_import_lists_every_problem_in_persian_and_stores_nothing(client, editor):
    university_named(TEHRAN)
    frame = PopulationFrame.objects.create(name="کارکنان")
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "bad.csv",
        (
            "university,role,gender,degree_level,count\n"
            f"{TEHRAN},staff,female,,10\n"
            "دانشگاه ناموجود,staff,female,,10\n"
            f"{TEHRAN},staff,female,,-3\n"
        ).encode(),
    )
    response = client.post(
        reverse("hadaf_frames:frame", args=[frame.pk]), {"reference_year": "1404", "file": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "هیچ چیز وارد نشد" in html
    assert "ردیف ۳: «دانشگاه ناموجود» در فهرست دانشگاه‌ها نیست." in html
    assert "ردیف ۴:" in html and "منفی" in html
    assert not FrameVersion.objects.exists()


def test_a_reference_year_that_is_not_solar_hijri_is_refused(client, editor):
    frame = frame_with([f"{TEHRAN},staff,male,,10"])
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "f.csv", f"university,role,gender,degree_level,count\n{TEHRAN},staff,male,,11\n".encode()
    )
    response = client.post(
        reverse("hadaf_frames:frame", args=[frame.pk]), {"reference_year": "2025", "file": upload}
    )
    assert response.status_code == 200  # the form's own error, shown under the field
    assert "سالی هجری شمسی" in response.content.decode()
    assert frame.versions.count() == 1


# ---- The survey's measurement report ---------------------------------------------------------


def report_url(page):
    return reverse("hadaf_measurement:report", args=[page.pk])


def test_people_who_cannot_edit_the_survey_are_refused(client, survey):
    frame = frame_with([f"{TEHRAN},student,female,bachelor,100"])
    assert_refused(client.get(report_url(survey)))
    for person in (UserFactory(), staff_without_rights()):
        client.force_login(person)
        assert_refused(client.get(report_url(survey)))
        assert_refused(
            client.post(
                report_url(survey), {"frame": frame.pk, "dimensions": ["role"], "trim_cap": "5"}
            )
        )
    assert not SurveyMeasurement.objects.exists()


def test_the_editor_sets_the_frame_and_it_is_in_the_page_history(client, editor, survey):
    frame = frame_with([f"{TEHRAN},student,female,bachelor,100"])
    client.force_login(editor)
    first = client.get(report_url(survey))
    assert first.status_code == 200
    assert "چارچوب جمعیتی‌ای را که این نظرسنجی با آن سنجیده می‌شود برگزینید" in (
        first.content.decode()
    )
    response = client.post(
        report_url(survey),
        {"frame": frame.pk, "dimensions": ["university", "role"], "trim_cap": "۴٫۵"},
    )
    assert response.status_code == 302
    setting = SurveyMeasurement.objects.get(call_key=survey.call_key)
    assert (setting.frame, setting.dimension_list, setting.trim_cap) == (
        frame,
        ["university", "role"],
        4.5,
    )
    assert PageLogEntry.objects.filter(page=survey, action=services.SETTING_ACTION).exists()


@pytest.mark.parametrize("cap", ["1", "abc", "1000"])
def test_a_bad_cap_saves_nothing(client, editor, survey, cap):
    frame = frame_with([f"{TEHRAN},student,female,bachelor,100"])
    client.force_login(editor)
    response = client.post(
        report_url(survey), {"frame": frame.pk, "dimensions": ["role"], "trim_cap": cap}
    )
    assert response.status_code == 400
    assert "عددی از ۱٫۵ تا ۱۰۰ بنویسید" in response.content.decode()
    assert not SurveyMeasurement.objects.exists()


@pytest.fixture
def uneven_responses(make_response, survey):
    """8 students of Tehran (all answering the first choice), 6 of Shiraz (the second),
    2 faculty members of Tehran (the third), 1 response with no university."""
    for _ in range(8):
        make_response(survey, role="student", university=TEHRAN, freq=0)
    for _ in range(6):
        make_response(survey, role="student", university=SHIRAZ, freq=1)
    for _ in range(2):
        make_response(survey, role="faculty", university=TEHRAN, freq=2)
    make_response(survey, role="student", university="", freq=0)


FRAME_LINES = [
    f"{TEHRAN},student,female,bachelor,300",
    f"{TEHRAN},student,male,master,100",
    f"{TEHRAN},faculty,female,,60",
    f"{TEHRAN},faculty,male,,40",
    f"{SHIRAZ},student,female,bachelor,400",
    f"{SHIRAZ},student,male,doctorate,100",
]


def measure(survey, frame, dimensions, cap=10.0):
    SurveyMeasurement.objects.create(
        call_key=survey.call_key, frame=frame, dimensions=dimensions, trim_cap=cap
    )


def test_the_report_shows_strata_the_r_indicator_and_weighted_shares(
    client, editor, survey, uneven_responses
):
    frame = frame_with(FRAME_LINES)
    measure(survey, frame, ["university", "role"])
    client.force_login(editor)
    response = client.get(report_url(survey))
    assert response.status_code == 200
    report = response.context["report"]
    # Strata: Tehran faculty (100 people, 2 respondents), Tehran students (400, 8), Shiraz
    # students (500, 6); Shiraz faculty has nobody in the frame, the response without a
    # university is outside it.
    assert [(row.population, row.respondents) for row in report.strata] == [
        (100, None),  # 2 is below the threshold of 5: shown as "fewer than ۵"
        (400, 8),
        (500, 6),
    ]
    assert report.outside_frame == 1
    assert report.measure.respondents == 16
    html = response.content.decode()
    assert "کمتر از ۵" in html
    assert report.strata[0].response_rate is None and report.strata[0].thin
    assert 0 < report.measure.r_indicator < 1
    shown = re.search(r'<dd id="r-indicator">([^<]+)</dd>', html).group(1)
    assert "۰٫" in shown  # Persian digits and decimal separator
    shown_value = float(to_latin_digits(shown).replace("٫", "."))
    assert shown_value == pytest.approx(report.measure.r_indicator, abs=5e-4)
    # Weights: the margins are met, and the shares move towards the population.
    assert report.rake.converged and report.rake.max_margin_error < 0.1
    assert not report.refusal
    freq = report.questions[0]
    assert (freq.respondents, freq.weighted_respondents) == (17, 16)
    # Small groups are suppressed in weighted output too: the 2 faculty members' choice is
    # below the threshold, and the other two with it (they would give it back from 100%).
    assert all(row.hidden and row.weighted is None for row in freq.rows)
    assert all(row.unweighted is None and row.low is None for row in freq.rows)
    assert "وزن‌داده" in html


@pytest.fixture
def larger_responses(make_response, survey):
    """10 students of Tehran (first choice; Likert 3 or 5), 6 of Shiraz (second; Likert 2),
    5 faculty members of Tehran (third; Likert 5), 1 response with no university."""
    for index in range(10):
        make_response(survey, role="student", university=TEHRAN, freq=0, likert=3 + 2 * (index % 2))
    for _ in range(6):
        make_response(survey, role="student", university=SHIRAZ, freq=1, likert=2)
    for _ in range(5):
        make_response(survey, role="faculty", university=TEHRAN, freq=2, likert=5)
    make_response(survey, role="student", university="", freq=0, likert=3)


def test_the_report_gives_weighted_estimates_with_intervals_and_design_effects(
    client, editor, survey, larger_responses
):
    frame = frame_with(FRAME_LINES)
    measure(survey, frame, ["university", "role"])
    client.force_login(editor)
    response = client.get(report_url(survey))
    assert response.status_code == 200
    report = response.context["report"]
    freq = report.questions[0]
    assert (freq.respondents, freq.weighted_respondents) == (22, 21)
    assert [row.unweighted for row in freq.rows] == pytest.approx(
        [100 * 11 / 22, 100 * 6 / 22, 100 * 5 / 22]
    )
    assert [row.count for row in freq.rows] == [11, 6, 5]
    # Raked to role (student 900, faculty 100) and university (Tehran 500, Shiraz 500):
    # faculty are 10%, Shiraz students 50%, Tehran students 40%.
    assert [row.weighted for row in freq.rows] == pytest.approx([40.0, 50.0, 10.0], abs=0.01)
    for row in freq.rows:
        assert row.low <= row.weighted <= row.high
        assert row.unweighted_low <= row.unweighted <= row.unweighted_high
        # Each choice is exactly one stratum's (or a margin's) answer: the raking margins
        # explain it entirely, so its linearised variance is 0 and the Wilson interval falls
        # back on the weights' effective sample size, which is smaller than n.
        assert row.se == pytest.approx(0.0, abs=1e-9)
        assert row.deff is None
        assert row.effective_size == pytest.approx(freq.kish_effective_size)
        assert freq.kish_effective_size < 21
    likert = next(q for q in report.questions if q.type == "likert")
    # Means: Tehran students 4, Shiraz 2, faculty 5 → 0.4·4 + 0.5·2 + 0.1·5 = 3.1.
    assert likert.mean.weighted == pytest.approx(3.1, abs=1e-3)
    assert likert.mean.unweighted == pytest.approx((5 * 3 + 5 * 5 + 6 * 2 + 5 * 5 + 3) / 22)
    assert likert.mean.low < 3.1 < likert.mean.high
    assert likert.mean.deff > 0 and likert.mean.effective_size > 0
    # Points 2, 3 and 5 chosen by 6, 6 and 10: shown; weighted 50%, 20%, 20% + 10%.
    assert [row.hidden for row in likert.rows] == [False] * 5
    assert [row.count for row in likert.rows] == [0, 6, 6, 0, 10]
    assert [row.weighted for row in likert.rows] == pytest.approx([0, 50, 20, 0, 30], abs=0.01)
    number = next(q for q in report.questions if q.type == "number")
    assert number.rows == [] and number.mean.weighted == pytest.approx(12.0)
    html = response.content.decode()
    # Persian digits: the weighted share of the second choice and its interval.
    assert "۵۰٫۰٪" in html
    assert " تا " in html
    assert "ضریب طرح" in html


def test_weights_are_refused_when_a_margin_category_has_no_respondents(
    client, editor, survey, uneven_responses
):
    frame = frame_with([*FRAME_LINES, f"{SHIRAZ},staff,female,,50"])
    measure(survey, frame, ["role"])
    client.force_login(editor)
    response = client.get(report_url(survey))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.rake is None
    assert len(report.refusal) == 1
    html = response.content.decode()
    assert "وزن‌ها ساخته نشدند" in html
    assert "هیچ پاسخ‌دهنده‌ای در «کارمند» (نقش) نیست" in html
    # The staff stratum is called out as missing; the shares are shown unweighted only.
    assert [row.missing for row in report.strata] == [False, True, False]  # faculty, staff, student
    assert all(row.weighted is None for row in report.questions[0].rows)
    assert all(row.low is None and row.deff is None for row in report.questions[0].rows)


def test_the_report_button_is_on_the_survey_in_the_admin(client, editor, survey):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[survey.pk]))
    assert report_url(survey) in response.content.decode()


def test_choice_scale_and_number_questions_are_estimated(survey):
    frame = frame_with(FRAME_LINES)
    measure(survey, frame, ["role"])
    report = services.build_report(survey)
    types = {"single_choice", "multiple_choice", "likert", "rating", "number"}
    estimated = [q for q in read_questions(survey.questions).questions if q.type in types]
    assert [q.label for q in report.questions] == [q.label for q in estimated]
