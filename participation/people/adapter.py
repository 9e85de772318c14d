"""allauth's account adapter: our messages, subjects, profile fields and redirects."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .names import normalize_name
from .throttling import client_ip

# allauth's messages with strings from our catalogue. Wherever a message could tell a
# stranger whether an address has an account, allauth shows none (PREVENT_ENUMERATION);
# the ones that remain speak only of what the visitor typed.
ERROR_MESSAGES = {
    "account_inactive": _("This account is inactive."),
    "cannot_remove_primary_email": _("You cannot remove your primary email address."),
    "duplicate_email": _("This email address is already yours."),
    "email_password_mismatch": _("The email address or the password is not correct."),
    "email_taken": _("This email address cannot be used. Try another one."),
    "enter_current_password": _("Type your current password."),
    "incorrect_password": _("The password is not correct."),
    "invalid_or_expired_key": _("This link is not valid or has expired."),
    "invalid_login": _("The email address or the password is not correct."),
    "invalid_password_reset": _("This password reset link is not valid or has expired."),
    "max_email_addresses": _("You cannot add more than %d email addresses."),
    "too_many_login_attempts": _("Too many failed attempts to sign in. Try again later."),
    "unknown_email": _("The email address or the password is not correct."),
    "unverified_primary_email": _("Confirm your email address first."),
    "same_as_current": _("This is already your email address."),
    "rate_limited": _("Too many requests. Please wait a few minutes and try again."),
}


class AccountAdapter(DefaultAccountAdapter):
    """Hadaf's account behaviour on top of allauth's defaults."""

    error_messages = {**DefaultAccountAdapter.error_messages, **ERROR_MESSAGES}

    def format_email_subject(self, subject):
        """``[هدف] subject``: the site's translated name, not the host name."""
        return f"[{gettext('Hadaf')}] {subject}"

    def save_user(self, request, user, form, commit=True):
        """Save a new account with the profile fields the sign-up form asked for."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.first_name = normalize_name(data.get("first_name"))
        user.last_name = normalize_name(data.get("last_name"))
        user.role = data.get("role") or ""
        user.university = data.get("university")
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        """The address rate limits count by; see :func:`throttling.client_ip`."""
        return client_ip(request) or super().get_client_ip(request)

    def get_logout_redirect_url(self, request):
        """The home page in the visitor's language (``/`` or ``/en/``)."""
        return reverse("wagtail_serve", args=[""])
