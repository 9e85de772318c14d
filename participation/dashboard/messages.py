"""What a notification says, rendered when it is read, in the reader's language.

A notification stores a message key and its parameters instead of finished text, so
the Persian dashboard shows Persian and the English one English, whatever language
the event happened in. Parameters are either plain values (a title an author typed,
a status code) or ``{language: text}`` for words the platform itself composes in
each language (a clause's label): ``participation.notices.in_languages`` makes those.

The stored ``title`` and ``body`` stay as they were written (in the site's language)
for notices without a key and for anything that reads the table directly.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from participation.choices import IncentiveKind
from participation.ideas.choices import IdeaStatus

from .choices import Trigger
from .contributions import decision_sentence


def _pick(value):
    """A parameter in the active language: ``{language: text}`` or a plain value."""
    if isinstance(value, dict):
        language = translation.get_language() or settings.LANGUAGE_CODE
        return value.get(language) or value.get(settings.LANGUAGE_CODE) or ""
    return value


def _label(choices, value):
    """The label of ``value`` among ``choices`` (a ``TextChoices``), or the value."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _idea_status(params):
    return _("Your submission “%(title)s” is now: %(status)s") % {
        "title": params.get("title", ""),
        "status": _label(IdeaStatus, params.get("status", "")),
    }


def _decision(params):
    return decision_sentence(params.get("outcome", ""), _pick(params.get("clause", "")))


def _award(params):
    return _("You received an award: %(kind)s") % {
        "kind": _label(IncentiveKind, params.get("kind", ""))
    }


def _award_reason(params):
    contribution = _label(Trigger, params.get("trigger", ""))
    call = _pick(params.get("call", ""))
    if not call:
        return contribution
    return _("%(contribution)s: “%(call)s”") % {"contribution": contribution, "call": call}


def _text(params):
    """A title composed by a feature app in every language (``participation.notices``)."""
    return _pick(params.get("title", ""))


def _text_body(params):
    return _pick(params.get("body", ""))


# Message key → function(params) → text in the active language.
MESSAGES = {
    "text": _text,
    "text_body": _text_body,
    "idea_status": _idea_status,
    "decision": _decision,
    "award": _award,
    "award_reason": _award_reason,
}


def render(key, params, fallback=""):
    """The text of message ``key`` with ``params`` in the active language (else ``fallback``)."""
    function = MESSAGES.get(key or "")
    if function is None:
        return fallback
    try:
        return function(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback  # A notice stored by an older version still shows its text.
