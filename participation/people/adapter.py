"""allauth's account adapter: our messages, subjects, profile fields and redirects."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.emails import canonical_email, validate_email_identity
from participation.mail import site_url
from participation.phones import canonical_phone, canonical_phone_or_none

from . import sms
from .names import normalize_name
from .throttling import client_ip

# allauth's "code sent" messages, left out when the gateway refused the text message.
CODE_SENT_MESSAGES = {
    "account/messages/login_code_sent.txt",
    "account/messages/phone_verification_sent.txt",
}
SMS_FAILED_MESSAGE = _(
    "We could not send the text message: the SMS service is not answering right now. "
    "Nothing is lost. Wait a minute, then press “Send the code again”."
)

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
    "incorrect_code": _("This code is not correct. Check the text message and type it again."),
    "phone_taken": _("This mobile number cannot be used. Try another one."),
    "unknown_phone": _("The mobile number or the code is not correct."),
    "phone_password_mismatch": _("The mobile number or the password is not correct."),
    "select_only_one": _("Give an email address or a mobile number, not both."),
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

    def get_login_stages(self):
        """allauth's stages, with email verification skipped where a number stands for it."""
        return [
            "participation.people.stages.EmailVerificationStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        """allauth's messages, but no "code sent" after the gateway refused to send it."""
        if getattr(request, "hadaf_sms_failed", False) and message_template in CODE_SENT_MESSAGES:
            return
        return super().add_message(request, level, message_template, *args, **kwargs)

    # ---- Mobile numbers (allauth's phone support; participation/phones.py) -------------

    def phone_form_field(self, **kwargs):
        """A mobile number input that reads every way Iranians write one (forms.PhoneField)."""
        from .forms import PhoneField

        kwargs.pop("label", None)  # allauth's "Phone": ours says which kind of number
        return PhoneField(**kwargs)

    def clean_phone(self, phone):
        """The canonical form (``+989…``) of an Iranian mobile number, or a Persian error."""
        return canonical_phone(phone)

    def set_phone(self, user, phone, verified):
        user.phone = canonical_phone(phone)
        user.phone_verified_at = timezone.now() if verified else None
        if user.pk is not None:  # save_user(commit=False) sets it before the first save
            user.save(update_fields=["phone", "phone_verified_at"])

    def get_phone(self, user):
        if not getattr(user, "phone", None):
            return None
        return user.phone, user.is_phone_verified

    def set_phone_verified(self, user, phone):
        user.phone = canonical_phone(phone)
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone", "phone_verified_at"])

    def get_user_by_phone(self, phone):
        if not canonical_phone_or_none(phone):
            return None
        return get_user_model().objects.by_phone(phone).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        """Send the code by the configured gateway (sms.py).

        A gateway failure is not an error page: the person lands on the code page as
        usual, told that the message was not sent, with the "send again" button (allauth's
        resend) as the way to retry. The code is never logged.
        """
        try:
            sms.send_code(canonical_phone(phone), code)
        except sms.SmsError:
            request = self.request or context.request
            if request is not None:
                request.hadaf_sms_failed = True
                messages.error(request, SMS_FAILED_MESSAGE)

    def send_unknown_account_sms(self, phone, **kwargs):
        """Nothing: a text to a number with no account would cost money and say nothing the
        code page doesn't (it looks the same whether the number has an account or not)."""

    def send_account_already_exists_sms(self, phone):
        """Nothing, as above; the code page links to signing in by code."""

    def get_logout_redirect_url(self, request):
        """The home page in the visitor's language (``/`` or ``/en/``)."""
        return reverse("wagtail_serve", args=[""])
