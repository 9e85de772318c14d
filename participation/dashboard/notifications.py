"""In-app notifications, and their emails through the task framework.

The email is queued only after the surrounding transaction commits: a rolled-back
step notifies nobody, and a mail server that is down never undoes it.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from participation.mail import reader_language, send_or_retry

from .choices import NotificationKind
from .models import Notification

TITLE_LENGTH = Notification._meta.get_field("title").max_length


def notify(
    person,
    *,
    kind,
    title,
    body="",
    url="",
    email=True,
    key="",
    message="",
    params=None,
    body_message="",
):
    """Tell ``person`` something on their dashboard and, if ``email``, by email.

    Args:
        person: the user to tell (inactive users are skipped).
        kind: a ``NotificationKind`` value.
        title: one line as first written (shown when ``message`` is not given).
        body: a short text (shown when ``body_message`` is not given).
        message: the key of the title in ``participation.dashboard.messages``, rendered
            in the reader's language whenever it is shown.
        params: the message's parameters (JSON).
        body_message: the key of the body's text, likewise.
        url: where the notice leads (a path on this site).
        email: also email it, after the transaction commits.
        key: what the notice is about; a second notice with the same key for the same
            person is not created (nor emailed).

    Returns:
        Notification | None: the new notice, None if skipped or already sent.
    """
    if person is None or not person.is_active:
        return None
    title = " ".join(str(title).split())[:TITLE_LENGTH]
    if key and Notification.objects.filter(person=person, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                kind=kind,
                title=title,
                body=str(body),
                url=url,
                key=key,
                message=message,
                params=params or {},
                body_message=body_message,
            )
    except IntegrityError:
        if key:  # a concurrent request notified first
            return None
        raise
    if email and person.email:
        notification_id = notification.pk
        transaction.on_commit(lambda: send_notification_email.enqueue(notification_id))
    return notification


def notify_in_languages(person, *, kind, key, title, body, url="", email=True):
    """``participation.notices.notify``: a notice whose texts a feature app gave in every
    language (``{language: text}``), shown and emailed in the reader's."""
    if kind not in NotificationKind.values:
        kind = NotificationKind.GENERAL
    return notify(
        person,
        kind=kind,
        title=title.get(settings.LANGUAGE_CODE) or next(iter(title.values()), ""),
        body=body.get(settings.LANGUAGE_CODE, ""),
        url=url,
        email=email,
        key=key,
        message="text",
        params={"title": title, "body": body},
        body_message="text_body" if body else "",
    )


def unread_count(person):
    return Notification.objects.filter(person=person).unread().count()


def mark_all_read(person):
    """Mark every unread notice of ``person`` read; returns how many."""
    return Notification.objects.filter(person=person).unread().update(read_at=timezone.now())


def mark_read(notification):
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notification_email(notification):
    """(subject, body) of the email about ``notification``, in the reader's language."""
    with translation.override(reader_language(notification.person)):
        context = {
            "notification": notification,
            "person": notification.person,
            "link": absolute_url(notification.url) if notification.url.startswith("/") else "",
            "dashboard_url": absolute_url(reverse("dashboard:index")),
            "site_name": str(settings.WAGTAIL_SITE_NAME),
        }
        subject = render_to_string(
            "participation/dashboard/email/notification_subject.txt", context
        )
        body = render_to_string("participation/dashboard/email/notification_body.txt", context)
    return " ".join(subject.split()), body


@task()
def send_notification_email(notification_id, attempt=1):
    """Email notification ``notification_id`` to its person."""
    notification = Notification.objects.select_related("person").filter(pk=notification_id).first()
    if notification is None or not notification.person.is_active or not notification.person.email:
        return False
    subject, body = notification_email(notification)
    return send_or_retry(
        [(subject, body, notification.person.email)],
        task=send_notification_email,
        args=(notification_id,),
        attempt=attempt,
    )
