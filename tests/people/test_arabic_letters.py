"""Arabic ي/ك and Persian ی/ک are one letter on screen: one identity (issue 16), and the
accounts made before the canonical-email rules are listed for an administrator to resolve."""

import uuid
from importlib import import_module

import idna
import pytest
from django.apps import apps
from django.contrib.auth import get_user, get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from participation.emails import canonical_email, email_problem
from participation.people import lookalikes
from tests.people.factories import DEFAULT_PASSWORD, UserFactory, with_confirmed_email

pytestmark = pytest.mark.django_db

User = get_user_model()

PERSIAN = "علی@hadaf.test"  # U+06CC FARSI YEH
ARABIC_YEH = "علي@hadaf.test"  # U+064A ARABIC LETTER YEH
ALEF_MAKSURA = "علی@hadaf.test".replace("ی", "ى")  # U+0649, the final ی's twin
KAF_PERSIAN = "کاوه@دانشگاه.ir"  # U+06A9 KEHEH
KAF_ARABIC = "كاوه@دانشگاه.ir"  # U+0643 ARABIC LETTER KAF
# Django's email field takes Arabic-script letters in the domain only: what the web forms see.
PERSIAN_DOMAIN = "ali@دانشگاهی.ir"
ARABIC_DOMAIN = "ali@دانشگاهي.ir"


def stored_before_0007(person):
    """Put ``person``'s canonical form back as it was computed before the Arabic fold."""
    old = canonical_email(person.email, persian_letters=False)
    User.objects.filter(pk=person.pk).update(email_canonical=old)
    person.refresh_from_db()
    return old


# The canonical form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (ARABIC_YEH, PERSIAN),
        (ALEF_MAKSURA, PERSIAN),
        (KAF_ARABIC, KAF_PERSIAN),
        ("ali@دانشگاهي.ir", "ali@دانشگاهی.ir"),  # in the domain too
        # A typed A-label of the Arabic spelling is the Persian one's address.
        ("ali@" + idna.encode("دانشگاهي.ir").decode(), "ali@دانشگاهی.ir"),
        ("ALI@" + idna.encode("دانشگاهي.ir").decode().upper(), "ali@دانشگاهی.ir"),
    ],
)
def test_arabic_and_persian_letters_are_one_address(one, other):
    assert canonical_email(one) == canonical_email(other)
    assert canonical_email(canonical_email(one)) == canonical_email(one)
    assert email_problem(one) is None and email_problem(other) is None  # both are accepted


def test_the_canonical_form_has_the_persian_letters():
    assert canonical_email(ARABIC_YEH) == PERSIAN
    assert canonical_email(KAF_ARABIC).startswith("کاوه@")


def test_other_letters_stay_apart():
    assert canonical_email("علا@hadaf.test") != canonical_email(PERSIAN)
    assert canonical_email("editor@hadaf.test") != canonical_email("edıtor@hadaf.test")


# One account per person ----------------------------------------------------------------------


def test_the_database_refuses_the_other_spelling():
    UserFactory(email=PERSIAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email=ARABIC_YEH)


def test_the_admin_form_refuses_the_other_spelling_with_a_message():
    UserFactory(email=KAF_PERSIAN)
    with pytest.raises(ValidationError) as refused:
        User(email=KAF_ARABIC, first_name="کاوه", last_name="نمونه").clean()
    assert "email" in refused.value.message_dict


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "علی",
            "last_name": "نمونه",
            "email": email,
            "password1": "Golestan-1404-sadi",
            "password2": "Golestan-1404-sadi",
            "role": "student",
            "university": "",
        },
    )


def test_signing_up_with_the_arabic_spelling_makes_no_second_account(client, mailoutbox):
    with_confirmed_email(UserFactory(email=canonical_email(PERSIAN_DOMAIN)))
    response = sign_up(client, ARABIC_DOMAIN)
    assert response.status_code == 302
    assert User.objects.count() == 1


