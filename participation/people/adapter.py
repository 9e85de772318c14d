"""allauth's account adapter: our messages, subjects, profile fields and redirects."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.emails import canonical_email, validate_email_identity
from participation.mail import site_url

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

    def send_mail(self, template_prefix, email, context):
        """Send with every link on the configured site address, not the request's host.

        allauth builds ``activate_url``, ``password_reset_url``, ``signup_url``… from the
        request's Host header, which the requester chooses (issue 16, finding 9).
        """
        links = {
            name: site_url(value)
            for name, value in context.items()
            if name.endswith("_url") and isinstance(value, str) and value
        }
        return super().send_mail(template_prefix, email, {**context, **links})

    def clean_email(self, email):
        """Refuse look-alike addresses; everything allauth stores or looks up is canonical.

        allauth calls this on sign-up, email change and password reset, then compares and
        stores the result with exact equality, so its own look-ups (``EmailAddress`` and
        ``User.email``) see one spelling per address. Refusing says nothing about accounts:
        it depends on what was typed alone.
        """
        validate_email_identity(email)
        return canonical_email(super().clean_email(email))

    def confirm_email(self, request, email_address):
        """Refuse to confirm an address another account has in any spelling.

        allauth checks only its own table, in one spelling; accounts from before canonical
        addresses may differ there. The message is allauth's own for a conflict.
        """
        taken = (
            get_user_model()
            .objects.by_email(email_address.email)
            .exclude(pk=email_address.user_id)
            .exists()
        )
        if taken:
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        return super().confirm_email(request, email_address)

    def send_password_reset_mail(self, user, email, context):
        """Send the reset link to the account's own address, never to what was typed.

        Look-ups are by canonical form, so a differently spelled address (``ſ`` for ``s``)
        finds the account; the link must still go only where the account's mail goes.
        """
        return super().send_password_reset_mail(user, user.email, context)

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
