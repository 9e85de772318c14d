"""The certificate's printed link and QR code point at the configured site address
(``WAGTAILADMIN_BASE_URL``; ``make run`` sets it to the address it serves), whatever host
the request that asked for it named (issue 16, finding 9)."""

import subprocess

import pytest
from django.test import override_settings
from django.urls import reverse

from participation.incentives import pdf, services
from tests.helpers import PROJECT_ROOT

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8123"


def test_the_qr_and_printed_link_use_the_configured_address(certificate, monkeypatch):
    asked = []
    real = pdf.certificate_qr_data_uri

    def spy(url):
        asked.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "certificate_qr_data_uri", spy)
    with override_settings(WAGTAILADMIN_BASE_URL=SITE):
        pdf.certificate_pdf(certificate)
        assert services.verification_url(certificate) == (
            f"{SITE}/certificates/{certificate.display_code}/"
        )
    assert asked == [f"{SITE}/certificates/{certificate.display_code}/"]


def test_the_editors_certificate_page_ignores_the_host_header(client, certificate, editor):
    client.force_login(editor)
    with override_settings(WAGTAILADMIN_BASE_URL=SITE, ALLOWED_HOSTS=["*"]):
        url = reverse("hadaf_incentives:certificate", args=[certificate.pk])
        response = client.get(url, HTTP_HOST="127.0.0.1:31337")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{SITE}/certificates/{certificate.display_code}/" in html
    assert "31337" not in html


def test_make_run_passes_the_address_it_serves():
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    [line] = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert 'WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:8123}"' in line
    assert line.endswith("runserver 127.0.0.1:8123")
    # The seed renders the demo certificates (PDF and QR) with the same address.
    [seed] = [line for line in result.stdout.splitlines() if "seed_demo" in line]
    assert 'WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:8123}"' in seed
