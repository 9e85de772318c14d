"""Files attached to submissions: which are accepted, how they are named, added and removed.

The rules, whatever the caller (the web form, later the API):

* **Type from the bytes.** A file is what its content is, never what its name or the
  browser says. PDF, JPEG, PNG and WebP are recognised by their magic bytes with the
  ``filetype`` package. Office files are containers, and ``filetype`` only guesses at
  them (OOXML by the names of the first zip entries, legacy Office by bytes at fixed
  offsets), so they are checked by structure: an OOXML zip must declare its main part
  in ``[Content_Types].xml``, an ODF zip must name its type in the ``mimetype`` member,
  and an OLE2 file (legacy Office) must have a ``WordDocument``, ``Workbook``/``Book`` or
  ``PowerPoint Document`` stream at its root. Anything else (an arbitrary zip, HTML,
  SVG, an executable, an MSI installer, which is OLE2 too) is refused.
* **Not accepted on purpose**: GIF (adds nothing a PNG does not for a submission, and is
  the classic carrier of polyglot files) and HEIC (jurors on most computers cannot open
  it; iPhones send JPEG to web forms unless the form asks for HEIC).
* **Limits per call**: ``page.max_attachments`` files per submission and
  ``page.max_attachment_mb`` MB per file, the size counted while the bytes are read.
* **Archives that unpack to too much** (a "zip bomb" dressed as a DOCX, a jurors' Word or
  an indexer would unpack) are refused: every zip-based file (OOXML, ODF), with the zips
  inside it (``ARCHIVE_MAX_DEPTH`` level), must stay within ``ARCHIVE_MAX_ENTRIES``
  members, ``ARCHIVE_MAX_BYTES`` unpacked and, above ``ARCHIVE_RATIO_FLOOR``,
  ``ARCHIVE_MAX_RATIO`` times its packed size. What the archive declares is judged
  first, from its central directory, before anything is inflated; then each member is
  inflated once as a count, stopping one byte past its declared size, so a member that
  lies about its size is caught at once (:func:`archive_too_large`). Zips that cannot be
  read, encrypted members and other compression methods are refused as a type.
* **Names**: the file on disk gets a random name (``models.attachment_path``); the
  name shown and used for downloads is :func:`safe_filename` of the author's name,
  with the extension of the detected type.
* Every refusal is logged to ``hadaf.security``: bad files and strangers as warnings,
  limits and closed calls as information.
"""

import hashlib
import io
import logging
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

import filetype
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from participation import bidi
from participation.persian import format_number

from . import access
from .choices import IdeaStatus
from .models import Idea, IdeaAttachment
from .services import Refused, check_can_write

security_log = logging.getLogger("hadaf.security")

TYPE_REFUSED = _(
    "This type of file is not accepted. Attach a PDF, an image (JPEG, PNG or WebP) "
    "or an office document (Word, Excel, PowerPoint or OpenDocument)."
)
EMPTY_FILE = _("The file is empty.")
ARCHIVE_TOO_LARGE = _(
    "This document unpacks to far more data than a document of its size should. "
    "Save it again from your office program, or attach it as a PDF."
)
NOT_A_DRAFT = _("Files can be added or removed only before submitting.")

MEGABYTE = 1024 * 1024
# filetype looks at no more than this; the containers are checked on the whole file.
HEAD_BYTES = 8192
MAX_NAME_LENGTH = 100  # characters, extension included (the model keeps 200)
# Zip-based documents: a long report with images is a few hundred members and tens of MB
# unpacked; XML packs about 10:1, very repetitive spreadsheets up to ~100:1. A zip bomb
# packs 1,000:1 and more. The ratio is only checked above the floor: small is harmless.
ARCHIVE_MAX_ENTRIES = 5000
ARCHIVE_MAX_BYTES = 150 * MEGABYTE
ARCHIVE_MAX_RATIO = 200
ARCHIVE_RATIO_FLOOR = 20 * MEGABYTE
# A zip inside the document (a chart's workbook in a DOCX, an embedded XLSX) is checked as
# well, one level deep; one inside that, or one larger than this, is refused.
ARCHIVE_MAX_DEPTH = 1
ARCHIVE_NESTED_MAX_BYTES = 20 * MEGABYTE
_UNPACK_CHUNK = 64 * 1024
_PEEK_CHUNK = 1024
_INFLATE_STEP = MEGABYTE  # output per call: memory stays small whatever a member expands to
_ZIP_END = b"PK\x05\x06"
_ZIP_HEADS = (b"PK\x03\x04", _ZIP_END, b"PK\x07\x08")
_END_SEARCH = 22 + 65535  # the end record and the longest comment it may have


