"""One identity per email address (issue 16, findings 6 and 7).

Look-alike spellings — the dotless ``ı``, the long ``ſ``, the Kelvin sign ``K``, fullwidth
letters, Cyrillic letters in a Latin address — must neither get fresh login attempts at
an account, nor become a second account that breaks the first one's login, nor escape
the unique index, invitations or erasure's memory. Run on SQLite and on PostgreSQL
(``DATABASE_URL``): PostgreSQL's ``UPPER`` is what folded ``ı`` and ``ſ`` before.
"""

import time
import uuid
from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from participation.emails import (
    DIGITS_MESSAGE,
    LOOK_ALIKE_MESSAGE,
    canonical_email,
    email_problem,
)
from tests.people.factories import (
    DEFAULT_PASSWORD,
    EditorFactory,
    UserFactory,
    with_confirmed_email,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Golestan-1404-sadi"
LOOK_ALIKE_ERROR = "خط‌های گوناگون"

DOTLESS_I = "edıtor@hadaf.test"  # U+0131: a different address, refused at sign-up
LONG_S = "editor@hadaf.teſt"  # U+017F: NFKC makes it "s", the same address
KELVIN = "\u212aarim@hadaf.test"  # U+212A KELVIN SIGN: NFKC makes it "K"
FULLWIDTH = "ｅditor@hadaf.test"  # U+FF45: NFKC makes it "e"
FULLWIDTH_DOMAIN = "editor@hadaf.ｔest"
CYRILLIC_DOMAIN = "editor@hadaf.tеst"  # U+0435 CYRILLIC SMALL LETTER IE
CYRILLIC_LOCAL = "аdmin@hadaf.test"  # U+0430 CYRILLIC SMALL LETTER A


# The canonical form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Editor@HADAF.Test", "editor@hadaf.test"),
        (LONG_S, "editor@hadaf.test"),
        (KELVIN, "karim@hadaf.test"),
        (FULLWIDTH, "editor@hadaf.test"),
        (FULLWIDTH_DOMAIN, "editor@hadaf.test"),
        ("  editor@hadaf.test  ", "editor@hadaf.test"),
        # An internationalized domain is one address in its Unicode and ASCII spellings.
        ("ali@دانشگاه.ایران", "ali@xn--mgbawv3gi04e.xn--mgba3a4f16a"),
        ("ali@XN--MGBAWV3GI04E.xn--mgba3a4f16a", "ali@xn--mgbawv3gi04e.xn--mgba3a4f16a"),
    ],
)
def test_every_spelling_of_an_address_has_one_canonical_form(typed, canonical):
    assert canonical_email(typed) == canonical


def test_letters_that_stay_different_stay_different():
    assert canonical_email(DOTLESS_I) != canonical_email("editor@hadaf.test")
    assert canonical_email(CYRILLIC_LOCAL) != canonical_email("admin@hadaf.test")


@given(st.text(max_size=20), st.text(max_size=20))
def test_the_canonical_form_is_its_own_canonical_form(local, domain):
    for text in (local, f"{local}@{domain}"):
        once = canonical_email(text)
        assert canonical_email(once) == once


@pytest.mark.parametrize(
    "address",
    [
        DOTLESS_I,
        LONG_S,
        KELVIN,
        FULLWIDTH,
        FULLWIDTH_DOMAIN,
        CYRILLIC_DOMAIN,
        CYRILLIC_LOCAL,
        "раураl@hadaf.test",  # wholly Cyrillic, every letter a Latin look-alike
        "josé@hadaf.test",
        "ed\u200ditor@hadaf.test",  # a zero-width joiner
        "ali@почта.ایران",  # two non-Latin scripts
        # Only ASCII and Arabic-script letters are allowed: every other script is refused.
        "пётр@почта.рф",
        "x1v@ок.test",  # Cyrillic о and к
        "editor@ок.test",
        "x1v@οκ.test",  # Greek omicron and kappa
        "editor@hadaf.τεκ",  # Greek tau, epsilon, kappa
        "editor@hadaf.\uab4b\uab4e\uab4d",  # small Cherokee letters
        "editor@hadaf.\u2c8f\u2c9f",  # Coptic
        "ali@دانشگاهtest.ایران",  # Arabic and Latin letters in one label
        "ali@دانشگاه\u200cها.ایران",  # a zero-width non-joiner
        "ali@دانِشگاه.ایران",  # a haraka (kasra)
        "ali@دانشـگاه.ایران",  # a tatweel
    ],
)
def test_look_alike_addresses_are_refused(address):
    assert email_problem(address)


