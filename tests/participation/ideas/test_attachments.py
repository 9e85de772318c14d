"""Attachments of submissions: accepted types, limits, names, private storage and downloads.

Every test stores into a private storage under ``tmp_path`` (the model field's storage is
swapped), so "nothing stored" is checked on a directory of its own.
"""

import datetime
import hashlib
import io
import logging
import struct
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from pages.models import IdeaCallPage
from participation.eligibility import check_eligibility
from participation.ideas import attachments, services
from participation.ideas.attachment_views import ascii_fallback
from participation.ideas.choices import AssignmentStatus, CoAuthorStatus
from participation.ideas.models import IdeaAttachment, JuryMember, ReviewAssignment
from participation.ideas.templatetags.ideas_attachments import file_size
from tests.people.factories import UserFactory

from .factories import draft_idea

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# Sample files, built from scratch -----------------------------------------------------------


def pdf_bytes(padding=0):
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n"
    )
    return body + b"%" * max(padding - len(body) - 6, 0) + b"%%EOF\n"


def pdf_of_size(size):
    content = pdf_bytes(size)
    assert len(content) == size
    return content


def image_bytes(format_):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format_)
    return buffer.getvalue()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


OOXML_MAIN = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def ooxml_bytes(kind, content_types_first=True):
    part, main_type = OOXML_MAIN[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{main_type}"/></Types>'
    )
    members = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", "<Relationships/>"),
        ("docProps/app.xml", "<Properties/>"),
        ("docProps/core.xml", "<coreProperties/>"),
        ("customXml/item1.xml", "<item/>"),
        (part, "<document/>"),
    ]
    if not content_types_first:  # an order filetype's first-entries guess does not know
        members = members[2:] + members[:2]
    return zip_bytes(members)


def odf_bytes(mime):
    return zip_bytes([("mimetype", mime), ("content.xml", "<office:document-content/>")])


def ole2_bytes(stream_name):
    """A minimal OLE2 compound file (legacy Office's container) with one root stream."""
    free, end, fat_sector, no_entry = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    # FAT sectors, first directory sector, mini stream cutoff, mini FAT, DIFAT.
    struct.pack_into("<II", header, 0x2C, 1, 1)
    struct.pack_into("<IIIII", header, 0x38, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    # Sector 0 is the FAT, 1 the directory, 2-9 the stream.
    fat = [fat_sector, end, *range(3, 10), end] + [free] * 118
    directory = bytearray(512)

    def entry(index, name, kind, child=no_entry, start=0, size=0):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", directory, offset + 0x44, no_entry, no_entry, child)
        struct.pack_into("<IQ", directory, offset + 0x74, start, size)

    entry(0, "Root Entry", 5, child=1, start=end)
    entry(1, stream_name, 2, start=2, size=4096)
    stream = b"\xec\xa5\xc1\x00" + b"\x00" * 4092
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory) + stream


ACCEPTED = [
    ("pdf", pdf_bytes(), "application/pdf"),
    ("png", image_bytes("PNG"), "image/png"),
    ("jpg", image_bytes("JPEG"), "image/jpeg"),
    ("webp", image_bytes("WEBP"), "image/webp"),
    ("docx", ooxml_bytes("docx"), attachments.DOCX.mime),
    ("docx", ooxml_bytes("docx", content_types_first=False), attachments.DOCX.mime),
    ("xlsx", ooxml_bytes("xlsx"), attachments.XLSX.mime),
    ("pptx", ooxml_bytes("pptx"), attachments.PPTX.mime),
    ("odt", odf_bytes(attachments.ODT.mime), attachments.ODT.mime),
    ("ods", odf_bytes(attachments.ODS.mime), attachments.ODS.mime),
    ("odp", odf_bytes(attachments.ODP.mime), attachments.ODP.mime),
    ("doc", ole2_bytes("WordDocument"), "application/msword"),
    ("xls", ole2_bytes("Workbook"), "application/vnd.ms-excel"),
    ("ppt", ole2_bytes("PowerPoint Document"), "application/vnd.ms-powerpoint"),
]

BAD_FILES = {
    "html renamed .pdf": ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "plain zip renamed .docx": ("plan.docx", zip_bytes([("readme.txt", "hello")])),
    # filetype alone calls this a DOCX (its first entry is under word/).
    "zip with a word/ entry": ("plan.docx", zip_bytes([("word/evil.html", "<script/>")])),
    "exe renamed .pdf": ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200 + b"This program"),
    "OLE2 that is no office file": ("setup.doc", ole2_bytes("\u4840\u45f2\u4628")),
    "gif": ("anim.gif", image_bytes("GIF")),
    "plain text": ("notes.txt", "یادداشت".encode()),
}


# Fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch, settings):
    """A private storage of the test's own; MEDIA_ROOT elsewhere under tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    location = tmp_path / "private"
    field = IdeaAttachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location))
    return location


def stored_files(directory):
    return sorted(path for path in Path(directory).rglob("*") if path.is_file())


def upload_file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_file(client, idea, name, content, content_type="application/pdf", **extra):
    url = reverse("ideas:upload", args=[idea.uuid])
    return client.post(url, {"file": upload_file(name, content, content_type)}, **extra)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def security_warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "hadaf.security" and record.levelno >= logging.WARNING
    ]


@pytest.fixture
def idea(idea_call, author):
    return draft_idea(idea_call, author)


def add(idea, page, user, name, content):
    return attachments.add_attachment(idea, page, user, upload_file(name, content))


def juror_of(idea, page, *, status=AssignmentStatus.ASSIGNED):
    juror = UserFactory()
    JuryMember.objects.create(call_key=page.call_key, person=juror)
    ReviewAssignment.objects.create(idea=idea, reviewer=juror, status=status)
    return juror


# Accepted and refused types ------------------------------------------------------------------


@pytest.mark.parametrize(
    "extension, content, mime", ACCEPTED, ids=[f"{a[0]}-{n}" for n, a in enumerate(ACCEPTED)]
)
def test_accepted_files_are_stored_privately_with_the_detected_type(
    idea_call, author, idea, private_dir, extension, content, mime
):
    # The name says .bin: the type and the extension come from the bytes.
    attachment = add(idea, idea_call, author, "پیوست طرح.bin", content)
    attachment.refresh_from_db()
    assert attachment.content_type == mime
    assert attachment.original_name == f"پیوست طرح.{extension}"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == author
    [path] = stored_files(private_dir)
    assert path.read_bytes() == content
    # On disk the name is random, without the author's name or an extension.
    assert "پیوست" not in str(path) and "." not in path.name


def test_filetype_alone_would_be_fooled_by_a_zip_with_a_word_entry():
    """Why the containers are checked by structure: filetype looks at entry names only."""
    import filetype

    _name, content = BAD_FILES["zip with a word/ entry"]
    assert filetype.guess(content).extension == "docx"
    assert attachments.detect_type(io.BytesIO(content)) is None


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_refused_logged_and_nothing_is_stored(
    client, idea_call, author, idea, private_dir, caplog, case
):
    name, content = BAD_FILES[case]
    client.force_login(author)
    with caplog.at_level(logging.INFO, logger="hadaf.security"):
        response = post_file(client, idea, name, content)
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:edit", args=[idea.uuid]) + "#attachments"
    assert messages_of(response) == [str(attachments.TYPE_REFUSED)]
    assert not IdeaAttachment.objects.exists()
    assert stored_files(private_dir) == []
    [warning] = security_warnings(caplog)
    assert f"user={author.pk}" in warning and str(idea.uuid) in warning


def test_an_empty_file_is_refused(client, idea_call, author, idea, private_dir):
    client.force_login(author)
    response = post_file(client, idea, "empty.pdf", b"")
    assert messages_of(response) == [str(attachments.EMPTY_FILE)]
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_the_size_limit_is_the_pages_and_counted_on_the_bytes(
    client, idea_call, author, idea, private_dir, caplog
):
    IdeaCallPage.objects.filter(pk=idea_call.pk).update(max_attachment_mb=1)
    idea_call.refresh_from_db()
    client.force_login(author)

    with caplog.at_level(logging.INFO, logger="hadaf.security"):
        response = post_file(client, idea, "big.pdf", pdf_of_size(MB + 1))
    assert messages_of(response) == [str(attachments.too_large_message(idea_call))]
    # Stopped while the request was read, before any temporary file was complete.
    assert "while receiving" in caplog.text
    assert "۱" in messages_of(response)[0]  # the limit in Persian digits
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []

    response = post_file(client, idea, "exact.pdf", pdf_of_size(MB))
    assert IdeaAttachment.objects.get().size == MB
    assert len(stored_files(private_dir)) == 1


def test_the_service_ignores_the_declared_size(idea_call, author, idea, private_dir):
    idea_call.max_attachment_mb = 1
    lying = upload_file("big.pdf", pdf_of_size(MB + 1))
    lying.size = 10  # what a client may claim
    with pytest.raises(services.Refused) as refusal:
        attachments.add_attachment(idea, idea_call, author, lying)
    assert str(refusal.value.message) == str(attachments.too_large_message(idea_call))
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_one_file_too_many_is_refused(client, idea_call, author, idea, private_dir):
    IdeaCallPage.objects.filter(pk=idea_call.pk).update(max_attachments=2)
    idea_call.refresh_from_db()
    client.force_login(author)
    for number in range(2):
        post_file(client, idea, f"part {number}.pdf", pdf_bytes())
    response = post_file(client, idea, "one more.pdf", pdf_bytes())
    assert messages_of(response)[-1] == str(attachments.too_many_message(idea_call))
    assert IdeaAttachment.objects.count() == 2 and len(stored_files(private_dir)) == 2


def test_a_failing_insert_leaves_no_file_behind(idea_call, author, idea, private_dir, monkeypatch):
    def broken_save(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(IdeaAttachment, "save", broken_save)
    with pytest.raises(IntegrityError):
        add(idea, idea_call, author, "x.pdf", pdf_bytes())
    assert stored_files(private_dir) == []


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_exceed_the_count(idea_call, author, private_dir, monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is not shared between threads.")
    idea_call.max_attachments = 2
    idea = draft_idea(idea_call, author)
    add(idea, idea_call, author, "first.pdf", pdf_bytes())
    counted = attachments._count_attachments

    def slow_count(locked_idea):
        # Widen the gap between counting and inserting, where a race would slip through.
        number = counted(locked_idea)
        time.sleep(0.3)
        return number

    monkeypatch.setattr(attachments, "_count_attachments", slow_count)
    start, results = threading.Barrier(2), []

    def upload(number):
        try:
            start.wait()
            add(idea, idea_call, author, f"race {number}.pdf", pdf_bytes())
            results.append("stored")
        except services.Refused:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["refused", "stored"]
    assert IdeaAttachment.objects.filter(idea=idea).count() == 2
    assert len(stored_files(private_dir)) == 2


# Names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("\u202efdp.exe", "fdp.pdf"),  # shown as "exe.pdf" reversed without the strip
        ("invoice\u202egnp.pdf", "invoicegnp.pdf"),
        ("\u2067نام\u2069 \u200fفایل\u200e.pdf", "نام فایل.pdf"),
        ("a\x00b\r\n\tc.pdf", "abc.pdf"),
        ("report...v2..pdf", "report.v2.pdf"),
        ("..", "attachment.pdf"),
        ("", "attachment.pdf"),
        ("\u202e", "attachment.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("version 1.2", "version 1.2.pdf"),
        ("Cafe\u0301.PDF", "Café.pdf"),  # NFD from a Mac becomes NFC
        ("گزارش\u200cنهایی طرح.pdf", "گزارش\u200cنهایی طرح.pdf"),  # ZWNJ survives
        ("\ufeffbom.pdf", "bom.pdf"),
    ],
)
def test_file_names_are_made_safe(sent, kept):
    with translation.override("en"):
        assert attachments.safe_filename(sent, "pdf") == kept


def test_long_names_are_cut_but_keep_their_extension():
    name = attachments.safe_filename("ب" * 500 + ".docx", "docx")
    assert len(name) == attachments.MAX_NAME_LENGTH and name.endswith("ب.docx")


def test_a_persian_name_with_zwnj_is_kept_through_upload(idea_call, author, idea):
    attachment = add(idea, idea_call, author, "طرح\u200cهای فرهنگی.pdf", pdf_bytes())
    assert attachment.original_name == "طرح\u200cهای فرهنگی.pdf"


def test_path_tricks_are_logged(idea_call, author, idea, caplog):
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        attachment = add(idea, idea_call, author, "..\\..\\\u202efdp.exe", pdf_bytes())
    assert attachment.original_name == "fdp.pdf"
    [warning] = security_warnings(caplog)
    assert "path" in warning and "bidi" in warning and str(idea.uuid) in warning


# Who may upload, and when -------------------------------------------------------------------


def test_upload_after_the_deadline_is_refused(client, idea_call, author, idea, private_dir):
    closed = timezone.now() - datetime.timedelta(minutes=1)
    IdeaCallPage.objects.filter(pk=idea_call.pk).update(closes_at=closed)
    client.force_login(author)
    response = post_file(client, idea, "late.pdf", pdf_bytes())
    idea_call.refresh_from_db()
    assert messages_of(response) == [str(check_eligibility(author, idea_call).reason)]
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_a_non_author_cannot_upload(client, idea_call, author, idea, private_dir, caplog):
    stranger = UserFactory()
    client.force_login(stranger)
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        response = post_file(client, idea, "x.pdf", pdf_bytes())
    assert response.status_code == 404
    assert any(str(idea.uuid) in message for message in security_warnings(caplog))
    with pytest.raises(services.Refused):
        add(idea, idea_call, stranger, "x.pdf", pdf_bytes())
    # Invited but not (yet) accepted is not an author either.
    invited = services.invite_coauthor(idea, idea_call, author, stranger.email)
    assert invited.status == CoAuthorStatus.INVITED
    with pytest.raises(services.Refused):
        add(idea, idea_call, stranger, "x.pdf", pdf_bytes())
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_a_submitted_idea_takes_no_more_files(idea_call, author, idea, private_dir):
    services.submit_idea(idea, idea_call, author)
    idea.refresh_from_db()
    with pytest.raises(services.Refused):
        add(idea, idea_call, author, "x.pdf", pdf_bytes())
    assert stored_files(private_dir) == []


def test_anonymous_upload_is_sent_to_sign_in(client, idea, private_dir):
    response = post_file(client, idea, "x.pdf", pdf_bytes())
    assert response.status_code == 302 and "next=" in response["Location"]
    assert stored_files(private_dir) == []


def test_upload_checks_the_csrf_token(idea_call, author, idea, private_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = post_file(client, idea, "x.pdf", pdf_bytes())
    assert response.status_code == 403
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_upload_answers_json_to_a_script(client, idea_call, author, idea):
    client.force_login(author)
    response = post_file(
        client, idea, "طرح.pdf", pdf_bytes(), headers={"Accept": "application/json"}
    )
    assert response.status_code == 201
    attachment = IdeaAttachment.objects.get()
    data = response.json()
    assert data["ok"] is True and "طرح.pdf" in data["message"]
    assert data["attachment"] == {
        "id": attachment.pk,
        "name": "طرح.pdf",
        "size": len(pdf_bytes()),
        "url": reverse("ideas:attachment", args=[idea.uuid, attachment.pk]),
    }
    refused = post_file(
        client, idea, "x.pdf", b"<html></html>", headers={"Accept": "application/json"}
    )
    assert refused.status_code == 400
    assert refused.json()["ok"] is False and refused.json()["message"]
    assert list(get_messages(refused.wsgi_request)) == []


def test_upload_is_post_only(client, author, idea):
    client.force_login(author)
    assert client.get(reverse("ideas:upload", args=[idea.uuid])).status_code == 405


# Downloads ------------------------------------------------------------------------------------


def download(client, idea, attachment):
    response = client.get(reverse("ideas:attachment", args=[idea.uuid, attachment.pk]))
    # Reading the stream to its end closes the file (the test client closes the response).
    content = b"".join(response.streaming_content) if response.status_code == 200 else None
    return response, content


def assert_safe_download(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def persian_disposition(name, fallback):
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def test_authors_jurors_and_editors_download(client, idea_call, author, editor, idea):
    content = image_bytes("PNG")
    attachment = add(idea, idea_call, author, "پوستر مریم احمدی.png", content)
    services.submit_idea(idea, idea_call, author)
    juror = juror_of(idea, idea_call)

    client.force_login(author)
    response, body = download(client, idea, attachment)
    assert_safe_download(response, "image/png")
    assert body == content
    assert response["Content-Disposition"] == persian_disposition(
        "پوستر مریم احمدی.png", "attachment.png"
    )

    client.force_login(editor)
    response, body = download(client, idea, attachment)
    assert_safe_download(response, "image/png")
    assert body == content and "filename*=UTF-8''" in response["Content-Disposition"]

    # Blind review (the default): the juror does not learn the author from the file name.
    client.force_login(juror)
    response, body = download(client, idea, attachment)
    assert_safe_download(response, "image/png")
    assert body == content
    assert response["Content-Disposition"] == 'attachment; filename="attachment-1.png"'


def test_jurors_see_real_names_without_blind_review(client, idea_call, author, idea):
    IdeaCallPage.objects.filter(pk=idea_call.pk).update(blind_review=False)
    attachment = add(idea, idea_call, author, "Plan.pdf", pdf_bytes())
    juror = juror_of(idea, idea_call)
    client.force_login(juror)
    response, _body = download(client, idea, attachment)
    assert response["Content-Disposition"] == 'attachment; filename="Plan.pdf"'


def test_others_get_a_logged_404(client, idea_call, author, idea, universities, caplog):
    attachment = add(idea, idea_call, author, "x.pdf", pdf_bytes())
    other_idea = draft_idea(idea_call, UserFactory(university=universities[1]))
    recused = juror_of(idea, idea_call, status=AssignmentStatus.RECUSED)
    unassigned = UserFactory()
    JuryMember.objects.create(call_key=idea_call.call_key, person=unassigned)
    for user in (UserFactory(), recused, unassigned, None):
        client.logout()
        if user:
            client.force_login(user)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hadaf.security"):
            response, _body = download(client, idea, attachment)
        assert response.status_code == 404
        assert any(str(idea.uuid) in message for message in security_warnings(caplog))

    # An author of the other idea changes the idea's id in the URL: still not theirs.
    client.force_login(other_idea.created_by)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        response, _body = download(client, other_idea, attachment)
    assert response.status_code == 404 and security_warnings(caplog)
    # And the author of both ids' idea cannot mix them either.
    client.force_login(author)
    mine_elsewhere = draft_idea(idea_call, author, title="دومی")
    response, _body = download(client, mine_elsewhere, attachment)
    assert response.status_code == 404


def test_files_are_not_under_media(client, idea_call, author, idea, private_dir):
    attachment = add(idea, idea_call, author, "x.pdf", pdf_bytes())
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(private_dir)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    # The configured private storage (not only this test's) is outside MEDIA_ROOT too.
    configured = Path(storages["private"].location).resolve()
    assert not configured.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    client.force_login(author)
    response = client.get(settings.MEDIA_URL + attachment.file.name, follow=True)
    assert response.status_code == 404


def test_ascii_fallback_names():
    assert ascii_fallback("Résumé 2024.pdf") == "Resume 2024.pdf"
    assert ascii_fallback("گزارش.pdf") == "attachment.pdf"


# Deleting -------------------------------------------------------------------------------------


def test_an_author_deletes_a_file_of_a_draft(
    client, idea_call, author, idea, private_dir, django_capture_on_commit_callbacks
):
    attachment = add(idea, idea_call, author, "x.pdf", pdf_bytes())
    url = reverse("ideas:delete_attachment", args=[idea.uuid, attachment.pk])
    client.force_login(author)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not IdeaAttachment.objects.exists() and stored_files(private_dir) == []


def test_deleting_is_for_authors_of_drafts(client, idea_call, author, idea, private_dir, caplog):
    attachment = add(idea, idea_call, author, "x.pdf", pdf_bytes())
    url = reverse("ideas:delete_attachment", args=[idea.uuid, attachment.pk])
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="hadaf.security"):
        assert client.post(url).status_code == 404
    assert security_warnings(caplog)
    services.submit_idea(idea, idea_call, author)
    client.force_login(author)
    response = client.post(url)
    assert messages_of(response) == [str(attachments.NOT_A_DRAFT)]
    assert IdeaAttachment.objects.count() == 1 and len(stored_files(private_dir)) == 1


# The partial ----------------------------------------------------------------------------------


def test_the_editor_lists_files_with_sizes_and_forms(client, idea_call, author, idea):
    add(idea, idea_call, author, "طرح.pdf", pdf_of_size(2 * MB + MB // 2))
    client.force_login(author)
    html = client.get(reverse("ideas:edit", args=[idea.uuid])).content.decode()
    assert "طرح.pdf" in html and "۲٫۵" in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert ".pdf" in html and "application/pdf" in html  # the accept attribute
    attachment = IdeaAttachment.objects.get()
    assert reverse("ideas:delete_attachment", args=[idea.uuid, attachment.pk]) in html
    assert f'action="{reverse("ideas:upload", args=[idea.uuid])}"' in html


def test_the_detail_page_has_no_forms(client, idea_call, author, editor, idea):
    attachment = add(idea, idea_call, author, "طرح.pdf", pdf_bytes())
    services.submit_idea(idea, idea_call, author)
    client.force_login(editor)
    html = client.get(reverse("ideas:detail", args=[idea.uuid])).content.decode()
    assert reverse("ideas:attachment", args=[idea.uuid, attachment.pk]) in html
    assert "طرح.pdf" in html
    assert f'action="{reverse("ideas:upload", args=[idea.uuid])}"' not in html
    assert reverse("ideas:delete_attachment", args=[idea.uuid, attachment.pk]) not in html


@pytest.mark.parametrize(
    "size, shown",
    [(300, "۰٫۳"), (850 * 1024, "۸۵۰"), (int(2.5 * MB), "۲٫۵"), (12 * MB, "۱۲"), (MB, "۱")],
)
def test_sizes_read_in_persian(size, shown):
    assert file_size(size).split()[0] == shown


def test_deleting_a_submission_removes_its_files_after_commit(
    idea_call, author, private_dir, django_capture_on_commit_callbacks
):
    from participation.ideas.attachments import add_attachment

    idea = draft_idea(idea_call, author)
    add_attachment(idea, idea_call, author, upload_file("plan.pdf", pdf_bytes()))
    assert len(stored_files(private_dir)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        idea.delete()
    assert stored_files(private_dir) == []
