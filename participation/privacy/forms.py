from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.persian import normalize_for_search

# What the person types to confirm; the English word is accepted in every language.
CONFIRMATION_WORD = "ERASE"


def confirmation_word():
    return gettext("ERASE")


class EraseAccountForm(forms.Form):
    """The password and a typed word: erasing cannot be undone, so no click does it alone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Type the word to confirm"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["confirmation"].help_text = _("Type «%(word)s» to confirm.") % {
            "word": confirmation_word()
        }

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password

    def clean_confirmation(self):
        typed = normalize_for_search(self.cleaned_data["confirmation"])
        accepted = {normalize_for_search(word) for word in (confirmation_word(), CONFIRMATION_WORD)}
        if typed not in accepted:
            raise forms.ValidationError(
                _("Type «%(word)s» exactly to confirm.") % {"word": confirmation_word()},
                code="confirmation",
            )
        return typed
