"""Account forms: allauth's, with our labels and input hints; the profile form.

allauth's own forms are kept for their behaviour (enumeration prevention, rate limits,
password validation); these subclasses only relabel them with strings from our catalogue
and give every input the attributes phones and password managers need: ``autocomplete``,
``dir="ltr"`` on email addresses and passwords (Latin text inside a right-to-left page),
no automatic capitals or spell checking on addresses.
"""

from allauth.account import app_settings
from allauth.account import forms as allauth_forms
from allauth.account.fields import EmailField
from allauth.core import context, ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from participation.choices import AcademicRank, Role
from participation.emails import canonical_email, validate_email_identity
from participation.persian import to_latin_digits
from participation.phones import canonical_phone
from participation.protection.accounts import GuardedFormMixin
from participation.protection.traps import BotTrapForm

from .models import University, User
from .names import normalize_name
from .throttling import rate_limit_wait, too_many_requests

EMAIL_ATTRS = {
    "type": "email",
    "dir": "ltr",
    "inputmode": "email",
    "autocapitalize": "none",
    "spellcheck": "false",
    "placeholder": "name@university.ac.ir",
}
PHONE_ATTRS = {
    "type": "tel",
    "dir": "ltr",
    "inputmode": "tel",
    "autocomplete": "tel",
    "placeholder": "0912 345 6789",
}
CODE_ATTRS = {
    "dir": "ltr",
    "inputmode": "numeric",
    "autocomplete": "one-time-code",
    "autocapitalize": "none",
    "spellcheck": "false",
    "maxlength": "12",
    "placeholder": "",
}
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length
PHONE_LIMITED_MESSAGE = _(
    "Too many codes were asked for this mobile number or from your connection in a short "
    "time. No text message was sent."
)


class PhoneField(forms.CharField):
    """An Iranian mobile number in any spelling, cleaned to its canonical ``+989…``.

    allauth builds every phone input through the adapter's ``phone_form_field``, so
    sign-up, sign-in by code and changing the number all use this one.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "help_text", _("Your Iranian mobile number; we send a one-time code to it.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(PHONE_ATTRS)))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return canonical_phone(value) if value else value


class CodeField(forms.CharField):
    """A one-time code typed with Persian, Arabic or Latin digits, spaces or dashes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("help_text", _("The six-digit code in the text message we sent you."))
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(CODE_ATTRS)))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = to_latin_digits(super().to_python(value))
        return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def refuse_if_phone_limited(action, phone):
    """Answer 429 (Retry-After, a Persian page) when allauth's limits for ``action`` would
    refuse ``phone`` or this address; nothing is counted here, allauth counts on sending."""
    request = context.request
    if request is None or ratelimit.consume(request, action=action, key=phone, dry_run=True):
        return
    wait = rate_limit_wait(request, action, phone)
    raise ImmediateHttpResponse(
        too_many_requests(request, retry_after=wait, message=PHONE_LIMITED_MESSAGE)
    )


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's login form with a translated password label (Wagtail leaves it unset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


def email_input(field, label, autocomplete="email"):
    """Relabel an email field and give it the attributes of an address typed on a phone."""
    field.label = label
    field.help_text = ""
    field.widget.attrs.update(EMAIL_ATTRS, autocomplete=autocomplete)


def check_typed_email(form, name="email"):
    """Refuse a look-alike address as it was typed.

    allauth's email field lower-cases before our adapter sees the value, and lower-casing
    already turns the Kelvin sign into ``k``: the check must see the raw input.
    """
    field = form.fields[name]
    typed = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    validate_email_identity((typed or "").strip())


def password_input(field, label, autocomplete="new-password"):
    """Relabel a password field; passwords are Latin text, so they run left to right."""
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(dir="ltr", autocomplete=autocomplete)


def name_field(label, autocomplete):
    return forms.CharField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "dir": "auto"}),
    )