@pytest.mark.parametrize(
    "address",
    [
        "Sara.Ahmadi+news@UT.ac.ir",
        "x1v-2@ut-3.ac.ir",
        "علی@دانشگاه.ایران",
        "ali@دانشگاه.ایران",
        "ali@xn--mgbawv3gi04e.xn--mgba3a4f16a",  # the same domain, as IDNA A-labels
        "ali@XN--MGBAWV3GI04E.ir",
    ],
)
def test_plain_and_arabic_script_addresses_are_accepted(address):
    assert email_problem(address) is None


PUNYCODE_LOOK_ALIKE = "admin@xn--hdf-6cdb.test"  # IDNA for "hаdаf" with Cyrillic а


@pytest.mark.parametrize(
    "address",
    [
        PUNYCODE_LOOK_ALIKE,
        "admin@XN--HDF-6CDB.test",
        "x1v@xn--j1ah.test",  # "ок", Cyrillic
        "editor@hadaf.xn--qxak2a",  # "τεκ", Greek
        "admin@xn--zzzz-zz.test",  # not an A-label at all
        "admin@xn--abc.test",  # decodes to control characters
    ],
)
def test_an_xn_label_is_checked_as_what_it_decodes_to(address):
    assert email_problem(address) == LOOK_ALIKE_MESSAGE


def test_the_punycode_spelling_is_the_same_address_as_the_refused_unicode_one():
    assert canonical_email(PUNYCODE_LOOK_ALIKE) == canonical_email("admin@hаdаf.test")
    assert email_problem("admin@hаdаf.test") == email_problem(PUNYCODE_LOOK_ALIKE)


@pytest.mark.parametrize(
    "address",
    [
        "x1v@١١.test",  # Arabic-Indic digits: IDNA refuses them, so they were stored as typed
        "x١v@hadaf.test",
        "ali۱۲@hadaf.test",  # Persian digits
        "ali@دانشگاه۱.ایران",
        "ali@\u0969.test",  # Devanagari three
        "ali@xn--embcd.test",  # "۱۲۳" as an A-label
    ],
)
def test_non_latin_digits_are_refused_with_a_message_asking_for_latin_ones(address):
    assert email_problem(address) == DIGITS_MESSAGE
    with translation.override("fa"):
        assert "ارقام آن را به لاتین" in str(email_problem(address))


def test_the_refusal_does_not_depend_on_an_account_having_the_address():
    before = [email_problem(address) for address in ("x1v@ок.test", PUNYCODE_LOOK_ALIKE)]
    UserFactory(email="x1v@xn--j1ah.test")  # stored directly, as before the rule
    after = [email_problem(address) for address in ("x1v@ок.test", PUNYCODE_LOOK_ALIKE)]
    assert before == after == [LOOK_ALIKE_MESSAGE, LOOK_ALIKE_MESSAGE]


# The database --------------------------------------------------------------------------------


def test_the_database_refuses_a_second_spelling_of_an_address():
    UserFactory(email="editor@hadaf.test")
    for variant in (LONG_S, FULLWIDTH, "EDITOR@hadaf.test"):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user(variant, DEFAULT_PASSWORD)
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.bulk_create([User(email=variant, password="!")])
    assert User.objects.count() == 1


def test_the_unique_index_and_the_check_are_in_the_database_itself():
    first = UserFactory(email="first@hadaf.test")
    second = UserFactory(email="second@hadaf.test")
    # Straight UPDATEs: no model code runs, only the database's constraints.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=second.pk).update(email_canonical=first.email_canonical)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=second.pk).update(email_canonical=None)
    User.objects.filter(pk=second.pk).update(email_canonical=None, is_active=False)


