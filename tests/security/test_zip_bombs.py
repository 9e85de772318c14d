"""Office files are zips: one that unpacks to far too much is refused before jurors get it.

The bombs are built here, in memory, a megabyte of zeros at a time (nothing large is
committed); each is a well-formed DOCX that the type check alone would accept.
"""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.utils import translation

from participation.ideas import attachments
from participation.ideas.models import IdeaAttachment
from participation.ideas.services import Refused
from tests.participation.ideas.conftest import (  # noqa: F401 - fixtures
    author,
    calls,
    idea_call,
    universities,
)
from tests.participation.ideas.test_attachments import (  # noqa: F401 - private_dir: fixture
    add,
    messages_of,
    ooxml_bytes,
    post_file,
    private_dir,
    stored_files,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
REFUSAL_FA = "این سند هنگام بازشدن بسیار بیش از آنچه"


@pytest.fixture
def idea(idea_call, author):  # noqa: F811 - imported fixtures
    from tests.participation.ideas.factories import draft_idea

    return draft_idea(idea_call, author)


def docx_with(extra_members=(), document_mb=0):
    """A valid DOCX, plus ``extra_members`` and a main part of ``document_mb`` MB of zeros."""
    buffer = io.BytesIO(ooxml_bytes("docx"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra_members:
            archive.writestr(name, data)
        if document_mb:
            with archive.open("word/media/padding.xml", "w", force_zip64=True) as member:
                zeros = bytes(MB)
                for _ in range(document_mb):
                    member.write(zeros)
    return buffer.getvalue()


def lie_about_sizes(content, declared=1000):
    """The zip with every member's declared unpacked size set to ``declared`` bytes."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            if struct.unpack_from("<I", data, start + offset)[0] != 0xFFFFFFFF:
                struct.pack_into("<I", data, start + offset, declared)
            start = data.find(signature, start + 4)
    return bytes(data)


def refusal_of(idea, idea_call, author, content):  # noqa: F811
    with translation.override("fa"), pytest.raises(Refused) as refused:
        add(idea, idea_call, author, "طرح.docx", content)
    return str(refused.value.message)


def test_a_docx_that_unpacks_to_200_mb_is_refused(idea, idea_call, author, private_dir):  # noqa: F811
    bomb = docx_with(document_mb=200)
    assert len(bomb) < 1 * MB  # small enough for any call's size limit
    assert attachments.detect_type(io.BytesIO(bomb)) == attachments.DOCX  # a "valid" DOCX
    assert REFUSAL_FA in refusal_of(idea, idea_call, author, bomb)
    assert not IdeaAttachment.objects.exists()
    assert stored_files(private_dir) == []


def test_declared_sizes_are_not_trusted(idea, idea_call, author, private_dir):  # noqa: F811
    bomb = lie_about_sizes(zipfile_of_zeros(160))
    assert sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < MB
    assert attachments.archive_too_large(io.BytesIO(bomb)) == "declared"
    assert REFUSAL_FA in refusal_of(idea, idea_call, author, bomb)
    assert not IdeaAttachment.objects.exists()


def zipfile_of_zeros(megabytes):
    buffer = io.BytesIO(ooxml_bytes("docx"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", bytes(megabytes * MB))
    return buffer.getvalue()


def test_a_high_ratio_below_the_size_limit_is_refused(idea, idea_call, author, private_dir):  # noqa: F811
    bomb = docx_with(document_mb=40)  # 40 MB from about 40 KB
    assert attachments.archive_too_large(io.BytesIO(bomb)) == "ratio"
    assert REFUSAL_FA in refusal_of(idea, idea_call, author, bomb)


def test_too_many_members_are_refused(idea, idea_call, author, private_dir):  # noqa: F811
    crowded = docx_with([(f"customXml/extra{n}.xml", "") for n in range(6000)])
    assert attachments.archive_too_large(io.BytesIO(crowded)) == "entries"
    assert REFUSAL_FA in refusal_of(idea, idea_call, author, crowded)


def test_ordinary_documents_pass(idea, idea_call, author, private_dir):  # noqa: F811
    # Five megabytes of text-like XML that packs about 4:1, as real documents do.
    text = ("<w:p><w:r><w:t>بند %d برنامهٔ فرهنگی دانشگاه</w:t></w:r></w:p>" * 50_000) % tuple(
        range(50_000)
    )
    ordinary = docx_with([("word/styles.xml", text)])
    assert attachments.archive_too_large(io.BytesIO(ordinary)) is None
    assert add(idea, idea_call, author, "طرح.docx", ordinary).content_type == attachments.DOCX.mime


def test_the_web_form_shows_the_translated_refusal(client, idea, author, private_dir):  # noqa: F811
    client.force_login(author)
    response = post_file(
        client, idea, "طرح.docx", docx_with(document_mb=200), HTTP_ACCEPT_LANGUAGE="fa"
    )
    assert any(REFUSAL_FA in message for message in messages_of(response))
    assert not IdeaAttachment.objects.exists()


# Refused from the central directory, and nested zips (issue 16) ------------------------------

EMBEDDED = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"


def with_member(document, name, data, method=zipfile.ZIP_STORED):
    """``document`` with one more member (stored by default: a zip does not pack further)."""
    buffer = io.BytesIO(document)
    with zipfile.ZipFile(buffer, "a", method) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def count_inflaters(monkeypatch):
    """How many members ``attachments`` starts inflating (any peek or count)."""
    started = []
    real = zlib.decompressobj

    def counting(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(attachments.zlib, "decompressobj", counting)
    return started


def test_a_bomb_that_declares_its_size_is_refused_without_inflating_anything(count_inflaters):
    """Found by an attacker: the 200 MB DOCX was inflated up to the limit before refusal."""
    bomb = docx_with(document_mb=200)
    started = time.process_time()
    assert attachments.archive_too_large(io.BytesIO(bomb)) == "size"
    assert time.process_time() - started < 0.05  # was about 0.25-0.5 s of inflating
    assert count_inflaters == []
    assert attachments.archive_too_large(io.BytesIO(docx_with(document_mb=40))) == "ratio"
    assert count_inflaters == []


def test_too_many_entries_are_refused_from_the_end_record_alone(monkeypatch):
    crowded = docx_with([(f"customXml/extra{n}.xml", "") for n in range(6000)])

    def no_central_directory(*args, **kwargs):
        raise AssertionError("the central directory was read")

    monkeypatch.setattr(attachments.zipfile, "ZipFile", no_central_directory)
    assert attachments.archive_too_large(io.BytesIO(crowded)) == "entries"


def test_a_lying_member_is_caught_one_byte_past_what_it_declared():
    bomb = lie_about_sizes(zipfile_of_zeros(160))
    started = time.process_time()
    assert attachments.archive_too_large(io.BytesIO(bomb)) == "declared"
    assert time.process_time() - started < 0.05  # was about 0.2 s (inflated to 150 MB)


@pytest.mark.parametrize(
    ("inner", "reason"),
    [
        (lambda: docx_with(document_mb=200), "size"),  # declares 200 MB inside the workbook
        (lambda: lie_about_sizes(zipfile_of_zeros(160)), "declared"),  # lies inside it
        (lambda: with_member(docx_with(), "xl/embeddings/inner.zip", docx_with()), "nested"),
    ],
    ids=["declared-bomb", "lying-bomb", "zip-in-zip-in-docx"],
)
def test_a_zip_inside_the_document_is_checked_too(
    idea,
    idea_call,  # noqa: F811
    author,  # noqa: F811
    private_dir,  # noqa: F811
    inner,
    reason,
):
    """Found by an attacker: a bomb inside a DOCX's embedded workbook was accepted."""
    document = with_member(docx_with(), EMBEDDED, inner())
    assert len(document) < MB
    assert attachments.detect_type(io.BytesIO(document)) == attachments.DOCX
    assert attachments.archive_too_large(io.BytesIO(document)) == reason
    assert REFUSAL_FA in refusal_of(idea, idea_call, author, document)
    assert not IdeaAttachment.objects.exists()
    assert stored_files(private_dir) == []


def test_many_nested_zips_count_together():
    inner = docx_with(document_mb=14)  # each within every limit alone
    document = docx_with()
    for number in range(12):
        document = with_member(document, f"word/embeddings/sheet{number}.xlsx", inner)
    assert attachments.archive_too_large(io.BytesIO(document)) in ("size", "ratio")


def test_a_zip_hidden_behind_other_bytes_in_a_member_is_refused():
    hidden = b"\x89PNG\r\n\x1a\n" + bytes(200) + docx_with()
    document = with_member(docx_with(), "word/media/image1.png", hidden, zipfile.ZIP_DEFLATED)
    assert attachments.archive_too_large(io.BytesIO(document)) == "nested"


def test_members_sharing_their_packed_bytes_are_refused():
    """The overlapping-files bomb: many central directory entries, one compressed kernel."""
    document = docx_with([("word/media/a.bin", bytes(MB)), ("word/media/b.bin", bytes(MB))])
    data = bytearray(document)
    archive = zipfile.ZipFile(io.BytesIO(document))
    first = archive.getinfo("word/media/a.bin").header_offset
    entry = data.rfind(b"word/media/b.bin") - 46  # its central directory entry
    assert data[entry : entry + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, entry + 42, first)
    assert attachments.archive_too_large(io.BytesIO(bytes(data))) == "overlap"


def test_a_member_packed_another_way_is_refused_as_a_type(idea, idea_call, author, private_dir):  # noqa: F811
    """Python's zipfile (an indexer) inflates bzip2 too; it was counted "broken" and let in."""
    document = with_member(docx_with(), "word/media/zeros.bin", bytes(MB), zipfile.ZIP_BZIP2)
    assert attachments.detect_type(io.BytesIO(document)) == attachments.DOCX
    assert attachments.archive_too_large(io.BytesIO(document)) == "broken"
    with translation.override("fa"), pytest.raises(Refused) as refused:
        add(idea, idea_call, author, "طرح.docx", document)
    assert str(refused.value.message) == str(attachments.TYPE_REFUSED)
    assert not IdeaAttachment.objects.exists()


def test_a_document_with_an_embedded_workbook_passes(idea, idea_call, author, private_dir):  # noqa: F811
    workbook = ooxml_bytes("xlsx")
    document = with_member(docx_with(), EMBEDDED, workbook, zipfile.ZIP_DEFLATED)
    assert attachments.archive_too_large(io.BytesIO(document)) is None
    assert add(idea, idea_call, author, "طرح.docx", document).content_type == attachments.DOCX.mime
