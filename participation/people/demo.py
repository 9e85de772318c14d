"""Demo accounts for ``seed_demo``: an editor, an administrator and participants."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .choices import Role

DEMO_EMAIL_DOMAIN = "hadaf.test"  # A reserved top-level domain: mail never leaves.

EDITOR_EMAIL = f"editor@{DEMO_EMAIL_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"

PARTICIPANTS = [
    # (email local part, first name, last name, role)
    ("sara.ahmadi", "سارا", "احمدی", Role.STUDENT),
    ("ali.rezaei", "علی", "رضایی", Role.STUDENT),
    ("fatemeh.karimi", "فاطمه", "کریمی", Role.STUDENT),
    ("mohammad.hosseini", "محمد", "حسینی", Role.FACULTY),
    ("zahra.moradi", "زهرا", "مرادی", Role.FACULTY),
    ("reza.jafari", "رضا", "جعفری", Role.STAFF),
    # Represents a student association until organizations have their own model.
    ("anjoman.elmi", "انجمن علمی", "مهندسی کامپیوتر", Role.STUDENT),
]


def demo_password():
    """The demo accounts' password: ``DEMO_PASSWORD`` or a documented default."""
    return os.environ.get("DEMO_PASSWORD", "hadaf-demo-1404")


def _ensure_user(email, first_name, last_name, **fields):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, **fields},
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
    return user


def seed_accounts():
    """Create the demo accounts once; later runs leave them (and their passwords) alone."""
    editor = _ensure_user(EDITOR_EMAIL, "مریم", "ویراستار", is_staff=True)
    editor_groups = Group.objects.filter(name__in=["Editors", "Moderators"])
    editor.groups.add(*editor_groups)
    admin = _ensure_user(ADMIN_EMAIL, "مدیر", "سامانه", is_staff=True, is_superuser=True)
    participants = [
        _ensure_user(f"{local}@{DEMO_EMAIL_DOMAIN}", first, last, role=role)
        for local, first, last, role in PARTICIPANTS
    ]
    return {"editor": editor, "admin": admin, "participants": participants}


def demo_admin():
    """The demo administrator account (``seed_accounts`` creates it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=ADMIN_EMAIL)


def demo_editor():
    """The demo editor account (``seed_accounts`` creates it)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=EDITOR_EMAIL)
