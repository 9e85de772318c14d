"""Reading a population frame's counts from an XLSX or CSV file, all or nothing.

The file has a header row naming five columns (English or Persian): university (دانشگاه),
role (نقش), gender (جنسیت), degree level (مقطع) and count (تعداد); other columns are
ignored. Every data row is checked before anything is stored, and every problem is
reported with the row number the editor sees in their spreadsheet (the header is row 1):
a university not in the university list, a role, gender or degree level that is not one
of the categories, a count that is missing, negative or not a whole number, a row that
repeats an earlier one. One problem and nothing is imported.
"""

import csv
import io
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from participation.choices import Role
from participation.people.models import University
from participation.people.names import normalize_name
from participation.persian import localize_digits, to_latin_digits

from .choices import DegreeLevel, Gender
from .models import FrameCell, FrameVersion

logger = logging.getLogger("hadaf.report")

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
COLUMNS = ("university", "role", "gender", "degree_level", "count")
HEADER_ALIASES = {
    "university": ("university", "دانشگاه"),
    "role": ("role", "نقش"),
    "gender": ("gender", "sex", "جنسیت"),
    "degree_level": ("degree_level", "degree level", "degree", "مقطع", "مقطع تحصیلی"),
    "count": ("count", "population", "تعداد", "جمعیت"),
}
# Cells that mean "no degree level" (faculty, staff).
EMPTY_MARKERS = {"", "-", "—", "–", "ـ"}


