"""Password rules with numbers written the reader's way («۸», not "8", on Persian pages).

Django's own messages format the length with ``%d``, so a translation cannot change its
digits; these say the same with the number already localized.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from participation.persian import localize_digits


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, its messages with localized digits."""

    def get_error_message(self):
        """The refusal of a password that is too short."""
        return ngettext(
            "This password is too short. It must contain at least %(min_length)s character.",
            "This password is too short. It must contain at least %(min_length)s characters.",
            self.min_length,
        ) % {"min_length": localize_digits(self.min_length)}

    def get_help_text(self):
        """The rule, as the sign-up form shows it."""
        return ngettext(
            "Your password must contain at least %(min_length)s character.",
            "Your password must contain at least %(min_length)s characters.",
            self.min_length,
        ) % {"min_length": localize_digits(self.min_length)}
