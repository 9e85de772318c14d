from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .managers import UserManager


class User(AbstractUser):
    """A person: signs in with their email; students, faculty and staff alike.

    Profile details that grow with later work (university, faculty, rank,
    verification) belong here or in models beside it, never in a second user table.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    academic_verified_at = models.DateTimeField(
        _("academic status verified at"),
        null=True,
        blank=True,
        help_text=_("Set when a university email or an editor confirms the person is an academic."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