def test_the_admin_form_refuses_another_spelling_with_a_message():
    UserFactory(email="editor@hadaf.test")
    person = User(email="Editor@Hadaf.Test", first_name="ر", last_name="ک")
    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["password"])
    assert "email" in refused.value.message_dict
    look_alike = User(email=DOTLESS_I, first_name="ر", last_name="ک")
    with pytest.raises(ValidationError) as refused:
        look_alike.full_clean(exclude=["password"])
    assert "email" in refused.value.message_dict


# Sign-in: the lockout holds across spellings (finding 6) -------------------------------------


@pytest.fixture
def editor(db):
    return with_confirmed_email(EditorFactory(email="editor@hadaf.test"))


def fail(client, email, page):
    field = "username" if page.startswith("/admin/") else "login"
    return client.post(page, {field: email, "password": "wrong-password"})


def sign_in(client, email, page):
    field = "username" if page.startswith("/admin/") else "login"
    return client.post(page, {field: email, "password": DEFAULT_PASSWORD})


def login_pages():
    return [reverse("account_login"), reverse("wagtailadmin_login")]


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("variant", [LONG_S, FULLWIDTH_DOMAIN, "EDITOR@HADAF.TEST"])
@pytest.mark.parametrize("page", ["account_login", "wagtailadmin_login"])
def test_after_five_failures_no_spelling_of_the_address_signs_in(client, editor, variant, page):
    page = reverse(page)
    for _attempt in range(5):
        fail(client, "editor@hadaf.test", page)
    response = sign_in(client, variant, page)
    assert response.status_code == 429
    assert get_user(client).is_anonymous


@override_settings(AXES_ENABLED=True)
def test_spellings_share_one_count_of_failures(client, editor):
    accounts, admin = login_pages()
    for variant, page in [
        ("editor@hadaf.test", accounts),
        (LONG_S, accounts),
        ("Editor@Hadaf.Test", admin),
        (FULLWIDTH, admin),
    ]:
        assert fail(client, variant, page).status_code == 200
    assert fail(client, FULLWIDTH_DOMAIN, admin).status_code == 429
    assert sign_in(client, "editor@hadaf.test", accounts).status_code == 429
    assert get_user(client).is_anonymous


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("page", ["account_login", "wagtailadmin_login"])
def test_a_different_letter_is_a_different_address_and_signs_nobody_in(client, editor, page):
    page = reverse(page)
    for _attempt in range(5):
        fail(client, "editor@hadaf.test", page)
    for variant in (DOTLESS_I, CYRILLIC_DOMAIN):
        response = sign_in(client, variant, page)
        assert response.status_code in (200, 429)
        assert get_user(client).is_anonymous


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("page", ["account_login", "wagtailadmin_login"])
def test_any_spelling_of_the_address_signs_in_when_nothing_is_locked(client, editor, page):
    response = sign_in(client, LONG_S, reverse(page))
    assert response.status_code == 302
    assert get_user(client) == editor


# Sign-up: look-alikes are refused and cannot break the real account (finding 7) --------------


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "مهاجم",
            "last_name": "ناشناس",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "student",
            "university": "",
        },
    )


@pytest.fixture
def admin(db):
    return with_confirmed_email(
        EditorFactory(email="admin@hadaf.test", is_superuser=True, first_name="مدیر")
    )


@pytest.mark.parametrize(
    "look_alike",
    [
        "admın@hadaf.test",
        CYRILLIC_LOCAL,
        "admin@hadaf.tеst",
        "admin@hadaf.ｔest",
        "\u212aarim@hadaf.test",
        "admin@hadaf.teſt",
    ],
)
def test_a_look_alike_sign_up_is_refused_in_persian_and_creates_nothing(
    client, admin, mailoutbox, look_alike
):
    response = sign_up(client, look_alike)
    assert response.status_code == 200
    html = response.content.decode()
    # Refused as typed, whether the look-alike has an account or not: nothing is revealed.
    # Cyrillic in the local part already fails Django's syntax check, with its own message.
    assert LOOK_ALIKE_ERROR in html or "پست الکترونیکی صحیح وارد کنید" in html
    assert User.objects.count() == 1
    assert not EmailAddress.objects.exclude(user=admin).exists()
    assert mailoutbox == []


