"""Telling a person something, for feature apps that do not own the notifications.

A person's notifications (on their dashboard, and by email after the transaction commits)
belong to the dashboard app (``participation.dashboard``). A feature app that needs to tell
someone something calls :func:`notify` here; the dashboard registers the function that does
it in its ``AppConfig.ready``, so neither app imports the other (pyproject.toml). Texts are
given in every language of the site (:func:`in_languages`): each reader sees their own.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation

Notifier = Callable[..., Any]

_notifier: list[Notifier] = []


def register_notifier(function: Notifier) -> None:
    """Make ``function(person, *, kind, key, title, body, url, email)`` the way people are told."""
    _notifier[:] = [function]


def notify(
    person: Any,
    *,
    kind: str,
    key: str,
    title: dict[str, str],
    body: dict[str, str] | None = None,
    url: str = "",
    email: bool = True,
) -> Any:
    """Tell ``person`` something on their dashboard and, with ``email``, by email.

    Args:
        person: the user to tell.
        kind: what kind of notice it is (the dashboard's ``NotificationKind`` values).
        key: what the notice is about; a person is told once per key.
        title: ``{language: text}`` (see :func:`in_languages`).
        body: ``{language: text}``, or ``None``.
        url: where the notice leads (a path on this site).
        email: also email it, after the surrounding transaction commits.

    Returns:
        The notice, or ``None`` when nobody registered a notifier or it was not sent.
    """
    if not _notifier:
        return None
    return _notifier[0](
        person, kind=kind, key=key, title=title, body=body or {}, url=url, email=email
    )


def in_languages(function: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, str]:
    """``{language: str(function(*args, **kwargs))}`` for every language of the site."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(function(*args, **kwargs))
    return texts