@dataclass(frozen=True)
class FileType:
    """An accepted type: its media type and the extension downloads get."""

    mime: str
    extension: str


PDF = FileType("application/pdf", "pdf")
JPEG = FileType("image/jpeg", "jpg")
PNG = FileType("image/png", "png")
WEBP = FileType("image/webp", "webp")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp")
DOC = FileType("application/msword", "doc")
XLS = FileType("application/vnd.ms-excel", "xls")
PPT = FileType("application/vnd.ms-powerpoint", "ppt")

ACCEPTED_TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT)
TYPES_BY_MIME = {file_type.mime: file_type for file_type in ACCEPTED_TYPES}

# What filetype recognises reliably by itself (an animated PNG is still a PNG).
_SIMPLE_TYPES = {
    "application/pdf": PDF,
    "image/jpeg": JPEG,
    "image/png": PNG,
    "image/apng": PNG,
    "image/webp": WEBP,
}

# The <input type="file"> accept attribute: a hint for the file picker, not a check.
ACCEPT_ATTRIBUTE = ",".join(
    [f".{file_type.extension}" for file_type in ACCEPTED_TYPES]
    + [".jpeg"]
    + [file_type.mime for file_type in ACCEPTED_TYPES]
)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# OOXML: the content type of the package's main part says what the document is.
# Macro-enabled and template variants have other main types and are refused.
_OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF_TYPES = {ODT.mime: ODT, ODS.mime: ODS, ODP.mime: ODP}
# Legacy Office: the stream at the root of the OLE2 file that holds the document.
# Checked in this order: an Excel sheet embedded in a Word file is not at the root anyway.
_OLE_STREAMS = (
    ("WordDocument", DOC),
    ("PowerPoint Document", PPT),
    ("Workbook", XLS),
    ("Book", XLS),  # Excel 5/95
)

_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# What zipfile raises on broken, encrypted or hostile archives (a refusal, not an error).
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    zlib.error,
)
_OVERRIDE_TAG = re.compile(r"<(?:\w+:)?Override\b[^>]*>")
_XML_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


# Type detection ----------------------------------------------------------------------


def detect_type(file):
    """The accepted type of ``file``'s content, or None.

    Args:
        file: a seekable binary file (an ``UploadedFile`` or any Django ``File``).

    Returns:
        FileType | None: None for anything not accepted, including broken containers.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    try:
        if head.startswith(_ZIP_MAGIC):
            return _zip_type(file)
        if head.startswith(_OLE_MAGIC):
            return _ole_type(file)
    finally:
        file.seek(0)
    guess = filetype.guess(head)
    return _SIMPLE_TYPES.get(guess.mime) if guess else None


def describe_content(file):
    """What ``filetype`` makes of ``file`` (for the security log), or "unknown"."""
    file.seek(0)
    guess = filetype.guess(file.read(HEAD_BYTES))
    file.seek(0)
    return guess.mime if guess else "unknown"


def _zip_type(file):
    """DOCX/XLSX/PPTX or ODT/ODS/ODP from the package's own declaration, else None."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = _read_member(archive, "mimetype", 100).decode("ascii").strip()
                found = _ODF_TYPES.get(mimetype)
                return found if found and "content.xml" in names else None
            if "[Content_Types].xml" in names:
                declared = _read_member(archive, "[Content_Types].xml", _MAX_CONTENT_TYPES_BYTES)
                return _ooxml_type(declared.decode("utf-8", "replace"), names)
    except _BROKEN_ZIP:
        return None
    return None


