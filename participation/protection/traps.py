"""Bot traps of the public forms: a honeypot field and a minimum time to fill the form in.

:class:`BotTrapForm` adds the signed render time to a form (one line: make it the
form's base), ``protection/includes/bot_trap.html`` draws it and the honeypot (one
include in the template), and the view's :func:`participation.protection.guard.guard`
checks both, with the request at hand to log who it was. A survey needs no new field:
its signed ``started_at`` already counts from its first step. A person never notices:
the honeypot is out of sight and out of the tab order, and filling in a form takes
longer than the minimum.

A signed time is **bound** to whom the form was drawn for (the signed-in account, else the
browser's CSRF secret) and to a purpose (e.g. the survey's address), as a keyed hash in
the token: a time taken from someone else's form, or from another call, reads as missing
and springs the trap. Binding is checked where the time is a trap (``strict`` reads, while
the limits are on); a form reading the time only to date a response takes any time we
signed, so a form is never refused for it. The tokens are not single-use:
a double click, the back button and a form shown again with its errors all send the same
token again, and a person must not be asked the challenge for that; one client reusing its
own token is what the per-account and per-browser limits count.
"""

from allauth.core import context
from django import forms
from django.conf import settings
from django.core import signing
from django.middleware.csrf import get_token
from django.utils.crypto import constant_time_compare, salted_hmac

from . import clock, limits

HONEYPOT_FIELD = "website"
RENDERED_FIELD = "form_rendered"
RENDERED_SALT = "hadaf.protection.form-rendered"
BINDING_SALT = "hadaf.protection.form-binding"

HONEYPOT = "honeypot"
TOO_FAST = "too-fast"
NO_TIMESTAMP = "no-timestamp"


def visitor_of(request):
    """Whom a form is drawn for: ``account:<pk>`` when signed in, else ``browser:<secret>``.

    The browser's CSRF secret is made sure of here (the response sets its cookie), so a
    client that throws its cookies away also throws away every time it was given.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"account:{user.pk}"
    get_token(request)
    return f"browser:{request.META.get('CSRF_COOKIE', '')}"


def binding_of(visitor, purpose=""):
    """The keyed hash a signed time carries for ``visitor`` and ``purpose`` (no secret in it)."""
    return salted_hmac(BINDING_SALT, f"{visitor}|{purpose}").hexdigest()[:32]


def request_binding(purpose="", request=None):
    """The binding of ``request`` (by default the one being handled); "" outside a request."""
    request = request if request is not None else context.request
    return binding_of(visitor_of(request), purpose) if request is not None else ""


def sign_time(moment, salt, binding):
    """A signed ``moment`` (seconds since the epoch) bound to ``binding``."""
    return signing.dumps({"t": moment, "b": binding}, salt=salt)


def read_time(value, salt, binding, *, strict=True):
    """The moment in a :func:`sign_time` value; ``None`` if missing, forged or (``strict``,
    with the limits on) bound to another ``binding``.

    Old values are accepted: a form left open for days still works for a person.
    """
    unpacked = _unpack_time(value, salt)
    if unpacked is None:
        return None
    moment, bound_to = unpacked
    if strict and limits.enabled() and not constant_time_compare(bound_to, binding):
        return None
    return moment


def read_bound_time(value, salt, binding):
    """The moment in a :func:`sign_time` value only if it is bound to ``binding``; ``None``
    if missing, forged or bound to anything else, whether or not the limits are on.

    For API clients (the partner API), where the binding is not a bot trap that a person
    must never notice but part of what the value means: signed for this key and this call.
    """
    unpacked = _unpack_time(value, salt)
    if unpacked is None or not constant_time_compare(unpacked[1], binding):
        return None
    return unpacked[0]


def _unpack_time(value, salt):
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=salt)
        return float(payload["t"]), str(payload["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def sign_render_time(moment=None, binding=None):
    """The signed value of the hidden render-time field: now, unless ``moment`` is given,
    bound to the request being handled unless ``binding`` is given."""
    moment = moment if moment is not None else clock.now()
    return sign_time(moment, RENDERED_SALT, request_binding() if binding is None else binding)


def read_render_time(value, binding=None):
    """The render time in a signed value; ``None`` if missing, forged, unreadable or bound
    to another visitor than the request being handled (or ``binding``)."""
    return read_time(value, RENDERED_SALT, request_binding() if binding is None else binding)


def min_fill_seconds():
    """Seconds a form must have been on screen before it is sent (0 turns the check off)."""
    return getattr(settings, "HADAF_MIN_FILL_SECONDS", 3)


def inspect(data, *, honeypot=True, fill_time=True, rendered_at=RENDERED_FIELD):
    """Why posted ``data`` looks sent by a robot (a constant above), or ``None``.

    ``rendered_at`` is the time the form was first drawn, for a form that keeps its own
    (seconds since the epoch, ``None`` when missing or forged); by default it is read
    from the posted render-time field.
    """
    if honeypot and data.get(HONEYPOT_FIELD, "").strip():
        return HONEYPOT
    minimum = min_fill_seconds()
    if fill_time and minimum > 0:
        rendered = rendered_at
        if rendered_at == RENDERED_FIELD:
            rendered = read_render_time(data.get(RENDERED_FIELD))
        if rendered is None:
            return NO_TIMESTAMP
        if clock.now() - rendered < minimum:
            return TOO_FAST
    return None


class BotTrapForm(forms.Form):
    """Adds the signed render time to a form (the honeypot is drawn by the template alone).

    The field is left out of iterating the form (``{% for field in form %}``, visible
    and hidden fields), so templates that draw every field don't draw it; ``bot_trap.html``
    does. It keeps its posted value when the form is shown again, so a person correcting
    an error is not asked to wait again.
    """

    form_rendered = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=sign_render_time
    )

    def __iter__(self):
        for bound_field in super().__iter__():
            if bound_field.name != RENDERED_FIELD:
                yield bound_field
