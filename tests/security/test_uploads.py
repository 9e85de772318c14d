"""Uploads the attachment suite (tests/participation/ideas/test_attachments.py) leaves out.

Item 10: polyglots (a file valid as two types) are either refused or served only as a
download, never rendered; bodies too big or with too many fields or files get a 400, not
a 500; editors' Wagtail documents and images refuse active types, and documents are
always attachments.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from participation.ideas import attachments
from participation.ideas.models import IdeaAttachment
from tests.participation.factories import Q, SurveyCampaignPageFactory
from tests.participation.ideas.conftest import (  # noqa: F401 - fixtures
    author,
    calls,
    idea_call,
    universities,
)
from tests.participation.ideas.test_attachments import (  # noqa: F401 - private_dir: fixture
    download,
    image_bytes,
    pdf_bytes,
    post_file,
    private_dir,
    zip_bytes,
)
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.domain)</script></body></html>"
POLYGLOTS = {
    # Starts as a PDF; a browser sniffing it would find HTML.
    "pdf-html": ("report.pdf", pdf_bytes() + HTML),
    # A JPEG whose comment segment holds a script, and whose tail is JavaScript.
    "jpeg-js": (
        "photo.jpg",
        image_bytes("JPEG")[:2]
        + b"\xff\xfe\x00\x12*/alert(1)/*"
        + image_bytes("JPEG")[2:]
        + b"*/alert(1)//",
    ),
    # GIFAR-style: an image with a zip (a JAR, a DOCX) appended.
    "png-zip": ("poster.png", image_bytes("PNG") + zip_bytes([("word/document.xml", "<w/>")])),
    "html-named-pdf-with-pdf-tail": ("x.pdf", HTML + pdf_bytes()),
}


@pytest.fixture
def idea(idea_call, author):  # noqa: F811 - imported fixtures
    from tests.participation.ideas.factories import draft_idea

    return draft_idea(idea_call, author)


@pytest.mark.parametrize("name, content", POLYGLOTS.values(), ids=POLYGLOTS.keys())
def test_polyglots_are_refused_or_only_ever_downloaded(client, idea, author, name, content):  # noqa: F811
    client.force_login(author)
    post_file(client, idea, name, content)
    stored = IdeaAttachment.objects.filter(idea=idea).first()
    if stored is None:
        return  # Refused.
    response, _body = download(client, idea, stored)
    assert response["Content-Type"] in attachments.TYPES_BY_MIME
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_body_over_the_memory_limit_is_a_400(home_page, settings):
    survey = SurveyCampaignPageFactory(parent=home_page, slug="big-body")
    client = Client()
    client.force_login(UserFactory(role="student"))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(survey.url, {f"q_{Q['major']}": "ب" * 20_000})
    assert response.status_code == 400


def test_too_many_fields_is_a_400(home_page, settings):
    survey = SurveyCampaignPageFactory(parent=home_page, slug="many-fields")
    client = Client()
    client.force_login(UserFactory(role="student"))
    fields = {f"f{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post(survey.url, fields).status_code == 400


def test_too_many_files_is_a_400(client, idea, author, settings):  # noqa: F811
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(author)
    files = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(4)]
    response = client.post(f"/ideas/{idea.uuid}/attachments/", {"file": files})
    assert response.status_code == 400
    assert not IdeaAttachment.objects.exists()


# ---- Editors' uploads (Wagtail documents and images) ------------------------------------


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", HTML),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("setup.exe", b"MZ" + b"\x00" * 100),
        ("../../etc/passwd.pdf.html", HTML),
    ],
    ids=["html", "svg", "exe", "dot-dot-html"],
)
def test_documents_of_active_types_are_refused(editor_client, home_page, name, content):
    response = editor_client.post(
        "/admin/documents/add/",
        {"title": "x", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 200  # The form again, with its error.
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("photo.png", HTML),
        ("../photo.png.html", image_bytes("PNG")),
    ],
    ids=["svg", "html-named-png", "dot-dot-html"],
)
def test_images_of_active_types_are_refused(editor_client, home_page, name, content):
    response = editor_client.post(
        "/admin/images/add/",
        {"title": "x", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("bylaw.pdf", pdf_bytes() + HTML, "application/pdf"),
        ("notes.txt", HTML, "text/plain"),
    ],
    ids=["pdf", "txt"],
)
def test_documents_are_served_as_attachments(home_page, name, content, content_type):
    from django.core.files.base import ContentFile

    document = get_document_model().objects.create(title="x", file=ContentFile(content, name))
    response = Client().get(document.url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == content
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")  # Wagtail's
    document.file.delete(save=False)


def test_the_document_file_name_cannot_climb_out_of_its_folder(home_page):
    from django.core.exceptions import SuspiciousFileOperation
    from django.core.files.base import ContentFile

    with pytest.raises(SuspiciousFileOperation):
        get_document_model().objects.create(
            title="x", file=ContentFile(b"%PDF-1.4", "../../outside.pdf")
        )
