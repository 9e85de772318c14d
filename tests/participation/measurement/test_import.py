"""Importing a population frame's counts: all or nothing, every problem with its row."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from participation.measurement import importing
from participation.measurement.models import FrameCell, FrameVersion, PopulationFrame
from tests.people.factories import university_named

pytestmark = pytest.mark.django_db

HEADER = "university,role,gender,degree_level,count"


@pytest.fixture
def frame():
    university_named("دانشگاه تهران")
    university_named("دانشگاه شیراز")
    return PopulationFrame.objects.create(name="دانشگاه‌های وزارت علوم")


def csv_bytes(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(frame, data, name="frame.csv"):
    with translation.override("fa"), pytest.raises(importing.FrameImportError) as error:
        importing.import_version(frame, reference_year=1404, name=name, data=data)
    assert not FrameVersion.objects.exists()
    assert not FrameCell.objects.exists()
    return error.value.problems


def test_a_csv_file_becomes_the_first_version(frame):
    data = csv_bytes(
        "دانشگاه تهران,student,female,bachelor,1200",
        "دانشگاه تهران,student,male,bachelor,1100",
        "دانشگاه تهران,faculty,female,,300",
        "دانشگاه شیراز,staff,male,-,150",
    )
    version = importing.import_version(frame, reference_year=1404, name="frame.csv", data=data)
    assert (version.number, version.reference_year) == (1, 1404)
    assert (version.row_count, version.total) == (4, 2750)
    faculty = version.cells.get(role="faculty")
    assert (faculty.university.name, faculty.gender, faculty.degree_level, faculty.count) == (
        "دانشگاه تهران",
        "female",
        "",
        300,
    )


def test_persian_headers_labels_and_digits_and_an_xlsx_file(frame):
    rows = [
        ["دانشگاه", "نقش", "جنسیت", "مقطع", "تعداد", "توضیح"],
        ["دانشگاه تهران", "دانشجو", "زن", "کارشناسی ارشد", "۱٬۲۰۰", "نادیده"],
        ["دانشگاه شيراز", "عضو هیئت علمی", "مرد", "—", 45.0, ""],  # Arabic yeh in the name
        [None, None, None, None, None, None],  # blank rows are skipped
        ["دانشگاه شیراز", "کارمند", "زن", "", 80, None],
    ]
    version = importing.import_version(
        frame, reference_year=1403, name="FRAME.XLSX", data=xlsx_bytes(rows)
    )
    assert version.total == 1200 + 45 + 80
    assert set(version.cells.values_list("role", "gender", "degree_level", "count")) == {
        ("student", "female", "master", 1200),
        ("faculty", "male", "", 45),
        ("staff", "female", "", 80),
    }


def test_every_problem_is_listed_with_its_row_in_persian_digits_and_nothing_is_stored(frame):
    data = csv_bytes(
        "دانشگاه تهران,student,female,bachelor,1200",  # row 2: fine
        "دانشگاه ناموجود,student,female,bachelor,10",  # row 3: unknown university
        "دانشگاه تهران,student,male,bachelor,-5",  # row 4: negative
        "دانشگاه تهران,faculty,male,,12.5",  # row 5: not whole
        "دانشگاه تهران,student,female,bachelor,7",  # row 6: repeats row 2
        "دانشگاه تهران,student,male,master,",  # row 7: missing count
        "دانشگاه تهران,dean,other,phd,abc",  # row 8: four problems
    )
    problems = refused(frame, data)
    text = "\n".join(problems)
    assert "ردیف ۳:" in text and "دانشگاه ناموجود" in text
    assert "ردیف ۴:" in text and "منفی" in text
    assert "ردیف ۵:" in text and "عدد صحیح" in text
    assert "ردیف ۶:" in text and "ردیف ۲" in text  # the duplicate names the row it repeats
    assert "ردیف ۷:" in text
    assert len([p for p in problems if p.startswith("ردیف ۸:")]) == 4
    assert not any(p.startswith("ردیف ۲:") for p in problems)
    assert len(problems) == 9


def test_a_missing_column_imports_nothing(frame):
    data = csv_bytes("دانشگاه تهران,student,female,1200", header="university,role,gender,count")
    problems = refused(frame, data)
    assert len(problems) == 1
    assert "degree_level" in problems[0] and "مقطع" in problems[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("frame.pdf", b"%PDF-1.4"),
        ("frame.xlsx", b"not a workbook"),
        ("frame.csv", b""),
        ("frame.csv", HEADER.encode() + b"\n\n"),
        ("frame.csv", b"x" * (importing.MAX_FILE_BYTES + 1)),
    ],
)
def test_files_that_cannot_be_read_are_refused(frame, name, data):
    problems = refused(frame, data, name=name)
    assert problems and all(problems)


def test_a_windows_1256_csv_is_read(frame):
    # Windows-1256 has no Persian yeh: Excel writes the Arabic one, which is read as Persian.
    text = csv_bytes("دانشگاه شیراز,کارمند,مرد,,90").decode().replace("ی", "ي")
    data = text.encode("cp1256")
    version = importing.import_version(frame, reference_year=1404, name="frame.csv", data=data)
    assert version.cells.get().count == 90


def test_a_new_import_is_a_new_version_and_the_old_one_stays(frame):
    first = importing.import_version(
        frame, reference_year=1403, name="a.csv", data=csv_bytes("دانشگاه تهران,staff,male,,10")
    )
    second = importing.import_version(
        frame, reference_year=1404, name="b.csv", data=csv_bytes("دانشگاه تهران,staff,male,,12")
    )
    assert (first.number, second.number) == (1, 2)
    assert frame.current_version == second
    assert first.cells.get().count == 10
    # A failed third import leaves both as they were.
    with pytest.raises(importing.FrameImportError):
        importing.import_version(
            frame, reference_year=1405, name="c.csv", data=csv_bytes("ناموجود,staff,male,,1")
        )
    assert list(frame.versions.values_list("number", flat=True)) == [2, 1]