@pytest.mark.parametrize("page", ["account_login", "wagtailadmin_login"])
def test_the_real_account_signs_in_beside_a_look_alike_account(client, admin, page):
    # An account from before the fix (or inserted directly) with a look-alike address.
    impostor = UserFactory(email="admın@hadaf.test")
    assert impostor.email_canonical != admin.email_canonical
    sign_up(client, "admın@hadaf.test")

    response = sign_in(client, "admin@hadaf.test", reverse(page))
    assert response.status_code == 302
    assert get_user(client) == admin


def test_signing_up_with_another_spelling_of_a_stored_address_makes_no_second_account(
    client, mailoutbox
):
    # An account stored before canonical addresses, in a spelling allauth looks up exactly.
    owner = UserFactory(email="karim@hadaf.test")
    User.objects.filter(pk=owner.pk).update(email="\u212aarim@hadaf.test")
    response = sign_up(client, "karim@hadaf.test")
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert len(mailoutbox) == 1 and "حساب دارید" in mailoutbox[0].subject


# Email change and password reset ---------------------------------------------------------------


def test_changing_to_a_look_alike_address_is_refused(client, editor):
    client.force_login(editor)
    session = client.session
    # allauth asks for the password before an email change; count it as just given.
    session["account_reauthenticated_at"] = time.time()
    session.save()
    response = client.post(
        reverse("account_email"), {"email": "admın@hadaf.test", "action_add": ""}
    )
    assert response.status_code == 200
    assert LOOK_ALIKE_ERROR in response.content.decode()
    assert list(EmailAddress.objects.filter(user=editor).values_list("email", flat=True)) == [
        "editor@hadaf.test"
    ]


