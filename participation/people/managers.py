from django.contrib.auth.base_user import BaseUserManager

from participation.emails import canonical_email
from participation.phones import canonical_phone, canonical_phone_or_none


class UserManager(BaseUserManager):
    """Creates users identified by their email address instead of a username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email and not extra_fields.get("phone"):
            raise ValueError("An email address or a mobile number is required.")
        if email:
            email = self.normalize_email(email).lower()
        if extra_fields.get("phone"):
            extra_fields["phone"] = canonical_phone(extra_fields["phone"])
        user = self.model(email=email or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def by_email(self, address):
        """People whose address is ``address`` in any spelling (at most one; emails.py)."""
        return self.filter(email_canonical=canonical_email(address))

    def by_phone(self, number):
        """People whose mobile number is ``number`` in any spelling (at most one; phones.py)."""
        canonical = canonical_phone_or_none(number)
        return self.filter(phone=canonical) if canonical else self.none()

    def get_by_natural_key(self, username):
        # Both login pages (Django's ModelBackend) and fixtures come here: compare the
        # canonical forms exactly, never with the database's own case folding.
        return self.get(email_canonical=canonical_email(username))
