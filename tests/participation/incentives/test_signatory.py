"""The issuing official on certificates: site-wide or per call, name, title, signature, seal."""

import pytest
from django.template.loader import render_to_string
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from participation.incentives import pdf
from participation.incentives.models import CallSignatory, CertificateSettings
from participation.incentives.templatetags.certificate_text import keep_last_words

from .conftest import pdf_reader, pdf_text, readable

pytestmark = pytest.mark.django_db

MINISTER_DEPUTY = "معاون فرهنگی و اجتماعی وزارت علوم"


def image(title, colour):
    return Image.objects.create(title=title, file=get_test_image_file(colour=colour))


@pytest.fixture
def site_signatory(home_page):
    site = Site.objects.get(is_default_site=True)
    settings = CertificateSettings.for_site(site)
    settings.signatory_name = "حسن رضوی"
    settings.signatory_title = MINISTER_DEPUTY
    settings.signature = image("امضا", "black")
    settings.seal = image("مهر", "blue")
    settings.save()
    return settings


def _images_in(resources):
    count = 0
    for item in resources.get("/XObject", {}).values():
        xobject = item.get_object()
        if xobject["/Subtype"] == "/Image":
            count += 1
        elif "/Resources" in xobject:  # A form (the seal is drawn semi-transparent).
            count += _images_in(xobject["/Resources"].get_object())
    return count


def image_count(content):
    """How many images the PDF's pages draw (the QR code is one)."""
    return sum(_images_in(page["/Resources"]) for page in pdf_reader(content).pages)


def test_without_a_signatory_the_certificate_has_only_its_qr_code(certificate):
    assert not pdf.signatory_for(certificate.award)
    assert image_count(pdf.certificate_pdf(certificate)) == 1


def test_the_site_wide_official_signs_with_signature_and_seal(site_signatory, certificate):
    content = pdf.certificate_pdf(certificate)
    text = readable(pdf_text(content))
    assert "حسن رضوی" in text, text
    assert MINISTER_DEPUTY in text, text
    assert image_count(content) == 3  # QR code, signature, seal


def test_a_call_names_its_own_official_and_keeps_the_rest_from_the_site(
    site_signatory, certificate, survey
):
    CallSignatory.objects.create(call=survey, signatory_name="زهرا کاظمی")
    signatory = pdf.signatory_for(certificate.award)
    assert signatory.name == "زهرا کاظمی" and signatory.title == MINISTER_DEPUTY
    assert signatory.signature.startswith("data:image/png;base64,")
    assert "زهرا کاظمی" in readable(pdf_text(pdf.certificate_pdf(certificate)))


def test_no_line_ends_leaving_the_last_word_alone(certificate):
    assert keep_last_words("این نشانی را باز کنید:") == "این نشانی را باز\u00a0کنید:"
    assert keep_last_words("<b> x") == "&lt;b&gt;\u00a0x"
    html = render_to_string(pdf.CERTIFICATE_TEMPLATE, pdf.certificate_context(certificate))
    assert "باز\u00a0کنید:" in html and "باز کنید:" not in html
