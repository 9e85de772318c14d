"""The public verification page and the holder's PDF download."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.choices import IncentiveKind
from participation.incentives import services
from participation.incentives.models import Certificate
from participation.persian import format_date
from tests.people.factories import UserFactory

from .conftest import REASON, SURVEY_TITLE

pytestmark = pytest.mark.django_db


def verify_url(code):
    return reverse("incentives:verify", args=[code])


def download_url(code):
    return reverse("incentives:download", args=[code])


def card(response):
    """(labels, values) of the certificate card's description list."""
    html = response.content.decode()
    section = html[html.index('class="certificate-card') :]
    section = section[: section.index("</section>")]
    labels = [
        re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<dt>(.*?)</dt>", section)
    ]
    values = [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r"<dd>(.*?)</dd>", section, re.S)
    ]
    return labels, values


class TestVerification:
    def test_a_genuine_certificate_shows_only_name_call_and_date(
        self, client, certificate, faculty
    ):
        response = client.get(verify_url(certificate.display_code))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'lang="fa" dir="rtl"' in content
        assert "این گواهی معتبر است" in content
        labels, values = card(response)
        assert labels == ["دارنده", "بابت", "تاریخ صدور", "کد اعتبارسنجی"]
        assert values == [
            "مریم احمدی",
            SURVEY_TITLE,
            format_date(certificate.issued_on, "fa"),
            certificate.display_code,
        ]
        for private in (faculty.email, "ut.ac.ir", "دانشگاه تهران", REASON, "@"):
            assert private not in content
        assert response["X-Robots-Tag"] == "noindex"
        assert "private" in response["Cache-Control"]

    def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(
        self, client, certificate, editor
    ):
        services.revoke(certificate, editor, "سرقت ادبی در متن اثر")
        certificate.refresh_from_db()
        response = client.get(verify_url(certificate.display_code))
        assert response.status_code == 200
        content = response.content.decode()
        assert "این گواهی باطل شده است" in content
        assert "این گواهی معتبر است" not in content
        assert format_date(certificate.revoked_at, "fa") in content
        assert "سرقت ادبی" not in content

    def test_an_unknown_code_is_a_persian_404(self, client, certificate):
        for code in ("ZZZZ-ZZZZ-ZZZZ", "not-a-code", "ABCD"):
            response = client.get(verify_url(code))
            assert response.status_code == 404
            assert "هیچ گواهی‌ای با این کد نیست" in response.content.decode()

    def test_typed_codes_are_normalized_to_one_address(self, client, certificate):
        Certificate.objects.filter(pk=certificate.pk).update(code="01AB0CD1EF1G")
        for typed in ("01ab-0cd1-ef1g", "OlAB-OCDI-EFLG", "01AB0CD1EF1G", "۰۱AB-۰CD۱-EF۱G"):
            response = client.get(verify_url(typed))
            assert response.status_code == 301, typed
            assert response["Location"] == verify_url("01AB-0CD1-EF1G")
        assert client.get(verify_url("01AB-0CD1-EF1G")).status_code == 200

    def test_the_lookup_form_goes_to_the_code(self, client, certificate):
        response = client.get(reverse("incentives:lookup"))
        assert response.status_code == 200
        assert 'name="code"' in response.content.decode()
        response = client.get(reverse("incentives:lookup"), {"code": certificate.code.lower()})
        assert response.status_code == 302
        assert response["Location"] == verify_url(certificate.display_code)
        assert client.get(reverse("incentives:lookup"), {"code": "???"}).status_code == 404

    def test_the_english_page_uses_the_gregorian_calendar(self, client, certificate):
        response = client.get(f"/en{verify_url(certificate.display_code)}")
        assert response.status_code == 200
        content = response.content.decode()
        assert 'lang="en" dir="ltr"' in content
        assert str(certificate.issued_on.year) in content

    def test_the_page_costs_the_same_queries_for_any_certificate(
        self, client, certificate, issue, organization, editor
    ):
        other = issue(organization, reason="برگزیدهٔ جشنواره")
        services.revoke(other, editor, "دلیل")
        counts = []
        for code in (certificate.display_code, other.display_code):
            client.get(verify_url(code))  # warm the site and navigation caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(verify_url(code)).status_code == 200
            statements = [query["sql"] for query in queries]
            counts.append(len(statements))
            # One query reads the certificate; none reads its award or holder.
            assert len([sql for sql in statements if "incentives_" in sql]) == 1
            assert not [sql for sql in statements if "people_" in sql or "award" in sql]
        assert counts[0] == counts[1]
        assert counts[0] <= 7, counts


class TestDownload:
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, certificate):
        response = client.get(download_url(certificate.display_code))
        assert response.status_code == 302
        assert "next=" in response["Location"]

    def test_the_holder_downloads_the_pdf(self, client, certificate, faculty):
        client.force_login(faculty)
        response = client.get(download_url(certificate.display_code))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert certificate.display_code in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_editors_download_it_too(self, client, certificate, editor):
        client.force_login(editor)
        assert client.get(download_url(certificate.display_code)).status_code == 200

    def test_anyone_else_gets_a_404(self, client, certificate, student):
        client.force_login(student)
        response = client.get(download_url(certificate.display_code))
        assert response.status_code == 404
        assert client.get(download_url("ZZZZ-ZZZZ-ZZZZ")).status_code == 404

    def test_representatives_download_their_organizations_certificate(
        self, client, issue, organization, student, faculty
    ):
        certificate = issue(organization, reason="برگزیدهٔ جشنواره")
        client.force_login(student)  # the representative
        assert client.get(download_url(certificate.display_code)).status_code == 200
        member = UserFactory()
        organization.memberships.create(person=member, is_representative=False)
        client.force_login(member)
        assert client.get(download_url(certificate.display_code)).status_code == 404

    def test_a_pdf_not_yet_generated_is_being_prepared(self, client, faculty, survey):
        award = services.award(
            faculty, IncentiveKind.CERTIFICATE, call_page=survey, reason=REASON, source="s:9"
        )
        certificate = services.issue_certificate(award)  # the task runs only after commit
        client.force_login(faculty)
        response = client.get(download_url(certificate.display_code))
        assert response.status_code == 200
        assert "گواهی شما در دست آماده‌سازی است" in response.content.decode()

    def test_a_revoked_certificate_is_not_downloaded_by_its_holder(
        self, client, certificate, faculty, editor
    ):
        services.revoke(certificate, editor, "دلیل")
        client.force_login(faculty)
        response = client.get(download_url(certificate.display_code))
        assert response.status_code == 410
        assert "این گواهی باطل شده است" in response.content.decode()
        client.force_login(editor)
        assert client.get(download_url(certificate.display_code)).status_code == 200
