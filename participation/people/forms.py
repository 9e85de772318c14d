"""Account forms: allauth's, with our labels and input hints; the profile form.

allauth's own forms are kept for their behaviour (enumeration prevention, rate limits,
password validation); these subclasses only relabel them with strings from our catalogue
and give every input the attributes phones and password managers need: ``autocomplete``,
``dir="ltr"`` on email addresses and passwords (Latin text inside a right-to-left page),
no automatic capitals or spell checking on addresses.
"""

from allauth.account import app_settings
from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from participation.choices import AcademicRank, Role
from participation.emails import canonical_email, validate_email_identity
from participation.protection.accounts import GuardedFormMixin
from participation.protection.traps import BotTrapForm

from .models import University, User
from .names import normalize_name

EMAIL_ATTRS = {
    "type": "email",
    "dir": "ltr",
    "inputmode": "email",
    "autocapitalize": "none",
    "spellcheck": "false",
    "placeholder": "name@university.ac.ir",
}
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length


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
