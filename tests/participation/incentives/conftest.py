"""People, a call and issued certificates for the incentives tests; reading PDFs back.

Every test stores certificate PDFs in a private storage under its own ``tmp_path``
(the model field's storage is replaced), never in the project's ``private-media/``.
"""

import io
import re

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone, translation
from pypdf import PdfReader

from participation.choices import IncentiveKind
from participation.incentives import services
from participation.incentives.models import Certificate
from participation.people.models import Organization, OrganizationMembership, University
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory
from tests.people.factories import EditorFactory, UserFactory

SURVEY_TITLE = "نظرسنجی برنامه‌های فرهنگی دانشگاه"
REASON = "مشارکت در نظرسنجی برنامه‌های فرهنگی"
ZWNJ = "\u200c"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in Persian: a request to /en/ leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch):
    """A private storage of the test's own for certificate PDFs."""
    location = tmp_path / "private"
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location))
    return location


@pytest.fixture
def calls(home_page):
    return CallIndexPageFactory(parent=home_page, slug="calls")


@pytest.fixture
def survey(calls):
    return SurveyCampaignPageFactory(parent=calls, title=SURVEY_TITLE, slug="culture-survey")


@pytest.fixture
def university(db):
    return University.objects.create(name="دانشگاه تهران", email_domains="ut.ac.ir")


@pytest.fixture
def faculty(university):
    return UserFactory(
        email="maryam.ahmadi@ut.ac.ir",
        role="faculty",
        first_name="مریم",
        last_name="احمدی",
        university=university,
    )


@pytest.fixture
def student(university):
    return UserFactory(
        email="ali.rezaei@ut.ac.ir",
        role="student",
        first_name="علی",
        last_name="رضایی",
        university=university,
    )


@pytest.fixture
def editor(db):
    return EditorFactory(first_name="ویراستار", last_name="وزارت")


@pytest.fixture
def organization(student, university):
    organization = Organization.objects.create(
        name="کانون فیلم دانشگاه تهران",
        kind="student_association",
        university=university,
        verified_at=timezone.now(),
    )
    OrganizationMembership.objects.create(
        organization=organization, person=student, is_representative=True
    )
    return organization


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Award and certify, running the PDF task as the embedded backend does after commit."""

    def issue(recipient, *, call_page=None, kind=IncentiveKind.CERTIFICATE, **fields):
        values = {"reason": REASON, "source": f"test:{recipient.pk}:{kind}", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            award = services.award(recipient, kind, call_page=call_page, **values)
            certificate = services.issue_certificate(award)
        certificate.refresh_from_db()
        return certificate

    return issue


@pytest.fixture
def certificate(issue, faculty, survey):
    return issue(faculty, call_page=survey)


def pdf_reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    """The text pypdf extracts from every page of a PDF, as stored (see ``readable``)."""
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def readable(text):
    """Extracted text made comparable with what was typed.

    pypdf puts right-to-left runs in logical order, but counts Persian digits (U+06F0–
    U+06F9) as right-to-left letters, so it reverses numbers that Unicode's bidi
    algorithm keeps left-to-right ("۱۴۰۵" comes out "۵۰۴۱", "۲٫۵" comes out "۵٫۲");
    numbers are turned back. The zero-width non-joiner has no glyph and is not extracted.
    """
    number = f"[{PERSIAN_DIGITS}](?:[{PERSIAN_DIGITS}٫٬]*[{PERSIAN_DIGITS}])?"
    text = re.sub(number, lambda match: match.group()[::-1], text)
    return " ".join(text.replace(ZWNJ, "").split())


def without_zwnj(text):
    return text.replace(ZWNJ, "")


def presentation_forms(text):
    """Characters of the Arabic presentation forms blocks (U+FB50–U+FDFF, U+FE70–U+FEFF)."""
    return [char for char in text if 0xFB50 <= ord(char) <= 0xFDFF or 0xFE70 <= ord(char) <= 0xFEFF]