@pytest.mark.parametrize("page", ["account_login", "wagtailadmin_login"])
def test_either_spelling_signs_in_the_one_account(client, page):
    # Stored as sign-up stores it: the canonical form (the domain as its A-label).
    person = with_confirmed_email(
        UserFactory(email=canonical_email(PERSIAN_DOMAIN), is_staff=True, is_superuser=True)
    )
    field = "username" if page == "wagtailadmin_login" else "login"
    response = client.post(reverse(page), {field: ARABIC_DOMAIN, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert get_user(client) == person


@override_settings(AXES_ENABLED=True)
def test_the_lockout_counts_both_spellings_together(client):
    with_confirmed_email(UserFactory(email=canonical_email(PERSIAN_DOMAIN)))
    page = reverse("account_login")
    for address in [PERSIAN_DOMAIN, ARABIC_DOMAIN] * 2:
        assert client.post(page, {"login": address, "password": "wrong"}).status_code == 200
    alef_maksura = ARABIC_DOMAIN.replace("ي", "ى")
    assert client.post(page, {"login": alef_maksura, "password": "wrong"}).status_code == 429
    response = client.post(page, {"login": ARABIC_DOMAIN, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert get_user(client).is_anonymous


def test_erasure_recognizes_both_spellings_and_hashes_made_before_the_fold():
    from participation.privacy import services
    from participation.privacy.models import ErasedIdentity, ErasedParticipation

    assert services.email_hash(ARABIC_YEH) == services.email_hash(PERSIAN)
    call_key = uuid.uuid4()
    # Erased before migration 0007: hashed without the fold, in the Arabic spelling.
    old_hash = services.email_hash(ARABIC_YEH, persian_letters=False)
    assert old_hash != services.email_hash(ARABIC_YEH)
    identity = ErasedIdentity.objects.create(email_hash=old_hash)
    ErasedParticipation.objects.create(identity=identity, call_key=call_key)
    again = UserFactory(email=ARABIC_YEH)
    assert services.has_answered_before(again, call_key)


# Migration 0007 --------------------------------------------------------------------------------


def run_0007():
    import_module("participation.people.migrations.0007_fold_arabic_letters").fold(apps, None)


def test_the_migration_refolds_and_deactivates_the_second_spelling_and_reports_it(caplog):
    persian = UserFactory(email=PERSIAN)
    arabic = UserFactory(email="placeholder@hadaf.test")
    kaf_only = UserFactory(email=KAF_ARABIC)
    plain = UserFactory(email="editor@hadaf.test")
    # What the database could hold before the fold: both spellings, each its own identity.
    User.objects.filter(pk=arabic.pk).update(
        email=ARABIC_YEH, email_canonical=canonical_email(ARABIC_YEH, persian_letters=False)
    )
    stored_before_0007(kaf_only)
    assert kaf_only.email_canonical != canonical_email(KAF_ARABIC)

    run_0007()

    for person in (persian, arabic, kaf_only, plain):
        person.refresh_from_db()
    assert (persian.email_canonical, persian.is_active) == (PERSIAN, True)
    assert (arabic.email_canonical, arabic.is_active) == (None, False)
    assert kaf_only.email_canonical == canonical_email(KAF_PERSIAN) and kaf_only.is_active
    assert plain.email_canonical == "editor@hadaf.test" and plain.is_active
    assert arabic.email == ARABIC_YEH  # nothing of theirs is touched
    report = caplog.text
    assert f"{arabic.pk}->{persian.pk}" in report and "lookalike_accounts" in report
    assert "@" not in report  # by primary key, never by address
    # Run again (a re-applied data migration): nothing more changes, nothing is reported.
    caplog.clear()
    run_0007()
    assert caplog.text == ""


def test_the_migration_prefers_the_active_account():
    inactive = UserFactory(email=PERSIAN, is_active=False)
    active = UserFactory(email="placeholder@hadaf.test")
    User.objects.filter(pk=active.pk).update(
        email=ARABIC_YEH, email_canonical=canonical_email(ARABIC_YEH, persian_letters=False)
    )
    run_0007()
    inactive.refresh_from_db()
    active.refresh_from_db()
    assert (active.email_canonical, active.is_active) == (PERSIAN, True)
    assert (inactive.email_canonical, inactive.is_active) == (None, False)


def test_the_migration_is_in_the_graph_after_0006():
    migration = import_module("participation.people.migrations.0007_fold_arabic_letters")
    assert ("people", "0006_email_canonical") in migration.Migration.dependencies


# Look-alike accounts from before the rules -----------------------------------------------------


@pytest.fixture
def before_the_rules():
    """An administrator, a look-alike of it and a duplicate, as migrations 0006/0007 left them."""
    admin = UserFactory(email="admin@hadaf.test")
    look_alike = UserFactory(email="admın@hadaf.test")  # sign-up refuses this today
    duplicate = UserFactory(email="other@hadaf.test")
    User.objects.filter(pk=duplicate.pk).update(
        email="admin@hadaf.teſt", email_canonical=None, is_active=False
    )
    UserFactory(email="someone@hadaf.test")  # nothing to resolve
    return admin, look_alike, duplicate


def test_the_command_lists_look_alikes_and_duplicates_with_the_accounts_they_resemble(
    before_the_rules,
):
    admin, look_alike, duplicate = before_the_rules
    out = run("lookalike_accounts")
    lines = [line.split("\t") for line in out.splitlines() if "\t" in line]
    by_pk = {int(line[0]): line for line in lines}
    assert set(by_pk) == {look_alike.pk, duplicate.pk}
    assert by_pk[look_alike.pk][1:3] == ["look-alike", "active"]
    # The real account, and the duplicate that spells it with ſ.
    assert by_pk[look_alike.pk][4] == f"looks like {admin.pk}, {duplicate.pk}"
    assert "U+0131 LATIN SMALL LETTER DOTLESS I" in by_pk[look_alike.pk][5]
    assert by_pk[duplicate.pk][1:3] == ["duplicate", "inactive"]
    assert by_pk[duplicate.pk][4] == f"kept by {admin.pk}"
    assert "1 still active" in out


def test_the_command_deactivates_a_look_alike_which_can_no_longer_sign_in(client, before_the_rules):
    admin, look_alike, _duplicate = before_the_rules
    client.force_login(look_alike)
    assert "deactivated" in run("lookalike_accounts", "--deactivate", str(look_alike.pk))
    look_alike.refresh_from_db()
    admin.refresh_from_db()
    assert not look_alike.is_active and admin.is_active
    assert get_user(client).is_anonymous  # its open session ends too
    response = client.post(
        reverse("account_login"), {"login": "admın@hadaf.test", "password": DEFAULT_PASSWORD}
    )
    assert get_user(client).is_anonymous, response
    assert "already inactive" in run("lookalike_accounts", "--deactivate", str(look_alike.pk))
    assert "0 still active" in run("lookalike_accounts")


@pytest.mark.parametrize("which", ["real account", "no account"])
def test_the_command_deactivates_only_look_alikes(before_the_rules, which):
    admin, _look_alike, _duplicate = before_the_rules
    pk = admin.pk if which == "real account" else 999_999
    with pytest.raises(CommandError):
        run("lookalike_accounts", "--deactivate", str(pk))
    admin.refresh_from_db()
    assert admin.is_active


def test_the_command_says_when_there_is_nothing_to_resolve():
    UserFactory(email="editor@hadaf.test")
    UserFactory(email=PERSIAN)
    assert "No look-alike" in run("lookalike_accounts")


def test_skeletons_match_look_alikes_of_other_scripts():
    assert lookalikes.skeleton("аdmin@hadaf.test") == lookalikes.skeleton("admin@hadaf.test")
    assert lookalikes.skeleton("editor@hadaf.test") != lookalikes.skeleton("admin@hadaf.test")


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
