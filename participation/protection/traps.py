"""Bot traps of the public forms: a honeypot field and a minimum time to fill the form in.

:class:`BotTrapForm` adds the signed render time to a form (one line: make it the
form's base), ``protection/includes/bot_trap.html`` draws it and the honeypot (one
include in the template), and the view's :func:`participation.protection.guard.guard`
checks both, with the request at hand to log who it was. A survey needs no new field:
its signed ``started_at`` already counts from its first step. A person never notices:
the honeypot is out of sight and out of the tab order, and filling in a form takes
longer than the minimum.
"""

from django import forms
from django.conf import settings
from django.core import signing

from . import clock

HONEYPOT_FIELD = "website"
RENDERED_FIELD = "form_rendered"
RENDERED_SALT = "hadaf.protection.form-rendered"

HONEYPOT = "honeypot"
TOO_FAST = "too-fast"
NO_TIMESTAMP = "no-timestamp"


def sign_render_time(moment=None):
    """The signed value of the hidden render-time field: now, unless ``moment`` is given."""
    return signing.dumps(moment if moment is not None else clock.now(), salt=RENDERED_SALT)


def read_render_time(value):
    """The render time in a signed value; ``None`` if missing, forged or unreadable.

    Old values are accepted: a form left open for days still works for a person.
    """
    if not value:
        return None
    try:
        moment = float(signing.loads(value, salt=RENDERED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return moment


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
