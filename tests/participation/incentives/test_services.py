"""The ledger: one award per recipient, kind and source; certificates and revocation."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, transaction
from wagtail.models import ModelLogEntry

from participation.choices import IncentiveKind
from participation.incentives import services
from participation.incentives.models import Award, Certificate
from tests.people.factories import UserFactory

from .conftest import REASON, SURVEY_TITLE

THREADS = 8


@pytest.mark.django_db
class TestAward:
    def test_award_keeps_the_call_and_its_title(self, faculty, survey, editor):
        award = services.award(
            faculty,
            IncentiveKind.GRANT,
            call_page=survey,
            reason=REASON,
            source="submission:1",
            amount=50_000_000,
            by=editor,
        )
        assert award.recipient == faculty
        assert award.call_key == survey.translation_key
        assert award.call_title == SURVEY_TITLE
        assert award.amount == 50_000_000
        assert award.awarded_by == editor
        assert ModelLogEntry.objects.filter(action=services.AWARDED_ACTION).count() == 1

    def test_the_same_source_never_earns_twice(self, faculty, survey):
        fields = {"call_page": survey, "reason": REASON, "source": "idea:abc"}
        first = services.award(faculty, IncentiveKind.PRIZE, **fields)
        again = services.award(faculty, IncentiveKind.PRIZE, **{**fields, "reason": "دیگر"})
        assert again.pk == first.pk
        assert again.reason == REASON  # nothing changed
        assert Award.objects.count() == 1
        # Another kind, another source or another person is another award.
        services.award(faculty, IncentiveKind.CERTIFICATE, **fields)
        services.award(faculty, IncentiveKind.PRIZE, **{**fields, "source": "idea:def"})
        services.award(UserFactory(), IncentiveKind.PRIZE, **fields)
        assert Award.objects.count() == 4

    def test_record_award_says_whether_it_was_new(self, faculty):
        fields = {"reason": REASON, "source": "comment:1"}
        assert services.record_award(faculty, IncentiveKind.WORKSHOP, **fields)[1] is True
        assert services.record_award(faculty, IncentiveKind.WORKSHOP, **fields)[1] is False

    def test_organizations_receive_awards(self, organization):
        award = services.award(organization, IncentiveKind.GRANT, reason=REASON, source="idea:org")
        assert award.recipient == organization
        assert award.recipient_user is None
        again = services.award(organization, IncentiveKind.GRANT, reason=REASON, source="idea:org")
        assert again.pk == award.pk

    @pytest.mark.parametrize(
        "fields",
        [
            {"reason": "  "},
            {"source": ""},
            {"source": "x" * 101},
            {"reason": "ا" * 301},
            {"amount": -1},
            {"amount": 1.5},
            {"points": "-2"},
            {"points": "چند"},
        ],
    )
    def test_bad_awards_are_refused_and_change_nothing(self, faculty, fields):
        values = {"reason": REASON, "source": "s:1", **fields}
        with pytest.raises(services.IncentiveError):
            services.award(faculty, IncentiveKind.PRIZE, **values)
        assert not Award.objects.exists()

    def test_unknown_kind_and_recipient_are_refused(self, faculty, survey):
        with pytest.raises(services.IncentiveError):
            services.award(faculty, "medal", reason=REASON, source="s:1")
        with pytest.raises(services.IncentiveError):
            services.award(survey, IncentiveKind.PRIZE, reason=REASON, source="s:1")

    def test_promotion_points_are_for_faculty_and_need_points(self, faculty, student, organization):
        with pytest.raises(services.IncentiveError):
            services.award(
                student, IncentiveKind.PROMOTION_POINTS, reason=REASON, source="s", points=2
            )
        with pytest.raises(services.IncentiveError):
            services.award(
                organization, IncentiveKind.PROMOTION_POINTS, reason=REASON, source="s", points=2
            )
        with pytest.raises(services.IncentiveError):
            services.award(faculty, IncentiveKind.PROMOTION_POINTS, reason=REASON, source="s")
        award = services.award(
            faculty, IncentiveKind.PROMOTION_POINTS, reason=REASON, source="s", points="1.5"
        )
        assert award.points == Decimal("1.50")

    def test_snapshots_use_persian_letters_without_bidi_controls(self, faculty):
        award = services.award(
            faculty, IncentiveKind.PRIZE, reason="\u202eبرگزيده  كانون\u202c", source="s:1"
        )
        assert award.reason == "برگزیده کانون"


@pytest.mark.django_db
class TestConstraints:
    def test_an_award_has_exactly_one_recipient(self, faculty, organization):
        common = {"kind": IncentiveKind.PRIZE, "reason": REASON, "source": "s:1"}
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(**common)
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(
                recipient_user=faculty, recipient_organization=organization, **common
            )
        Award.objects.create(recipient_user=faculty, **common)
        Award.objects.create(recipient_organization=organization, **common)

    def test_the_database_refuses_a_second_award_for_the_same_source(self, faculty, organization):
        common = {"kind": IncentiveKind.PRIZE, "reason": REASON, "source": "idea:1"}
        Award.objects.create(recipient_user=faculty, **common)
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(recipient_user=faculty, **common)
        Award.objects.create(recipient_organization=organization, **common)
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(recipient_organization=organization, **common)

    def test_a_revoked_certificate_has_a_reason(self, certificate):
        from django.utils import timezone

        with pytest.raises(IntegrityError), transaction.atomic():
            Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())


@pytest.mark.django_db
class TestCertificates:
    def test_issuing_queues_the_pdf_after_commit(
        self, faculty, survey, django_capture_on_commit_callbacks
    ):
        award = services.award(
            faculty, IncentiveKind.CERTIFICATE, call_page=survey, reason=REASON, source="s:1"
        )
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            certificate = services.issue_certificate(award)
        certificate.refresh_from_db()
        assert not certificate.is_ready  # nothing before the commit
        assert len(callbacks) == 1
        callbacks[0]()
        certificate.refresh_from_db()
        assert certificate.is_ready
        assert (
            certificate.pdf.name
            == f"certificates/{certificate.issued_on:%Y}/{certificate.code}.pdf"
        )
        assert certificate.pdf.read().startswith(b"%PDF")
        assert certificate.holder_name == "مریم احمدی"
        assert certificate.call_title == SURVEY_TITLE

    def test_issuing_twice_gives_the_same_certificate(self, certificate):
        assert services.issue_certificate(certificate.award).pk == certificate.pk
        assert Certificate.objects.count() == 1

    def test_a_certificate_outside_a_call_is_for_its_reason(self, issue, faculty):
        certificate = issue(faculty, reason="شرکت در کارگاه روایت‌نویسی")
        assert certificate.call_title == "شرکت در کارگاه روایت‌نویسی"

    def test_a_person_without_a_name_gets_no_certificate(self, survey):
        nameless = UserFactory(first_name="", last_name="")
        award = services.award(nameless, IncentiveKind.CERTIFICATE, reason=REASON, source="s:1")
        with pytest.raises(services.IncentiveError):
            services.issue_certificate(award)
        assert not Certificate.objects.exists()

    def test_a_taken_code_is_drawn_again(self, certificate, faculty, monkeypatch):
        drawn = iter([certificate.code, "ABCDEFGHJKMN"])
        monkeypatch.setattr(services.codes, "new_code", lambda: next(drawn))
        award = services.award(faculty, IncentiveKind.PRIZE, reason=REASON, source="s:2")
        assert services.issue_certificate(award).code == "ABCDEFGHJKMN"


@pytest.mark.django_db
class TestRevoke:
    def test_revoking_needs_a_reason(self, certificate, editor):
        for reason in ("", "   ", "\u200f"):
            with pytest.raises(services.IncentiveError):
                services.revoke(certificate, editor, reason)
        certificate.refresh_from_db()
        assert not certificate.is_revoked

    def test_revoking_needs_a_permitted_user(self, certificate, faculty, student):
        for person in (faculty, student, None):
            with pytest.raises(PermissionDenied):
                services.revoke(certificate, person, "دلیل")
        certificate.refresh_from_db()
        assert not certificate.is_revoked

    def test_revoking_is_logged_and_happens_once(self, certificate, editor):
        services.revoke(certificate, editor, "سرقت ادبی در اثر")
        certificate.refresh_from_db()
        assert certificate.is_revoked
        assert certificate.revoked_by == editor
        assert certificate.revoke_reason == "سرقت ادبی در اثر"
        entry = ModelLogEntry.objects.get(action=services.REVOKED_ACTION)
        assert entry.user == editor
        assert entry.object_id == str(certificate.pk)
        assert entry.data["reason"] == "سرقت ادبی در اثر"
        with pytest.raises(services.IncentiveError):
            services.revoke(certificate, editor, "دوباره")

    def test_people_with_the_permission_may_revoke(self, certificate):
        from django.contrib.auth.models import Permission

        officer = UserFactory(role="staff")
        officer.user_permissions.add(Permission.objects.get(codename="manage_incentives"))
        services.revoke(certificate, officer, "دلیل")
        certificate.refresh_from_db()
        assert certificate.is_revoked
        assert certificate.revoked_by == officer
        assert certificate.revoke_reason == "دلیل"


# Concurrency: real threads, each with its own connection ------------------------------


def in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_for_the_same_source_record_one(faculty, survey):
    if in_memory_sqlite():
        pytest.skip(
            "SQLite's in-memory test database is not shared between threads' connections; "
            "run with DATABASE_URL=postgres://… (or a file SQLite database) to check this."
        )
    start = threading.Barrier(THREADS)
    results, errors = [], []

    def give():
        try:
            start.wait()
            award = services.award(
                faculty,
                IncentiveKind.PRIZE,
                call_page=survey,
                reason=REASON,
                source="idea:race",
            )
            results.append(award.pk)
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=give) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert Award.objects.count() == 1
    assert results == [Award.objects.get().pk] * THREADS


@pytest.mark.django_db
def test_awards_of_a_person_include_their_organizations(faculty, student, organization):
    mine = services.award(student, IncentiveKind.PRIZE, reason=REASON, source="s:1")
    club = services.award(organization, IncentiveKind.GRANT, reason=REASON, source="s:2")
    services.award(faculty, IncentiveKind.PRIZE, reason=REASON, source="s:3")
    assert set(services.awards_of(student)) == {mine, club}  # the student represents the club
    assert len(services.awards_of(faculty)) == 1
