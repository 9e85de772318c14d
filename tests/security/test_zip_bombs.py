"""Office files are zips: one that unpacks to far too much is refused before jurors get it.

The bombs are built here, in memory, a megabyte of zeros at a time (nothing large is
committed); each is a well-formed DOCX that the type check alone would accept.
"""

import io
import struct
import zipfile

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
    from tests.participation.ideas.conftest import draft_idea

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
    assert attachments.archive_too_large(io.BytesIO(bomb)) == "size"
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
