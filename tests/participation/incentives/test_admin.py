"""Editors: the ledger and certificate lists, awarding by hand, revoking."""

import uuid

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from participation.choices import IncentiveKind
from participation.incentives import services
from participation.incentives.models import Award, Certificate
from tests.people.factories import UserFactory

from .conftest import SURVEY_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def ledger(issue, faculty, student, organization, survey):
    """A certificate for the faculty member, a prize for the student, a grant for the club."""
    certificate = issue(faculty, call_page=survey)
    services.award(student, IncentiveKind.PRIZE, reason="برندهٔ جایزه", source="idea:1")
    services.award(organization, IncentiveKind.GRANT, reason="کمک‌هزینهٔ کانون", source="idea:2")
    return certificate


def award_form(**overrides):
    return {
        "recipient_type": "person",
        "email": "Maryam.Ahmadi@UT.ac.ir",
        "kind": IncentiveKind.CERTIFICATE,
        "call": "",
        "reason": "سخنران کارگاه روایت‌نویسی",
        "amount": "",
        "points": "",
        "issue_certificate": "on",
        "token": str(uuid.uuid4()),
        **overrides,
    }


class TestLists:
    def test_the_ledger_lists_and_filters_awards(self, editor_client, ledger):
        url = reverse("hadaf_incentives:awards")
        content = editor_client.get(url).content.decode()
        assert "maryam.ahmadi@ut.ac.ir" in content
        assert "کانون فیلم دانشگاه تهران" in content
        assert ledger.display_code in content

        content = editor_client.get(url, {"kind": IncentiveKind.PRIZE}).content.decode()
        assert "برندهٔ جایزه" in content
        assert "کمک‌هزینهٔ کانون" not in content

        call = str(ledger.award.call_key)
        content = editor_client.get(url, {"call": call}).content.decode()
        assert ledger.display_code in content
        assert "برندهٔ جایزه" not in content

        content = editor_client.get(url, {"status": "none"}).content.decode()
        assert ledger.display_code not in content
        assert "کمک‌هزینهٔ کانون" in content

        content = editor_client.get(url, {"q": "کانون"}).content.decode()
        assert "کمک‌هزینهٔ کانون" in content
        assert "برندهٔ جایزه" not in content

    def test_the_certificate_list_filters_by_status(self, editor_client, ledger, editor):
        url = reverse("hadaf_incentives:certificates")
        assert ledger.display_code in editor_client.get(url, {"status": "ready"}).content.decode()
        assert (
            ledger.display_code
            not in editor_client.get(url, {"status": "revoked"}).content.decode()
        )
        services.revoke(ledger, editor, "دلیل")
        assert ledger.display_code in editor_client.get(url, {"status": "revoked"}).content.decode()
        assert (
            ledger.display_code not in editor_client.get(url, {"status": "ready"}).content.decode()
        )

    def test_people_who_may_not_manage_incentives_are_refused(self, client, ledger, faculty):
        client.force_login(faculty)
        for name, args in (
            ("awards", []),
            ("certificates", []),
            ("award_new", []),
            ("certificate", [ledger.pk]),
        ):
            assert client.get(reverse(f"hadaf_incentives:{name}", args=args)).status_code in (
                302,
                403,
            )

    def test_staff_outside_the_editorial_groups_are_refused(self, client, ledger):
        from django.contrib.auth.models import Permission

        staff = UserFactory(is_staff=True, role="staff")
        staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(staff)
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
        assert client.get(reverse("hadaf_incentives:awards")).status_code in (302, 403)
        staff.user_permissions.add(Permission.objects.get(codename="manage_incentives"))
        assert client.get(reverse("hadaf_incentives:awards")).status_code == 200