def _read_member(archive, name, limit):
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} is too large")
    with archive.open(info) as member:
        return member.read(limit + 1)[:limit]


def _ooxml_type(content_types, names):
    for tag in _OVERRIDE_TAG.findall(content_types):
        attributes = {
            key.split(":")[-1]: double or single
            for key, double, single in _XML_ATTRIBUTE.findall(tag)
        }
        found = _OOXML_MAIN_TYPES.get(attributes.get("ContentType", ""))
        if found and attributes.get("PartName", "").lstrip("/") in names:
            return found
    return None


def archive_too_large(file):
    """Why a zip-based ``file`` unpacks to too much, or None (not a zip, or within limits).

    Reasons: "entries", "size", "ratio" (too many members, too many bytes, too many bytes
    for its packed size), "nested" (a zip inside a zip inside the document, a nested zip
    too large to check, or a zip hidden behind other bytes in a member), "overlap"
    (members sharing their packed bytes, the trick of the densest bombs), "declared" (a
    member inflates to more than it says) and "broken" (zipfile cannot read it, or a member
    is encrypted or packed otherwise than stored or deflated; refused as a type).

    Everything the archive declares is checked first, from its end record and central
    directory, without inflating anything: a bomb that says what it is costs next to no
    time. Only an archive whose declarations are within the limits has its members
    inflated (as a count, nothing kept but a nested zip's bytes), each stopping one byte
    past the size it declared: a liar is caught at once, and the work is bounded by the
    declared sizes the limits allow. A nested zip (a chart's workbook in a DOCX) is checked
    the same way, its members counted with the outer ones.
    """
    file.seek(0)
    if not file.read(len(_ZIP_MAGIC)).startswith(_ZIP_MAGIC):
        file.seek(0)
        return None
    packed = file.seek(0, 2)
    try:
        return _archive_problem(file, packed, depth=0, tally=_Tally())
    except _BROKEN_ZIP:
        return "broken"
    finally:
        file.seek(0)


@dataclass
class _Tally:
    """Members and declared bytes counted so far, over an archive and the zips inside it."""

    entries: int = 0
    declared: int = 0


def _archive_problem(file, packed, depth, tally):
    declared_entries = _declared_entry_count(file)
    if declared_entries is not None and tally.entries + declared_entries > ARCHIVE_MAX_ENTRIES:
        return "entries"  # before zipfile reads a central directory of that many entries
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
        tally.entries += len(members)
        if tally.entries > ARCHIVE_MAX_ENTRIES:
            return "entries"
        tally.declared += sum(info.file_size for info in members)
        if tally.declared > ARCHIVE_MAX_BYTES:
            return "size"
        if tally.declared > ARCHIVE_RATIO_FLOOR and tally.declared > ARCHIVE_MAX_RATIO * max(
            packed, 1
        ):
            return "ratio"
        if _overlapping(members):
            return "overlap"
        nested = []
        for info in members:
            if _packing_refused(info):
                raise ValueError("not a plain stored or deflated member")
            if _starts_like_zip(file, info):
                if depth >= ARCHIVE_MAX_DEPTH or info.file_size > ARCHIVE_NESTED_MAX_BYTES:
                    return "nested"
                nested.append(info)
        # Within every limit as declared: now check the declarations, inflating each member
        # no further than one byte past what it says.
        for info in members:
            inflated, content, tail = _inflate(file, info, keep=info in nested)
            if inflated > info.file_size:
                return "declared"
            if info not in nested and _ends_like_zip(tail):
                return "nested"  # a zip behind other bytes: no document embeds one so
            if info in nested:
                problem = _archive_problem(io.BytesIO(content), packed, depth + 1, tally)
                if problem:
                    return problem
    return None


