"""Sending the notification emails, and trying again later when the mail server is down.

Every email is sent from a task (django-tasks), queued after the participant's
transaction commits, so a mail server that is down never undoes or fails a
submission. django-tasks-db does not retry a failed task, so :func:`send_or_retry`
does: when the server refuses or cannot be reached, it queues the *same task* again
with a later ``run_after`` (1, 5, 15, 60 minutes, then every 4 hours, up to
:data:`RETRY_DELAYS` attempts) and logs an error when it gives up. Queuing the task
again, rather than the rendered message, keeps addresses and links out of the task
table and re-checks the task's conditions (a withdrawn invitation is not sent late).
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_stubs_ext import StrOrPromise
from django_tasks import TaskResult, task_backends

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django_tasks.base import Task

logger = logging.getLogger("hadaf.mail")

# The wait before each new attempt; the first send is attempt 1.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=4),
    datetime.timedelta(hours=4),
)
# Errors that mean "not now": the server is down, refuses, or times out. A message the
# server rejects for good (a bad address) raises the same SMTP exceptions; it is
# retried a few times too and then logged.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def site_url(url_or_path: StrOrPromise) -> str:
    """``url_or_path`` on the configured site address (``WAGTAILADMIN_BASE_URL``).

    Every absolute link in an email, PDF or QR code is built here or from that setting,
    never from the request: its Host header is whatever the requester sent, so a
    password-reset link built from it could point at any host or port they chose. Only
    the path, query and fragment of ``url_or_path`` are kept.
    """
    parts = urlsplit(str(url_or_path))
    path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_or_retry(
    messages: Iterable[tuple[str, str, str]],
    *,
    task: "Task[..., Any]",
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    attempt: int = 1,
) -> bool:
    """Send ``messages``, or queue ``task`` again to send them later.

    Args:
        messages: (subject, body, recipient) tuples, sent over one connection.
        task: the ``@task`` whose run this is; it is queued again on failure with
            ``attempt`` one higher.
        args, kwargs: what ``task`` was called with (without ``attempt``).
        attempt: which attempt this is (1 for the first).

    Returns:
        bool: whether the messages were sent (False when a retry was queued or
        abandoned).
    """
    messages = list(messages)
    if not messages:
        return True
    try:
        with get_connection() as connection:
            connection.send_messages(
                [
                    EmailMessage(subject, body, None, [recipient])
                    for subject, body, recipient in messages
                ]
            )
    except TRANSIENT_ERRORS as error:
        schedule_retry(task, args, kwargs or {}, attempt, error)
        return False
    if attempt > 1:
        logger.info("%s sent on attempt %s.", task.name, attempt)
    return True


def schedule_retry(
    task: "Task[..., Any]",
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    attempt: int,
    error: BaseException,
) -> TaskResult[Any] | None:
    """Queue ``task`` again after the delay for ``attempt``, or log that it gave up."""
    if attempt > len(RETRY_DELAYS):
        logger.error(
            "%s could not send its email after %s attempts; giving up: %s",
            task.name,
            attempt,
            error,
        )
        return None
    backend = task_backends[task.backend]
    if not backend.supports_defer:
        # The embedded profile runs tasks in the request: it cannot wait and try later.
        logger.error(
            "%s could not send its email (%s); the %s task backend cannot retry later"
            " (use django_tasks_db with a db_worker).",
            task.name,
            error,
            type(backend).__name__,
        )
        return None
    delay = RETRY_DELAYS[attempt - 1]
    logger.warning(
        "%s could not send its email (%s); attempt %s in %s.", task.name, error, attempt + 1, delay
    )
    return task.using(run_after=timezone.now() + delay).enqueue(
        *args, **{**kwargs, "attempt": attempt + 1}
    )


def reader_language(person: "AbstractBaseUser") -> str:
    """The language to write to ``person`` in: the one they chose in their account
    settings (Wagtail's profile), else the site's."""
    from django.conf import settings

    profile = getattr(person, "wagtail_userprofile", None)
    preferred = getattr(profile, "preferred_language", "") if profile else ""
    languages = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in languages else settings.LANGUAGE_CODE
