"""Download my data: what the zip holds, who may download it, and for how long."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participation.choices import AnonymityMode
from participation.drafts import services as drafts
from participation.drafts.choices import ReportReason, Vote
from participation.ideas.attachments import add_attachment
from participation.privacy import services
from participation.privacy.models import DataExport, ExportStatus
from tests.participation.drafts.factories import comment_on
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.factories import draft_idea

from .conftest import answer_survey

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ask_for_export(client, user):
    client.force_login(user)
    with_commit = client.post(reverse("privacy:index"))
    assert with_commit.status_code == 302
    return DataExport.objects.filter(person=user).latest("created_at")


def link_in(message):
    return re.search(r"https?://\S+/privacy/export/[\w-]+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def zip_of(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def contributions(
    client, survey, draft, idea_call, person, other, django_capture_on_commit_callbacks
):
    """``person`` answered the survey, commented, voted, reported and wrote an idea with a file;
    ``other`` did the same kinds of things."""
    answer_survey(client, survey, person)
    answer_survey(client, survey, other, **{f"q_{_major()}": "رشتهٔ دیگری"})
    mine = comment_on(draft, person, body="متن نظر مریم")
    theirs = comment_on(draft, other, body="متن نظر رضا")
    drafts.cast_vote(draft, person, theirs, Vote.SUPPORT)
    drafts.report_comment(draft, person, theirs, ReportReason.choices[0][0])
    idea = draft_idea(idea_call, person, title="ایدهٔ مریم")
    add_attachment(idea, idea_call, person, SimpleUploadedFile("گزارش.pdf", PDF, "application/pdf"))
    draft_idea(idea_call, other, title="ایدهٔ رضا")
    client.logout()
    return {"comment": mine, "idea": idea}


def _major():
    from tests.participation.factories import Q

    return Q["major"]


def test_the_export_holds_the_persons_data_and_nothing_of_anyone_else(
    client, person, contributions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = ask_for_export(client, person)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert len(export.token_hash) == 64
    assert export.expires_at > timezone.now() + datetime.timedelta(days=6, hours=23)
    [message] = mail.outbox
    assert message.to == [person.email]
    url = link_in(message)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in export.token_hash  # only its hash is stored

    response = client.get(path_of(url))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zip_of(response)
    names = set(archive.namelist())
    expected = {
        "README.txt",
        "profile.json",
        "survey_responses.json",
        "anonymous_participation.json",
        "clause_comments.json",
        "comment_votes.json",
        "comment_reports.json",
        "ideas.json",
        "jury_reviews.json",
        "awards.json",
        "organization_memberships.json",
    }
    assert expected <= names
    attachment = next(name for name in names if name.startswith("ideas/"))
    assert archive.read(attachment) == PDF
    assert attachment.endswith("گزارش.pdf")

    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == "maryam.ahmadi@ut.ac.ir"
    assert profile["phone"] is None
    assert profile["first_name"] == "مریم"
    assert profile["university"] == "دانشگاه تهران"
    assert re.search(r"[۰-۹]{4}", profile["date_joined"]["jalali"])  # Jalali, Persian digits
    [response_data] = json.loads(archive.read("survey_responses.json"))
    assert len(response_data["answers"]) == 16
    assert any(answer["text"] == "جشنوارهٔ تئاتر" for answer in response_data["answers"])
    assert any(answer["question"] == "رشتهٔ تحصیلی شما چیست؟" for answer in response_data["answers"])
    [comment] = json.loads(archive.read("clause_comments.json"))
    assert comment["comment"] == "متن نظر مریم"
    [idea] = json.loads(archive.read("ideas.json"))
    assert idea["title"] == "ایدهٔ مریم"
    assert idea["attachments"][0]["file_in_this_zip"] == attachment
    assert len(json.loads(archive.read("comment_votes.json"))) == 1
    assert len(json.loads(archive.read("comment_reports.json"))) == 1

    readme = archive.read("README.txt").decode()
    assert "survey_responses.json" in readme
    assert "ideas.json" in readme

    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    # Persian stays readable (ensure_ascii=False) and nothing of the other person is there.
    assert "\\u0645" not in everything
    for theirs in ("reza.karimi", "رضا", "کریمی", "متن نظر رضا", "ایدهٔ رضا", "رشتهٔ دیگری"):
        assert theirs not in everything


def test_anonymous_verified_answers_are_not_in_the_export(
    client, calls, person, django_capture_on_commit_callbacks
):
    page = SurveyCampaignPageFactory(
        parent=calls, slug="anonymous", anonymity=AnonymityMode.ANONYMOUS_VERIFIED
    )
    answer_survey(client, page, person)
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_export(client, person)
    archive = zip_of(client.get(path_of(link_in(mail.outbox[0]))))
    assert json.loads(archive.read("survey_responses.json")) == []
    [receipt] = json.loads(archive.read("anonymous_participation.json"))
    assert receipt["call_key"] == str(page.call_key)
    assert receipt["call"] == page.title
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "جشنوارهٔ تئاتر" not in everything


@pytest.fixture
def ready_link(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = ask_for_export(client, person)
    export.refresh_from_db()
    return export, path_of(link_in(mail.outbox[-1]))


def test_the_link_works_only_for_its_owner(client, other, ready_link):
    export, path = ready_link
    client.logout()
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    client.force_login(other)
    response = client.get(path)
    assert response.status_code == 404
    assert response.context["expired"] is False
    assert response["Content-Type"].startswith("text/html")


def test_a_forged_link_gets_a_clear_page(client, person, ready_link):
    client.force_login(person)
    response = client.get(reverse("privacy:download", args=["not-a-real-token-" + "x" * 26]))
    assert response.status_code == 404
    assert response.context["expired"] is False
    assert b"privacy/" in response.content  # offers to ask again


def test_the_link_expires_after_seven_days(client, person, ready_link):
    export, path = ready_link
    assert client.get(path).status_code == 200
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert response.context["expired"] is True


def test_purge_deletes_expired_files_only(client, person, other, ready_link, private_dir):
    export, path = ready_link
    storage = export.file.storage
    expired_name = export.file.name
    fresh = DataExport.objects.create(
        person=other,
        status=ExportStatus.READY,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    fresh.file.save("export.zip", io.BytesIO(b"PK"), save=True)
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("purge_data_exports", stdout=io.StringIO())
    assert not storage.exists(expired_name)
    assert storage.exists(fresh.file.name)
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not export.file
    assert client.get(path).status_code == 404  # its link is gone with the file


def test_one_export_in_progress_and_a_few_a_day(client, person):
    client.force_login(person)
    client.post(reverse("privacy:index"))  # not run: no commit in this test's transaction
    assert DataExport.objects.filter(person=person, status=ExportStatus.PENDING).count() == 1
    with pytest.raises(services.ExportRefused):
        services.request_export(person)
    response = client.post(reverse("privacy:index"), follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert response.context["in_progress"]
    assert DataExport.objects.count() == 1
    DataExport.objects.update(status=ExportStatus.READY)
    for _ in range(services.EXPORTS_PER_DAY - 1):
        services.request_export(person)
        DataExport.objects.update(status=ExportStatus.READY)
    with pytest.raises(services.ExportRefused):
        services.request_export(person)
    assert DataExport.objects.count() == services.EXPORTS_PER_DAY


def test_asking_needs_a_signed_in_person_and_a_post(client, person):
    response = client.post(reverse("privacy:index"))
    assert response.status_code == 302
    assert DataExport.objects.count() == 0
    client.force_login(person)
    assert client.get(reverse("privacy:index")).status_code == 200
    assert DataExport.objects.count() == 0