def _declared_entry_count(file):
    """The member count the zip's end record declares (zip64 too), or None if unreadable."""
    size = file.seek(0, 2)
    file.seek(max(0, size - _END_SEARCH))
    tail = file.read()
    at = tail.rfind(_ZIP_END)
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        file.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
        record = file.read(40)
        if len(record) == 40 and record.startswith(b"PK\x06\x06"):
            count = struct.unpack_from("<Q", record, 32)[0]
    return count


def _ends_like_zip(tail):
    """Whether ``tail`` (a member's last bytes) ends with a zip's end record: its signature,
    then exactly as many bytes as the comment length it gives (chance matches in an image's
    bytes would need both)."""
    at = tail.rfind(_ZIP_END)
    while at >= 0:
        if (
            len(tail) - at >= 22
            and struct.unpack_from("<H", tail, at + 20)[0] == len(tail) - at - 22
        ):
            return True
        at = tail.rfind(_ZIP_END, 0, at)
    return False


def _overlapping(members):
    """Whether two members' packed bytes overlap (a central directory pointing many entries
    at one compressed kernel), judged from the central directory alone."""
    spans = sorted(
        (info.header_offset, info.header_offset + info.compress_size) for info in members
    )
    return any(end > next_start for (_start, end), (next_start, _end) in pairwise(spans))


def _packing_refused(info):
    """Encrypted, or packed otherwise than stored or deflated (office files use only these)."""
    return info.flag_bits & 0x1 or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    )


def _data_offset(file, info):
    """Where ``info``'s packed bytes start: after its local header, name and extra field."""
    file.seek(info.header_offset)
    header = file.read(30)
    if len(header) < 30 or not header.startswith(_ZIP_MAGIC):
        raise ValueError("bad local header")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    return info.header_offset + 30 + name_length + extra_length


