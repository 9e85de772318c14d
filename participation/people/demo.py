"""Demo accounts for ``seed_demo``: an editor, an administrator and participants."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from participation.choices import AcademicRank, AcademicVerification, Role

from .models import University

DEMO_EMAIL_DOMAIN = "hadaf.test"  # A reserved top-level domain: mail never leaves.

EDITOR_EMAIL = f"editor@{DEMO_EMAIL_DOMAIN}"
MODERATOR_EMAIL = f"moderator@{DEMO_EMAIL_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
# The demo student organization: the ideas demo enters a submission for it, the
# organizations demo verifies it and gives it members.
ORGANIZATION_NAME = "انجمن علمی مهندسی کامپیوتر دانشگاه تهران"

# The demo universities and their email domains; participation/ideas/demo.py gets the
# same rows by name.
UNIVERSITIES = [
    ("دانشگاه تهران", "ut.ac.ir"),
    ("دانشگاه صنعتی شریف", "sharif.edu"),
    ("دانشگاه شیراز", "shirazu.ac.ir"),
    ("دانشگاه فردوسی مشهد", "um.ac.ir"),
    ("دانشگاه اصفهان", "ui.ac.ir"),
    ("دانشگاه تبریز", "tabrizu.ac.ir"),
    ("دانشگاه علامه طباطبائی", "atu.ac.ir"),
    ("دانشگاه گیلان", "guilan.ac.ir"),
]
TEHRAN, SHARIF, SHIRAZ, MASHHAD = (name for name, _domain in UNIVERSITIES[:4])

PARTICIPANTS = [
    # (email local part, first name, last name, role, university, faculty or field, rank,
    #  verified by an editor)
    ("sara.ahmadi", "سارا", "احمدی", Role.STUDENT, TEHRAN, "جامعه‌شناسی", "", True),
    ("ali.rezaei", "علی", "رضایی", Role.STUDENT, SHARIF, "مهندسی برق", "", True),
    # Left for the demo editor to verify (Admin → People → Academic verification).
    ("fatemeh.karimi", "فاطمه", "کریمی", Role.STUDENT, SHIRAZ, "ادبیات فارسی", "", False),
    (
        "mohammad.hosseini",
        "محمد",
        "حسینی",
        Role.FACULTY,
        TEHRAN,
        "دانشکدهٔ علوم اجتماعی",
        AcademicRank.ASSOCIATE_PROFESSOR,
        True,
    ),
    (
        "zahra.moradi",
        "زهرا",
        "مرادی",
        Role.FACULTY,
        MASHHAD,
        "دانشکدهٔ الهیات",
        AcademicRank.ASSISTANT_PROFESSOR,
        True,
    ),
    ("reza.jafari", "رضا", "جعفری", Role.STAFF, SHARIF, "معاونت فرهنگی", "", True),
    # Represents the demo student association (participation/ideas/demo.py).
    ("anjoman.elmi", "انجمن علمی", "مهندسی کامپیوتر", Role.STUDENT, TEHRAN, "", "", True),
]


def demo_password():
    """The demo accounts' password: ``DEMO_PASSWORD`` or a documented default."""
    return os.environ.get("DEMO_PASSWORD", "hadaf-demo-1404")


def ensure_universities():
    """The demo universities by name (created once, with their email domains)."""
    return {
        name: University.objects.get_or_create(name=name, defaults={"email_domains": domain})[0]
        for name, domain in UNIVERSITIES
    }


def confirm_addresses(users):
    """Mark each of ``users``' own address confirmed and primary, as allauth needs to sign in.

    Demo mail goes nowhere, so no one could click a confirmation link; rows that exist are
    made verified and primary, missing rows are added.
    """
    from allauth.account.models import EmailAddress

    users = list(users)
    EmailAddress.objects.filter(user__in=users).exclude(verified=True, primary=True).filter(
        email__in=[user.email for user in users]
    ).update(verified=True, primary=True)
    have = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
        if user.pk not in have
    )


def _ensure_user(email, first_name, last_name, **fields):
    """The account ``email`` (created once), with a confirmed address for signing in."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, **fields},
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
    # allauth lets only confirmed addresses sign in; demo mail goes nowhere to confirm.
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _participant(local, first, last, role, university, faculty, rank, verified, now):
    fields = {"role": role, "university": university, "faculty": faculty, "academic_rank": rank}
    if verified:
        fields.update(academic_verified_at=now, academic_verified_via=AcademicVerification.EDITOR)
    return _ensure_user(f"{local}@{DEMO_EMAIL_DOMAIN}", first, last, **fields)


def seed_accounts():
    """Create the demo accounts once; later runs leave them (and their passwords) alone."""
    # Two people, two roles: the editor writes and submits calls, the moderator approves
    # them, so no call is published on its author's word alone.
    editor = _ensure_user(EDITOR_EMAIL, "مریم", "ویراستار", is_staff=True)
    editor.groups.add(*Group.objects.filter(name="Editors"))
    editor.groups.remove(*Group.objects.filter(name="Moderators"))  # earlier seeds added it
    moderator = _ensure_user(MODERATOR_EMAIL, "حمید", "ناظر", is_staff=True)
    moderator.groups.add(*Group.objects.filter(name="Moderators"))
    admin = _ensure_user(ADMIN_EMAIL, "مدیر", "سامانه", is_staff=True, is_superuser=True)
    universities = ensure_universities()
    now = timezone.now()
    participants = [
        _participant(local, first, last, role, universities[university], *rest, now=now)
        for local, first, last, role, university, *rest in PARTICIPANTS
    ]
    return {
        "editor": editor,
        "moderator": moderator,
        "admin": admin,
        "participants": participants,
    }


def demo_admin():
    """The demo administrator account (``seed_accounts`` creates it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=ADMIN_EMAIL)


def demo_moderator():
    """The demo moderator account (``seed_accounts`` creates it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=MODERATOR_EMAIL)


def demo_editor():
    """The demo editor account (``seed_accounts`` creates it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=EDITOR_EMAIL)
