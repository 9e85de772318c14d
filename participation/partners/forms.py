"""Admin forms of partner sites and keys: addresses and origins checked before saving."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .choices import KeyScope


def _lines(value):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def clean_origin(line):
    """``scheme://host[:port]`` lower-cased, or a ValidationError naming the line."""
    parts = urlsplit(line)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise forms.ValidationError(
            _("“%(origin)s” is not an origin such as https://example.ac.ir."),
            params={"origin": line},
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


class PartnerSiteForm(WagtailAdminModelForm):
    def clean_redirect_uris(self):
        uris = _lines(self.cleaned_data["redirect_uris"])
        for uri in uris:
            parts = urlsplit(uri)
            if parts.scheme != "https" or not parts.hostname or parts.fragment:
                raise forms.ValidationError(
                    _("“%(uri)s” is not an https address without a fragment."),
                    params={"uri": uri},
                )
        return "\n".join(uris)


class PartnerKeyForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=KeyScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What a partner site may do with this key."),
    )

    def clean_allowed_origins(self):
        return "\n".join(
            clean_origin(line) for line in _lines(self.cleaned_data["allowed_origins"])
        )