def test_a_reset_link_goes_only_to_the_account_s_own_address(client, editor, mailoutbox):
    refused = client.post(reverse("account_reset_password"), {"email": LONG_S})
    assert refused.status_code == 200 and LOOK_ALIKE_ERROR in refused.content.decode()
    assert mailoutbox == []

    client.post(reverse("account_reset_password"), {"email": "EDITOR@Hadaf.Test"})
    assert [message.to for message in mailoutbox] == [["editor@hadaf.test"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


# Invitations and erasure -------------------------------------------------------------------------


@pytest.fixture
def organization(db):
    from participation.choices import OrganizationKind
    from participation.organizations import services
    from tests.people.factories import UniversityFactory

    representative = UserFactory(email="rep@ut.ac.ir")
    organization = services.register(
        representative,
        name="انجمن علمی ریاضی",
        kind=OrganizationKind.STUDENT_ASSOCIATION,
        university=UniversityFactory(name="دانشگاه تهران"),
        description="انجمن دانشجویی",
    )
    return organization, representative


def test_invitations_are_stored_and_matched_in_the_canonical_form(organization):
    from participation.organizations import services

    organization, representative = organization
    invitation = services.invite(organization, representative, "New.Member@UT.ac.ir")
    assert invitation.email == "new.member@ut.ac.ir"

    look_alike = UserFactory(email="new.member@ut.ac.ır")  # dotless ı, stored before the fix
    assert list(services.pending_invitations_for(look_alike)) == []
    with pytest.raises(services.Refused):
        services.respond(invitation, look_alike, accept=True)

    invitee = UserFactory(email="new.member@ut.ac.ir")
    assert list(services.pending_invitations_for(invitee)) == [invitation]
    services.respond(invitation, invitee, accept=True)


@pytest.mark.parametrize("variant", ["rep@ut.ac.ır", "rep@ut.ac.ｉr", "rеp@ut.ac.ir"])
def test_a_look_alike_invitation_is_refused(organization, variant):
    from participation.organizations import services
    from participation.organizations.models import OrganizationInvitation

    organization, representative = organization
    with pytest.raises(services.Refused):
        services.invite(organization, representative, variant)
    assert not OrganizationInvitation.objects.exists()


@pytest.mark.parametrize("variant", [LONG_S, FULLWIDTH, FULLWIDTH_DOMAIN, "EDITOR@HADAF.TEST"])
def test_erasure_remembers_an_address_in_every_spelling(variant):
    from participation.privacy import services
    from participation.privacy.models import ErasedIdentity, ErasedParticipation

    assert services.email_hash(variant) == services.email_hash("editor@hadaf.test")
    call_key = uuid.uuid4()
    identity = ErasedIdentity.objects.create(email_hash=services.email_hash("editor@hadaf.test"))
    ErasedParticipation.objects.create(identity=identity, call_key=call_key)
    # An account whose address was stored in another spelling (before canonical forms).
    again = UserFactory(email="someone@hadaf.test")
    User.objects.filter(pk=again.pk).update(email=variant)
    again.refresh_from_db()
    assert services.has_answered_before(again, call_key)
    assert services.email_hash(DOTLESS_I) != services.email_hash("editor@hadaf.test")


# The migration's backfill ----------------------------------------------------------------------


def test_the_backfill_keeps_one_account_per_address_and_reports_the_others(caplog):
    migration = import_module("participation.people.migrations.0006_email_canonical")
    real = UserFactory(email="editor@hadaf.test")
    look_alike = UserFactory(email="other@hadaf.test")
    confusable = UserFactory(email="admın@hadaf.test")
    # What PostgreSQL could hold before: the same address in two spellings.
    User.objects.filter(pk=look_alike.pk).update(email=LONG_S)

    migration.backfill(apps, None)

    real.refresh_from_db()
    look_alike.refresh_from_db()
    confusable.refresh_from_db()
    assert (real.email_canonical, real.is_active) == ("editor@hadaf.test", True)
    assert (look_alike.email_canonical, look_alike.is_active) == (None, False)
    assert confusable.is_active and confusable.email_canonical == "admın@hadaf.test"
    report = caplog.text
    assert f"{look_alike.pk}->{real.pk}" in report
    assert str(confusable.pk) in report and "@" not in report


# Punycode spellings and the other places an address is typed for someone else (issue 16) ---------


def test_a_punycode_look_alike_sign_up_is_refused_and_its_unicode_spelling_signs_nobody_in(
    client, admin, mailoutbox
):
    for spelling in (PUNYCODE_LOOK_ALIKE, "admin@XN--HDF-6CDB.test"):
        response = sign_up(client, spelling)
        assert response.status_code == 200
        assert LOOK_ALIKE_ERROR in response.content.decode()
    assert User.objects.count() == 1 and mailoutbox == []
    response = sign_in(client, "admin@hаdаf.test", reverse("account_login"))
    assert get_user(client).is_anonymous


def test_a_sign_up_with_persian_digits_asks_for_latin_digits(client, mailoutbox):
    response = sign_up(client, "x1v@١١.test")
    assert response.status_code == 200
    assert "ارقام آن را به لاتین" in response.content.decode()
    assert not User.objects.exists() and mailoutbox == []


@pytest.mark.parametrize("variant", [PUNYCODE_LOOK_ALIKE, "rep@ок.test", "rep@١١.test"])
def test_an_organization_invitation_to_a_punycode_or_other_script_look_alike_is_refused(
    organization, variant
):
    from participation.organizations import services
    from participation.organizations.models import OrganizationInvitation

    organization, representative = organization
    with pytest.raises(services.Refused):
        services.invite(organization, representative, variant)
    assert not OrganizationInvitation.objects.exists()


def email_forms():
    from participation.ideas.admin_screens.jury_screen import JurorForm
    from participation.ideas.forms import CoAuthorForm
    from participation.incentives.forms import AwardForm
    from participation.organizations.forms import InviteForm

    return [CoAuthorForm, JurorForm, InviteForm, AwardForm]


@pytest.mark.parametrize("form_class", email_forms())
@pytest.mark.parametrize(
    "look_alike",
    ["admin@hаdаf.test", "edıtor@hadaf.test", "admın@hadaf.test", PUNYCODE_LOOK_ALIKE],
)
def test_every_form_taking_someone_else_s_address_refuses_look_alikes(form_class, look_alike):
    form = form_class(data={"email": look_alike})
    assert not form.is_valid()
    codes = [error.code for error in form.errors.as_data()["email"]]
    assert "look_alike_email" in codes