def university_field(required=False):
    return forms.ModelChoiceField(
        label=_("University"),
        queryset=University.objects.all(),
        required=required,
        empty_label=_("My university is not listed"),
        help_text=_("Editors keep this list; if yours is missing, an editor can add it."),
    )


def role_field():
    return forms.ChoiceField(
        label=_("I am a"),
        choices=Role.choices,
        widget=forms.RadioSelect,
    )


class NameFieldsMixin:
    """Names are normalized (Persian letters, no bidi controls) before they are checked."""

    def _clean_name(self, name):
        value = normalize_name(self.cleaned_data.get(name))
        if not value:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return value

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_last_name(self):
        return self._clean_name("last_name")


class LoginForm(GuardedFormMixin, allauth_forms.LoginForm):
    """Sign in with an email address (any letter case) and a password."""

    guard_scope = "login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Passwords go with email addresses; mobile numbers sign in by code
        # (RequestLoginCodeForm), so this field stays an email field.
        self.fields["login"] = EmailField()
        self.order_fields(["login", "password", "remember"])
        email_input(self.fields["login"], _("Email address"), autocomplete="username")
        password_input(self.fields["password"], _("Password"), autocomplete="current-password")
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")

    def clean_login(self):
        """The canonical address: what the backends look up and axes counts failures by."""
        return canonical_email(super().clean_login())


class SignupForm(GuardedFormMixin, BotTrapForm, NameFieldsMixin, allauth_forms.SignupForm):
    """Sign up: name, email, password, role and university.

    allauth decides what happens to an address that already has an account (an email to
    it, and the same "check your inbox" page as for a new one), so the form never says.
    """

    first_name = name_field(_("First name"), "given-name")
    last_name = name_field(_("Last name"), "family-name")
    role = role_field()
    university = university_field()

    field_order = ["first_name", "last_name", "email", "password1", "password2", "role"]
    guard_scope = "signup"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email_input(self.fields["email"], _("Email address"))
        self.fields["email"].help_text = _(
            "Use your university address if you have one: it verifies your academic status at once."
        )
        password_input(self.fields["password1"], _("Password"))
        if "password2" in self.fields:
            password_input(self.fields["password2"], _("Password again"))
        self.order_fields([*self.field_order, "university"])
        self.set_up_honeypot()

    def _get_signup_fields(self, kwargs):
        """allauth's fields without the mobile number: that is PhoneSignupForm's way in."""
        fields = super()._get_signup_fields(kwargs)
        return {name: spec for name, spec in fields.items() if name != "phone"}

    def set_up_honeypot(self):
        self.honeypot_name = app_settings.SIGNUP_FORM_HONEYPOT_FIELD
        if self.honeypot_name in self.fields:
            # allauth hides it with an inline style; the template hides it instead.
            self.fields[self.honeypot_name].widget.attrs = {"tabindex": "-1", "autocomplete": "off"}

    def clean_email(self):
        check_typed_email(self)
        return super().clean_email()

    def validate_unique_email(self, value):
        """allauth's check, plus accounts whose stored address is another spelling of it.

        Either way allauth answers as for a new address and emails the owner instead.
        """
        email = super().validate_unique_email(value)
        if User.objects.by_email(email).exists():
            self.account_already_exists = True
        return email

    @property
    def honeypot(self):
        """The field robots fill in and people never see (``None`` when turned off)."""
        return self[self.honeypot_name] if self.honeypot_name in self.fields else None

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != self.honeypot_name]


class PhoneSignupForm(SignupForm):
    """Sign up with a mobile number: name, number, role and university; no password.

    allauth's phone verification stage then sends the code, and the account is usable
    once it is typed. A number that already has an account gets the same code page
    (allauth's enumeration prevention), which offers signing in by code instead.
    """

    field_order = ["first_name", "last_name", "phone", "role"]

    def __init__(self, *args, **kwargs):
        super(SignupForm, self).__init__(*args, **kwargs)
        self.order_fields([*self.field_order, "university"])
        self.set_up_honeypot()

    def _get_signup_fields(self, kwargs):
        return {"phone": {"required": True}}

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone:
            refuse_if_phone_limited("verify_phone", phone)
        return phone


