"""Persian PDFs with WeasyPrint: certificates and the faculty promotion report.

WeasyPrint lays text out with Pango and HarfBuzz, so Persian letters are joined and
ordered correctly, and each glyph keeps the Unicode letters it came from: text copied
or extracted from the PDF is Persian (U+0600–U+06FF), not presentation forms.

The only font is Vazirmatn, from the project's own files (``make assets`` copies it into
``static/vendor/vazirmatn/``), embedded through ``@font-face`` with ``file://`` URLs. The
renderer fetches nothing else: its URL fetcher accepts those font files and ``data:``
URIs (the QR code) and refuses every other URL, so a name or title can never make the
server read a file or reach the network.
"""

import base64
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .models import CallSignatory, Certificate, CertificateSettings
from .qr import certificate_qr_data_uri

FONT_FAMILY = "Vazirmatn"
FONT_STYLES = ((400, "Vazirmatn-Regular"), (700, "Vazirmatn-Bold"))
# Where to look, in order: TrueType is read as is, WOFF2 is decompressed on every render.
STATIC_DIR = "vendor/vazirmatn"
STATIC_EXTENSIONS = (".ttf", ".woff2")
CERTIFICATE_TEMPLATE = "participation/incentives/certificate.html"


def _find_font(name):
    for extension in STATIC_EXTENSIONS:
        path = finders.find(f"{STATIC_DIR}/{name}{extension}")
        if path:
            return Path(path)
    # The npm package itself, before `make assets` copied it.
    package_file = (
        Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf" / f"{name}.ttf"
    )
    return package_file if package_file.is_file() else None


def font_files():
    """{weight: path} of the Vazirmatn files the PDFs embed.

    Raises:
        ImproperlyConfigured: Neither ``static/vendor/vazirmatn`` (``make assets``) nor
            ``node_modules/vazirmatn`` has the font.
    """
    found = {}
    for weight, name in FONT_STYLES:
        path = _find_font(name)
        if path is None:
            raise ImproperlyConfigured(
                f"The Vazirmatn font ({STATIC_DIR}/{name}) is missing: run `make assets`."
            )
        found[weight] = path.resolve()
    return found


def font_face_css():
    """``@font-face`` rules embedding Vazirmatn from the project's files."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: normal; src: url("{path.as_uri()}"); }}'
        for weight, path in font_files().items()
    )


class LocalOnlyFetcher(URLFetcher):
    """Fetches the font files and ``data:`` URIs; every other URL is refused."""

    def __init__(self, allowed_files):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
        self.allowed_uris = {Path(path).resolve().as_uri() for path in allowed_files}

    def fetch(self, url, headers=None):
        if not url.startswith("data:") and url.split("?")[0] not in self.allowed_uris:
            raise ValueError(f"Refused to fetch {url[:80]!r} while rendering a PDF.")
        return super().fetch(url, headers)


def render_pdf(template_name, context, *, language=None):
    """Render a template to PDF bytes in ``language`` (the site's language by default)."""
    fonts = font_files()
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {**context, "font_faces": font_face_css()})
    return HTML(string=html, url_fetcher=LocalOnlyFetcher(fonts.values())).write_pdf()


@dataclass(frozen=True)
class Signatory:
    """The issuing official as printed: name, title, and signature and seal as data URIs."""

    name: str = ""
    title: str = ""
    signature: str = ""
    seal: str = ""

    def __bool__(self):
        return any((self.name, self.title, self.signature, self.seal))


SIGNATORY_IMAGE_FILTER = "max-600x300|format-png"


def image_data_uri(image):
    """A PNG rendition of a Wagtail image as a ``data:`` URI (the only images the PDF may load)."""
    if image is None:
        return ""
    rendition = image.get_rendition(SIGNATORY_IMAGE_FILTER)
    with rendition.file.open("rb") as handle:
        data = handle.read()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def signatory_for(award):
    """Who signs ``award``'s certificate: the call's own official, field by field, else the
    site-wide one (Settings → Certificates); empty when nobody is set."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    sources = []
    if award.call_key:
        own = CallSignatory.objects.filter(call_key=award.call_key).first()
        if own is not None:
            sources.append(own)
    if site is not None:
        sources.append(CertificateSettings.for_site(site))

    def first(field):
        return next((getattr(s, field) for s in sources if getattr(s, field)), None)

    return Signatory(
        name=first("signatory_name") or "",
        title=first("signatory_title") or "",
        signature=image_data_uri(first("signature")),
        seal=image_data_uri(first("seal")),
    )


def certificate_context(certificate):
    """What the certificate template shows; the QR code encodes the verification URL."""
    from .services import verification_url  # services imports tasks, which import this module

    url = verification_url(certificate)
    award = certificate.award
    return {
        "certificate": certificate,
        "award": award,
        "in_call": bool(award.call_key) and certificate.call_title != award.reason,
        "verification_url": url,
        "qr_data_uri": certificate_qr_data_uri(url),
        "signatory": signatory_for(award),
    }


def certificate_pdf(certificate):
    """The certificate's PDF (A4 landscape, Persian) as bytes."""
    return render_pdf(CERTIFICATE_TEMPLATE, certificate_context(certificate))


def store_certificate_pdf(certificate):
    """Render the certificate's PDF into the private storage and mark it generated."""
    content = certificate_pdf(certificate)
    field = certificate.pdf
    name = field.field.generate_filename(certificate, f"{certificate.code}.pdf")
    stored = field.storage.save(name, ContentFile(content), max_length=field.field.max_length)
    generated_at = timezone.now()
    Certificate.objects.filter(pk=certificate.pk).update(pdf=stored, generated_at=generated_at)
    certificate.pdf.name, certificate.generated_at = stored, generated_at
    return certificate