class FrameImportError(Exception):
    """The file was refused; ``problems`` lists every reason, in the editor's language."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParsedRow:
    number: int  # the row's number in the spreadsheet (the header is row 1)
    values: dict


def _key(text):
    """How a typed header or category is compared: one Persian spelling, case-folded."""
    return normalize_name(text).replace("\u200c", " ").casefold()


def _row_label(number):
    return localize_digits(number)


def _category_aliases(choices, extra=()):
    """Every way a category may be written: its code, its English and Persian labels."""
    aliases = {}
    for value, label in choices:
        aliases[_key(value)] = value
        for language in ("en", "fa"):
            with translation.override(language):
                aliases[_key(str(label))] = value
    for alias, value in extra:
        aliases[_key(alias)] = value
    return aliases


def role_aliases():
    return _category_aliases(
        Role.choices,
        extra=[("هیئت علمی", Role.FACULTY), ("هیات علمی", Role.FACULTY), ("کارمند", Role.STAFF)],
    )


def gender_aliases():
    return _category_aliases(Gender.choices, extra=[("زن", Gender.FEMALE), ("مرد", Gender.MALE)])


def degree_aliases():
    return _category_aliases(
        DegreeLevel.choices,
        extra=[
            ("کاردانی", DegreeLevel.ASSOCIATE),
            ("کارشناسی", DegreeLevel.BACHELOR),
            ("کارشناسی ارشد", DegreeLevel.MASTER),
            ("دکتری", DegreeLevel.DOCTORATE),
            ("دکترا", DegreeLevel.DOCTORATE),
        ],
    )


# ---- Reading the file ------------------------------------------------------------------------


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise FrameImportError([_("The file could not be read as an XLSX workbook.")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return rows


def _csv_rows(data):
    for encoding in ("utf-8-sig", "cp1256"):  # Excel in Persian saves CSV as Windows-1256
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FrameImportError([_("The file could not be read as CSV text.")])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_table(name, data):
    """The header map and data rows of an uploaded file.

    Args:
        name: the file's name; ``.xlsx`` is read as a workbook, ``.csv`` as text.
        data: its bytes.

    Returns:
        list[ParsedRow]: the non-empty data rows, each with its spreadsheet row number.

    Raises:
        FrameImportError: the file is too large, of another type, unreadable, empty, or a
        column is missing.
    """
    if len(data) > MAX_FILE_BYTES:
        raise FrameImportError(
            [
                _("The file is larger than %(size)s megabytes.")
                % {"size": localize_digits(MAX_FILE_BYTES // (1024 * 1024))}
            ]
        )
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif lower.endswith(".csv"):
        table = _csv_rows(data)
    else:
        raise FrameImportError([_("Upload an XLSX or CSV file.")])
    while table and not any(table[0]):
        table.pop(0)  # blank lines above the header
    if not table:
        raise FrameImportError([_("The file is empty.")])
    header = {}
    aliases = {_key(alias): column for column, names in HEADER_ALIASES.items() for alias in names}
    for index, title in enumerate(table[0]):
        column = aliases.get(_key(title))
        if column and column not in header:
            header[column] = index
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise FrameImportError(
            [
                _('The header row has no "%(column)s" column (%(persian)s).')
                % {"column": column, "persian": HEADER_ALIASES[column][-1]}
                for column in missing
            ]
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {
            column: cells[index] if index < len(cells) else "" for column, index in header.items()
        }
        rows.append(ParsedRow(number, values))
    if not rows:
        raise FrameImportError([_("The file has a header row but no rows of counts.")])
    if len(rows) > MAX_ROWS:
        raise FrameImportError(
            [
                _("The file has more than %(rows)s rows of counts.")
                % {"rows": localize_digits(MAX_ROWS)}
            ]
        )
    return rows


# ---- Checking the rows -----------------------------------------------------------------------


def _parse_count(text):
    """The whole number ``text`` says, or the reason it is not one."""
    cleaned = to_latin_digits(text).replace("٬", "").replace(",", "").replace("٫", ".").strip()
    if not cleaned:
        return None, _("the count is missing")
    try:
        number = float(cleaned)
    except ValueError:
        return None, _("the count “%(value)s” is not a number") % {"value": text}
    if number != number or number in (float("inf"), float("-inf")):
        return None, _("the count “%(value)s” is not a number") % {"value": text}
    if number < 0:
        return None, _("the count %(value)s is negative") % {"value": localize_digits(text)}
    if not number.is_integer():
        return None, _("the count %(value)s is not a whole number") % {
            "value": localize_digits(text)
        }
    return int(number), None


def check_rows(rows):
    """Every row as a frame cell, or every problem found.

    Returns:
        tuple[list[dict], list[str]]: the cells (university id, role, gender, degree
        level, count) and the problems, each starting with its row number. Cells are
        only meaningful when there are no problems.
    """
    universities = {_key(university.name): university for university in University.objects.all()}
    roles, genders, degrees = role_aliases(), gender_aliases(), degree_aliases()
    seen = {}
    cells, problems = [], []
    for row in rows:
        values, reasons = row.values, []
        university = universities.get(_key(values["university"]))
        if not values["university"]:
            reasons.append(_("the university is missing"))
        elif university is None:
            reasons.append(
                _("“%(name)s” is not in the university list") % {"name": values["university"]}
            )
        role = roles.get(_key(values["role"]))
        if role is None:
            reasons.append(
                _("the role “%(value)s” is not student, faculty member or staff member")
                % {"value": values["role"]}
            )
        gender = genders.get(_key(values["gender"]))
        if gender is None:
            reasons.append(
                _("the gender “%(value)s” is not female or male") % {"value": values["gender"]}
            )
        degree_text = values["degree_level"]
        degree = "" if degree_text in EMPTY_MARKERS else degrees.get(_key(degree_text))
        if degree is None:
            reasons.append(
                _("the degree level “%(value)s” is not one of the degree levels")
                % {"value": degree_text}
            )
        count, count_problem = _parse_count(values["count"])
        if count_problem:
            reasons.append(count_problem)
        if not reasons:
            key = (university.pk, role, gender, degree)
            if key in seen:
                reasons.append(
                    _("it repeats row %(row)s (same university, role, gender and degree level)")
                    % {"row": _row_label(seen[key])}
                )
            else:
                seen[key] = row.number
                cells.append(
                    {
                        "university_id": university.pk,
                        "role": role,
                        "gender": gender,
                        "degree_level": degree,
                        "count": count,
                    }
                )
        problems += [
            _("Row %(row)s: %(problem)s.") % {"row": _row_label(row.number), "problem": reason}
            for reason in reasons
        ]
    return cells, problems


# ---- Storing a version -----------------------------------------------------------------------


def import_version(frame, *, reference_year, name, data, user=None):
    """Store the counts in the file as ``frame``'s next version, or nothing at all.

    Args:
        frame: the :class:`~.models.PopulationFrame`.
        reference_year: the Solar Hijri year the counts refer to.
        name: the uploaded file's name (its type is read from it).
        data: the file's bytes.
        user: the editor importing it.

    Returns:
        FrameVersion: the new version, with its cells.

    Raises:
        FrameImportError: with every problem found; nothing was stored.
    """
    rows = read_table(name, data)
    cells, problems = check_rows(rows)
    if problems:
        raise FrameImportError(problems)
    with transaction.atomic():
        # Locks the frame's row: two imports at once get consecutive numbers.
        type(frame).objects.select_for_update().filter(pk=frame.pk).first()
        latest = frame.versions.aggregate(latest=Max("number"))["latest"] or 0
        version = FrameVersion.objects.create(
            frame=frame,
            number=latest + 1,
            reference_year=reference_year,
            source_name=(name or "")[:255],
            imported_by=user,
            row_count=len(cells),
            total=sum(cell["count"] for cell in cells),
        )
        FrameCell.objects.bulk_create(
            [FrameCell(version=version, **cell) for cell in cells], batch_size=2000
        )
    logger.info(
        "population frame %s version %s imported by user %s (%s rows)",
        frame.pk,
        version.number,
        getattr(user, "pk", None),
        len(cells),
    )
    return version