class RequestLoginCodeForm(GuardedFormMixin, allauth_forms.RequestLoginCodeForm):
    """Sign in by mobile number: a one-time code goes to it by text message.

    The answer is the same whether the number has an account or not (the code page),
    and the number's and the address's limits apply before anything is sent.
    """

    guard_scope = "login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("email", None)
        self.fields["phone"].required = True
        self._user = None

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone:
            refuse_if_phone_limited("request_login_code", phone)
        return super().clean_phone()


class ConfirmLoginCodeForm(allauth_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = CodeField()


class VerifyPhoneForm(allauth_forms.VerifyPhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = CodeField()


class ChangePhoneForm(allauth_forms.ChangePhoneForm):
    """Add a mobile number to an account, or change it; the new one is confirmed by code."""

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone:
            refuse_if_phone_limited("verify_phone", phone)
        return super().clean_phone()


class ResetPasswordForm(GuardedFormMixin, allauth_forms.ResetPasswordForm):
    guard_scope = "password_reset"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email_input(self.fields["email"], _("Email address"), autocomplete="username")

    def clean_email(self):
        """The canonical address; the account found by it in any stored spelling."""
        check_typed_email(self)
        email = canonical_email(super().clean_email())
        if not self.users:
            self.users = list(User.objects.by_email(email).filter(is_active=True))
        return email


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password_input(self.fields["password1"], _("New password"))
        password_input(self.fields["password2"], _("New password again"))


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password_input(self.fields["oldpassword"], _("Current password"), "current-password")
        self.fields["oldpassword"].help_text = ""
        password_input(self.fields["password1"], _("New password"))
        password_input(self.fields["password2"], _("New password again"))


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password_input(self.fields["password1"], _("Password"))
        password_input(self.fields["password2"], _("Password again"))


class AddEmailForm(allauth_forms.AddEmailForm):
    """The new address; it replaces the current one once its owner confirms it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email_input(self.fields["email"], _("New email address"))

    def clean_email(self):
        check_typed_email(self)
        return super().clean_email()


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password_input(self.fields["password"], _("Password"), "current-password")


class ProfileForm(NameFieldsMixin, forms.ModelForm):
    """The person's own profile; faculty members also give their academic rank."""

    first_name = name_field(_("First name"), "given-name")
    last_name = name_field(_("Last name"), "family-name")
    role = role_field()
    university = university_field()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "role", "university", "faculty", "academic_rank"]
        labels = {
            "faculty": _("Faculty or field of study"),
            "academic_rank": _("Academic rank"),
        }
        help_texts = {
            "academic_rank": _("Needed for faculty members; leave empty otherwise."),
        }
        widgets = {"faculty": forms.TextInput(attrs={"autocomplete": "organization-title"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rank = self.fields["academic_rank"]
        rank.choices = [("", _("No rank (not a faculty member)")), *AcademicRank.choices]
        if self.instance.is_academic_verified:
            self.fields["university"].help_text = _(
                "Your academic status is verified for this university. Choosing another "
                "one withdraws it until it is verified again."
            )

    def clean_faculty(self):
        return normalize_name(self.cleaned_data.get("faculty"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.FACULTY:
            if not cleaned.get("academic_rank"):
                self.add_error(
                    "academic_rank", _("Choose your academic rank; faculty members need one.")
                )
        else:
            cleaned["academic_rank"] = ""
        return cleaned

    def save(self, commit=True):
        person = super().save(commit=False)
        if "university" in self.changed_data and person.is_academic_verified:
            # The status was confirmed for the old university, not the new one.
            person.academic_verified_at = None
            person.academic_verified_via = ""
        if commit:
            person.save()
        return person