class TestAwardByHand:
    def test_awarding_a_person_by_email_with_a_certificate(
        self, editor_client, faculty, survey, editor, django_capture_on_commit_callbacks
    ):
        url = reverse("hadaf_incentives:award_new")
        assert editor_client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(url, award_form(call=str(survey.pk)))
        assert response.status_code == 302
        award = Award.objects.get()
        assert award.recipient == faculty
        assert award.call_title == SURVEY_TITLE
        assert award.awarded_by == editor
        assert award.source.startswith("manual:")
        certificate = Certificate.objects.get(award=award)
        assert certificate.is_ready

    def test_the_same_form_posted_twice_records_one_award(self, editor_client, faculty):
        url = reverse("hadaf_incentives:award_new")
        data = award_form()
        assert editor_client.post(url, data).status_code == 302
        assert editor_client.post(url, data).status_code == 302
        assert Award.objects.count() == Certificate.objects.count() == 1

    def test_awarding_an_organization(self, editor_client, organization):
        data = award_form(
            recipient_type="organization",
            email="",
            organization=str(organization.pk),
            kind=IncentiveKind.GRANT,
            amount="20000000",
            issue_certificate="",
        )
        response = editor_client.post(reverse("hadaf_incentives:award_new"), data)
        assert response.status_code == 302
        award = Award.objects.get()
        assert award.recipient == organization
        assert award.amount == 20_000_000
        assert not Certificate.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"email": "nobody@ut.ac.ir"}, "هیچ حسابی با این نشانی پست الکترونیکی نیست."),
            ({"reason": ""}, ""),
            (
                {"kind": IncentiveKind.PROMOTION_POINTS, "points": ""},
                "بنویسید چند امتیاز ارتقا داده می‌شود.",
            ),
            ({"call": "999999"}, ""),
        ],
    )
    def test_bad_input_changes_nothing(self, editor_client, faculty, overrides, message):
        response = editor_client.post(
            reverse("hadaf_incentives:award_new"), award_form(**overrides)
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Award.objects.exists()
        assert not Certificate.objects.exists()

    @pytest.mark.parametrize(
        "look_alike", ["maryam.ahmad\u0131@ut.ac.ir", "maryam.ahmadi@ut.ac.\u0131r"]
    )
    def test_a_look_alike_address_awards_no_impostor(self, editor_client, faculty, look_alike):
        # An account stored before look-alikes were refused, as the attacker would hold it.
        UserFactory(email=look_alike)
        response = editor_client.post(
            reverse("hadaf_incentives:award_new"), award_form(email=look_alike)
        )
        assert response.status_code == 400
        assert "خط‌های گوناگون" in response.content.decode()
        assert not Award.objects.exists()

    def test_a_student_gets_no_promotion_points(self, editor_client, student):
        data = award_form(email=student.email, kind=IncentiveKind.PROMOTION_POINTS, points="2")
        response = editor_client.post(reverse("hadaf_incentives:award_new"), data)
        assert response.status_code == 400
        assert "امتیاز ارتقا تنها برای اعضای هیئت علمی است." in response.content.decode()
        assert not Award.objects.exists()


class TestRevoke:
    def test_the_certificate_page_shows_the_revoke_form(self, editor_client, ledger):
        response = editor_client.get(reverse("hadaf_incentives:certificate", args=[ledger.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert reverse("hadaf_incentives:certificate_revoke", args=[ledger.pk]) in content
        assert "csrfmiddlewaretoken" in content

    def test_revoking_with_a_reason(self, editor_client, ledger, editor):
        url = reverse("hadaf_incentives:certificate_revoke", args=[ledger.pk])
        response = editor_client.post(url, {"reason": "تقلب در اثر"})
        assert response.status_code == 302
        ledger.refresh_from_db()
        assert ledger.is_revoked
        assert ModelLogEntry.objects.filter(
            action=services.REVOKED_ACTION, object_id=str(ledger.pk), user=editor
        ).exists()
        page = editor_client.get(reverse("hadaf_incentives:certificate", args=[ledger.pk]))
        assert "تقلب در اثر" in page.content.decode()

    def test_revoking_without_a_reason_is_refused(self, editor_client, ledger):
        url = reverse("hadaf_incentives:certificate_revoke", args=[ledger.pk])
        for reason in ("", "   "):
            response = editor_client.post(url, {"reason": reason})
            assert response.status_code == 400
        ledger.refresh_from_db()
        assert not ledger.is_revoked

    def test_revoking_needs_post_and_a_permitted_user(self, client, editor_client, ledger, faculty):
        url = reverse("hadaf_incentives:certificate_revoke", args=[ledger.pk])
        assert editor_client.get(url).status_code == 405
        client.force_login(faculty)
        assert client.post(url, {"reason": "دلیل"}).status_code in (302, 403)
        ledger.refresh_from_db()
        assert not ledger.is_revoked

    def test_revoking_checks_the_csrf_token(self, ledger, editor):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(editor)
        url = reverse("hadaf_incentives:certificate_revoke", args=[ledger.pk])
        assert strict.post(url, {"reason": "دلیل"}).status_code == 403
        ledger.refresh_from_db()
        assert not ledger.is_revoked


class TestGenerateAgain:
    def test_a_certificate_whose_pdf_failed_can_be_prepared_again(
        self, editor_client, faculty, django_capture_on_commit_callbacks
    ):
        award = services.award(faculty, IncentiveKind.CERTIFICATE, reason="دلیل", source="s:1")
        certificate = services.issue_certificate(award)  # its task never ran
        url = reverse("hadaf_incentives:certificate_generate", args=[certificate.pk])
        assert editor_client.get(url).status_code == 405
        with django_capture_on_commit_callbacks(execute=True):
            assert editor_client.post(url).status_code == 302
        certificate.refresh_from_db()
        assert certificate.is_ready