def _starts_like_zip(file, info):
    """Whether a member's first bytes are a zip's, read by inflating only those bytes."""
    if info.file_size < len(_ZIP_MAGIC):
        return False
    file.seek(_data_offset(file, info))
    if info.compress_type == zipfile.ZIP_STORED:
        head = file.read(len(_ZIP_MAGIC))
    else:
        inflater, left, head = zlib.decompressobj(-zlib.MAX_WBITS), info.compress_size, b""
        while left > 0 and len(head) < len(_ZIP_MAGIC) and not inflater.eof:
            chunk = file.read(min(_PEEK_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            head += inflater.decompress(chunk, len(_ZIP_MAGIC) - len(head))
    return head[: len(_ZIP_MAGIC)] in _ZIP_HEADS


def _inflate(file, info, *, keep=False):
    """Inflate one member no further than one byte past its declared size.

    Returns:
        (size, content, tail): the bytes counted; the bytes themselves if ``keep``; the
        last bytes, where a zip's end record would be.
    """
    budget = info.file_size
    file.seek(_data_offset(file, info))
    kept, tail = [], b""
    if info.compress_type == zipfile.ZIP_STORED:
        size, left = 0, info.compress_size
        while left > 0 and size <= budget:
            chunk = file.read(min(_UNPACK_CHUNK, left, budget + 1 - size))
            if not chunk:
                break
            left -= len(chunk)
            size += len(chunk)
            tail = (tail + chunk)[-_END_SEARCH:]
            if keep:
                kept.append(chunk)
        return size, b"".join(kept), tail
    inflater, left, size = zlib.decompressobj(-zlib.MAX_WBITS), info.compress_size, 0
    while left > 0 and size <= budget and not inflater.eof:
        chunk = file.read(min(_UNPACK_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        while chunk and size <= budget:
            out = inflater.decompress(chunk, min(_INFLATE_STEP, budget + 1 - size))
            size += len(out)
            tail = (tail + out)[-_END_SEARCH:]
            if keep:
                kept.append(out)
            chunk = inflater.unconsumed_tail
    return size, b"".join(kept), tail


def _ole_type(file):
    """DOC, XLS or PPT by the streams at the root of the OLE2 file, else None."""
    try:
        names = _ole_root_names(file)
    except (ValueError, struct.error, OSError):
        return None
    for stream, found in _OLE_STREAMS:
        if stream in names:
            return found
    return None


_OLE_FREE = 0xFFFFFFFA  # sector numbers from here on mean "none", "end of chain" etc.
_OLE_NO_ENTRY = 0xFFFFFFFF
_OLE_MAX_SECTORS = 100_000  # loop guard for chains in broken or hostile files


def _ole_root_names(file):
    """Names of the storages and streams at the root of an OLE2 compound file.

    Reads the header, the FAT sectors the directory chain needs, and the directory;
    the red-black tree of the root's children is walked by its sibling links.
    """
    file.seek(0)
    header = file.read(512)
    if len(header) < 512 or not header.startswith(_OLE_MAGIC):
        raise ValueError("not an OLE2 file")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("unexpected sector size")
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4

    def read_sector(number):
        if number >= _OLE_FREE:
            raise ValueError("bad sector number")
        file.seek((number + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated file")
        return data

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    difat_sector, difat_count = struct.unpack_from("<II", header, 0x44)
    for _sector in range(min(difat_count, _OLE_MAX_SECTORS)):
        if difat_sector >= _OLE_FREE:
            break
        values = struct.unpack(f"<{per_sector}I", read_sector(difat_sector))
        fat_sectors.extend(values[:-1])
        difat_sector = values[-1]

    def next_sector(number):
        fat_index, offset = divmod(number, per_sector)
        if fat_index >= len(fat_sectors):
            raise ValueError("sector outside the FAT")
        return struct.unpack_from("<I", read_sector(fat_sectors[fat_index]), offset * 4)[0]

    entries = []
    sector, seen = struct.unpack_from("<I", header, 0x30)[0], set()
    while sector < _OLE_FREE:
        if sector in seen or len(seen) > _OLE_MAX_SECTORS:
            raise ValueError("directory chain loops")
        seen.add(sector)
        data = read_sector(sector)
        for start in range(0, sector_size, 128):
            entry = data[start : start + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
            kind = entry[0x42]
            left, right, child = struct.unpack_from("<III", entry, 0x44)
            entries.append((name, kind, left, right, child))
        sector = next_sector(sector)
    if not entries or entries[0][1] != 5:  # the first entry is the root storage
        raise ValueError("no root entry")

    names, pending, visited = set(), [entries[0][4]], set()
    while pending:
        index = pending.pop()
        if index == _OLE_NO_ENTRY or index in visited or index >= len(entries):
            continue
        visited.add(index)
        name, kind, left, right, _child = entries[index]
        if kind in (1, 2):  # storage or stream
            names.add(name)
        pending += [left, right]
    return names


# Names -------------------------------------------------------------------------------

_KEPT_FORMAT_CHARACTERS = frozenset("\u200c")  # ZWNJ: Persian half-space (نیم‌فاصله)
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_RESERVED_CHARACTERS = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})$")


def _drop_invisible(text):
    return "".join(
        character
        for character in text
        if character in _KEPT_FORMAT_CHARACTERS
        or unicodedata.category(character) not in _DROPPED_CATEGORIES
    )


def safe_filename(name, extension):
    """A display name that is safe to show and to offer as a download's name.

    No path (``/`` or ``\\``), no ``..``, no control, bidi or other invisible format
    characters (the Persian ZWNJ stays), NFC, at most ``MAX_NAME_LENGTH`` characters,
    and ``extension`` (the detected type's) in place of the name's own.

    Args:
        name: the name the browser sent (anything).
        extension: the extension to end with, without the dot (e.g. "pdf").

    Returns:
        str: e.g. ``"گزارش نهایی.pdf"``; a generic name when nothing usable is left.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _drop_invisible(text)
    text = _RESERVED_CHARACTERS.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\.{2,}", ".", text).strip(" .")
    match = _EXTENSION.search(text)
    if match and not match.group(1).isdigit():
        text = text[: match.start()]
    stem = text.strip(" .\u200c")
    if stem.upper() in _WINDOWS_DEVICES:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .\u200c")
    if not stem:
        stem = gettext("attachment")
    return unicodedata.normalize("NFC", f"{stem}.{extension}")


def name_tricks(name):
    """What in a sent file name looks like an attempt (for the security log); [] if none."""
    name = str(name or "")
    tricks = []
    if "/" in name or "\\" in name:
        tricks.append("path")
    if ".." in name:
        tricks.append("dot-dot")
    if bidi.has_controls(name):
        tricks.append("bidi")
    if any(unicodedata.category(character) == "Cc" for character in name):
        tricks.append("control")
    return tricks


def extension_of(attachment):
    file_type = TYPES_BY_MIME.get(attachment.content_type)
    return file_type.extension if file_type else "bin"


def hides_names(idea, user, page):
    """Whether ``user`` gets neutral file names: a juror (not author, not editor) in blind review.

    The name an author gave a file often carries their own name, which blind review hides.
    """
    if not page or not page.blind_review:
        return False
    return not access.is_author(idea, user) and not access.is_editor(idea, user, page)


def neutral_name(attachment, position):
    """``attachment-3.pdf``: the name jurors see in blind review."""
    return f"attachment-{position}.{extension_of(attachment)}"


def display_name(attachment, *, position=None, hide=False):
    """The name to show and to download ``attachment`` under."""
    if hide:
        if position is None:
            position = position_of(attachment)
        return neutral_name(attachment, position)
    return safe_filename(attachment.original_name, extension_of(attachment))


def position_of(attachment):
    """1 for a submission's first file, 2 for the next (the model's order)."""
    earlier = Q(uploaded_at__lt=attachment.uploaded_at) | Q(
        uploaded_at=attachment.uploaded_at, pk__lt=attachment.pk
    )
    return IdeaAttachment.objects.filter(earlier, idea_id=attachment.idea_id).count() + 1


# Adding and removing -------------------------------------------------------------------


def max_bytes(page):
    """The largest file ``page`` takes, in bytes."""
    return page.max_attachment_mb * MEGABYTE


def too_large_message(page):
    return _("The file is larger than %(size)s MB.") % {
        "size": format_number(page.max_attachment_mb)
    }


def too_many_message(page):
    count = page.max_attachments
    return ngettext(
        "A submission can have at most %(count)s file.",
        "A submission can have at most %(count)s files.",
        count,
    ) % {"count": format_number(count)}


def _refuse(message, what, user, idea, *, warning=False, **details):
    """Log a refused file to ``hadaf.security`` and raise ``Refused(message)``."""
    log = security_log.warning if warning else security_log.info
    log(
        "refused attachment (%s): user=%s idea=%s %s",
        what,
        getattr(user, "pk", None) or "anonymous",
        idea.uuid,
        " ".join(f"{key}={value!r}" for key, value in details.items()),
    )
    raise Refused(message)


def _measure(uploaded_file, limit):
    """Size and sha256 of the bytes, read chunk by chunk; stops as soon as they pass ``limit``.

    The size the client declared is never used: only the bytes read count.
    """
    digest, size = hashlib.sha256(), 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    uploaded_file.seek(0)
    return size, digest.hexdigest()


def _count_attachments(idea):
    return IdeaAttachment.objects.filter(idea=idea).count()


def add_attachment(idea, page, user, uploaded_file):
    """Attach ``uploaded_file`` to a draft, as one of its authors, while the call is open.

    The checks (author, draft, open call, count, size, type) all come before anything is
    stored. The file is written to private storage first, then its row is inserted with
    the idea's row locked and the count checked again, so two uploads at once cannot
    exceed the limit; if that or anything else fails, the written file is deleted.

    Args:
        idea: the submission (an ``Idea``).
        page: its call (an ``IdeaCallPage``), for the limits and the deadline.
        user: who uploads.
        uploaded_file: a seekable Django ``File`` (usually an ``UploadedFile``).

    Returns:
        IdeaAttachment: the saved attachment.

    Raises:
        Refused: with a translated message; nothing is stored then.
    """
    raw_name = getattr(uploaded_file, "name", "") or ""
    refuse = partial(_refuse, user=user, idea=idea, name=raw_name)
    if not access.is_author(idea, user):
        refuse(
            _("Only the authors of a submission can add files to it."),
            "not an author",
            warning=True,
        )
    if idea.status != IdeaStatus.DRAFT:
        refuse(NOT_A_DRAFT, "not a draft")
    try:
        check_can_write(page, user)
    except Refused as refusal:
        refuse(refusal.message, "cannot write")
    if page.max_attachments < 1:
        refuse(_("This call does not take files."), "no files")
    if _count_attachments(idea) >= page.max_attachments:
        refuse(too_many_message(page), "too many")

    size, sha256 = _measure(uploaded_file, max_bytes(page))
    if size > max_bytes(page):
        refuse(too_large_message(page), "too large", read=size)
    if size == 0:
        refuse(EMPTY_FILE, "empty")
    excess = archive_too_large(uploaded_file)
    if excess == "broken":
        refuse(TYPE_REFUSED, "type", warning=True, detected="unreadable zip")
    if excess is not None:
        refuse(ARCHIVE_TOO_LARGE, "archive bomb", warning=True, excess=excess, read=size)
    file_type = detect_type(uploaded_file)
    if file_type is None:
        refuse(
            TYPE_REFUSED,
            "type",
            warning=True,
            detected=describe_content(uploaded_file),
        )
    name = safe_filename(raw_name, file_type.extension)
    if tricks := name_tricks(raw_name):
        security_log.warning(
            "sanitized attachment name (%s): user=%s idea=%s name=%r kept=%r",
            ",".join(tricks),
            user.pk,
            idea.uuid,
            raw_name,
            name,
        )

    attachment = IdeaAttachment(
        idea=idea,
        original_name=name,
        content_type=file_type.mime,
        size=size,
        sha256=sha256,
        uploaded_by=user,
    )
    uploaded_file.seek(0)
    attachment.file.save(name, uploaded_file, save=False)
    try:
        with transaction.atomic():
            locked = Idea.objects.select_for_update().get(pk=idea.pk)
            if locked.status != IdeaStatus.DRAFT:
                refuse(NOT_A_DRAFT, "not a draft")
            if _count_attachments(locked) >= page.max_attachments:
                refuse(too_many_message(page), "too many")
            attachment.save()
    except BaseException:
        _delete_file(attachment.file.storage, attachment.file.name)
        raise
    return attachment


def delete_attachment(idea, user, attachment):
    """Remove a file from a draft, as one of its authors; the stored file goes after commit.

    Raises:
        Refused: not an author, not this idea's file, or the idea is no longer a draft.
    """
    refuse = partial(_refuse, user=user, idea=idea, attachment=attachment.pk)
    if attachment.idea_id != idea.pk or not access.is_author(idea, user):
        refuse(
            _("Only the authors of a submission can remove its files."),
            "not an author",
            warning=True,
        )
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.status != IdeaStatus.DRAFT:
            refuse(NOT_A_DRAFT, "not a draft")
        # The file goes once the row is gone for good (see ``remove_file_after_delete``).
        attachment.delete()


def remove_file_after_delete(sender, instance, **kwargs):
    """Delete an attachment's file after its row's deletion commits, however it was deleted
    (one file, or a whole submission or call cascading): a rollback keeps both."""
    transaction.on_commit(partial(_delete_file, instance.file.storage, instance.file.name))


def _delete_file(storage, name):
    if not name:
        return
    try:
        storage.delete(name)
    except Exception:  # a leftover file must not turn a refusal or a deletion into an error
        security_log.exception("could not delete attachment file %s", name)
