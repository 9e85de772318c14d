import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

from participation.choices import Role
from tests.people.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_custom_user_model_is_active():
    User = get_user_model()
    assert User._meta.label == "people.User"
    assert User.USERNAME_FIELD == "email"
    assert not any(field.name == "username" for field in User._meta.fields)


def test_people_first_migration_creates_the_user_model():
    from importlib import import_module

    migration = import_module("participation.people.migrations.0001_initial").Migration
    created = [op.name for op in migration.operations if op.__class__.__name__ == "CreateModel"]
    assert "User" in created
    assert migration.initial is True


def test_email_is_the_login_and_case_does_not_matter():
    user = UserFactory(email="Sara.Ahmadi@University.test")
    assert user.email == "sara.ahmadi@university.test"
    assert authenticate(username="SARA.AHMADI@university.test", password=DEFAULT_PASSWORD) == user
    assert authenticate(username="sara.ahmadi@university.test", password="wrong") is None


def test_email_is_unique_whatever_its_case():
    UserFactory(email="ali@university.test")
    User = get_user_model()
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="ALI@university.test", password="x-long-password")


def test_create_superuser_and_role():
    User = get_user_model()
    admin = User.objects.create_superuser(email="root@hadaf.test", password="x-long-password")
    assert admin.is_staff and admin.is_superuser
    faculty = User.objects.create_user(email="prof@university.test", role=Role.FACULTY)
    assert faculty.get_role_display() == "عضو هیئت علمی"
    assert not faculty.has_usable_password()


def test_str_prefers_the_full_name():
    user = UserFactory(first_name="فاطمه", last_name="کریمی")
    assert str(user) == "فاطمه کریمی"


def test_create_user_requires_an_email():
    with pytest.raises(ValueError):
        get_user_model().objects.create_user(email="", password="x")
