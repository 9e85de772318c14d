"""The certificate PDF: Persian text that extracts as Persian, Vazirmatn only, the QR code."""

import pytest
from django.utils import timezone

from participation.incentives import pdf, qr, services
from participation.persian import format_date

from .conftest import (
    PERSIAN_DIGITS,
    REASON,
    SURVEY_TITLE,
    pdf_reader,
    pdf_text,
    presentation_forms,
    readable,
    without_zwnj,
)

pytestmark = pytest.mark.django_db


def test_certificate_text_extracts_as_persian_letters_not_presentation_forms(certificate):
    content = certificate.pdf.read()
    text = pdf_text(content)

    assert presentation_forms(text) == []
    assert "گواهی" in text  # the heading, U+06AF U+0648 U+0627 U+0647 U+06CC
    assert all(0x0600 <= ord(char) <= 0x06FF for char in "گواهی")
    assert "مریم احمدی" in text  # logical order: first name first, as typed
    assert certificate.display_code in text
    assert without_zwnj(SURVEY_TITLE) in readable(text)
    assert without_zwnj(REASON) in readable(text)


def test_certificate_date_is_jalali_with_persian_digits(certificate):
    text = readable(pdf_text(certificate.pdf.read()))
    jalali = format_date(certificate.issued_on, "fa")  # e.g. "۳ آذر ۱۴۰۵"

    assert jalali in text
    assert any(digit in jalali for digit in PERSIAN_DIGITS)
    year = str(certificate.issued_on.year)
    assert year not in text  # no Gregorian year anywhere


def test_only_the_projects_vazirmatn_is_embedded(certificate):
    fonts = set()
    for page in pdf_reader(certificate.pdf.read()).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Vazirmatn" in name for name in fonts), fonts


def test_pdf_is_a4_landscape_with_one_page(certificate):
    reader = pdf_reader(certificate.pdf.read())
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # 297 × 210 mm in points, landscape.
    assert round(float(box.width)) == 842
    assert round(float(box.height)) == 595


def test_qr_code_in_the_pdf_encodes_the_verification_url(certificate, monkeypatch):
    url = services.verification_url(certificate)
    assert url == f"http://testserver/certificates/{certificate.display_code}/"

    [image] = pdf_reader(certificate.pdf.read()).pages[0].images
    picture = image.image.convert("L")
    expected = qr.make_qr(url).matrix
    modules = len(expected) + 2 * qr.BORDER
    size = picture.size[0] / modules
    read = [
        [
            picture.getpixel((int((x + qr.BORDER + 0.5) * size), int((y + qr.BORDER + 0.5) * size)))
            < 128
            for x in range(len(expected))
        ]
        for y in range(len(expected))
    ]
    assert read == [[bool(module) for module in row] for row in expected]


def test_pdf_generation_asks_for_the_qr_of_the_verification_url(certificate, monkeypatch):
    asked = []
    real = pdf.certificate_qr_data_uri

    def spy(url):
        asked.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "certificate_qr_data_uri", spy)
    pdf.certificate_pdf(certificate)
    assert asked == [f"http://testserver/certificates/{certificate.display_code}/"]


def test_certificate_for_an_organization_names_it(issue, organization):
    certificate = issue(organization, reason="برگزیدهٔ جشنواره فیلم دانشجویی")
    text = readable(pdf_text(certificate.pdf.read()))
    assert "کانون فیلم دانشگاه تهران" in text
    assert without_zwnj("برگزیدهٔ جشنواره فیلم دانشجویی") in text


def test_the_renderer_fetches_nothing_but_the_font_and_data(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    fetcher = pdf.LocalOnlyFetcher(pdf.font_files().values())
    for url in (secret.as_uri(), "http://127.0.0.1:1/x.png", "https://example.org/font.woff2"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = next(iter(pdf.font_files().values()))
    response = fetcher.fetch(font.as_uri())
    response.close()


def test_the_pdf_task_is_idempotent_and_skips_revoked_certificates(certificate, editor):
    from participation.incentives.tasks import generate_certificate_pdf

    name = certificate.pdf.name
    assert generate_certificate_pdf.call(certificate.pk) is False  # already generated
    certificate.refresh_from_db()
    assert certificate.pdf.name == name

    services.revoke(certificate, editor, "تقلب در داوری")
    certificate.__class__.objects.filter(pk=certificate.pk).update(generated_at=None, pdf="")
    assert generate_certificate_pdf.call(certificate.pk) is False
    assert generate_certificate_pdf.call(10**9) is False


def test_issue_date_is_today_in_tehran(certificate):
    assert certificate.issued_on == timezone.localdate()
