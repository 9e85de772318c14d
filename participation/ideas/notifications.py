"""Emails about submissions (status changes, co-author invitations), through the task framework.

Queued only after the surrounding transaction commits: a rolled-back step sends
nothing, and a mail server that is down never undoes a step.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from participation.mail import send_or_retry

from .access import call_page
from .choices import AssignmentStatus, CoAuthorStatus
from .models import Idea, IdeaAuthor, ReviewAssignment


def queue_status_notice(idea_id):
    transaction.on_commit(lambda: send_status_notice.enqueue(idea_id))


def queue_invitation(author_id):
    transaction.on_commit(lambda: send_invitation.enqueue(author_id))


def _absolute(url_name, *args):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(url_name, args=args)


def _render(name, context, language):
    with translation.override(language):
        context["dashboard_url"] = _absolute("ideas:mine")
        if "author_link" in context:
            context["invitation_url"] = _absolute("ideas:invitation", context["author_link"])
        subject = render_to_string(f"participation/ideas/email/{name}_subject.txt", context)
        body = render_to_string(f"participation/ideas/email/{name}_body.txt", context)
    return " ".join(subject.split()), body


def _call_context(idea):
    page = call_page(idea)
    return {
        "idea": idea,
        "page": page,
        "site_name": str(settings.WAGTAIL_SITE_NAME),
    }


def status_notices(idea):
    """(subject, body, recipient) for each accepted author of ``idea``."""
    context = _call_context(idea)
    context["status"] = idea.get_status_display()
    notices = []
    authors = idea.authors.filter(status=CoAuthorStatus.ACCEPTED).select_related("person")
    for author in authors:
        person = author.person
        if person is None or not person.is_active:
            continue
        subject, body = _render("status", {**context, "author": person}, idea.language)
        notices.append((subject, body, person.email))
    return notices


@task()
def send_status_notice(idea_id, attempt=1):
    """Tell the authors of idea ``idea_id`` where it stands now (and why)."""
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is None:
        return 0
    notices = status_notices(idea)
    sent = send_or_retry(notices, task=send_status_notice, args=(idea_id,), attempt=attempt)
    return len(notices) if sent else 0


@task()
def send_invitation(author_id, attempt=1):
    """Email a co-author invitation with its accept/decline link."""
    from .services import invitation_token  # services imports this module to send

    author = (
        IdeaAuthor.objects.select_related("idea", "idea__created_by").filter(pk=author_id).first()
    )
    if author is None or author.status != CoAuthorStatus.INVITED:
        return False
    idea = author.idea
    context = _call_context(idea)
    context["inviter"] = idea.created_by
    context["author_link"] = invitation_token(author)
    subject, body = _render("invitation", context, idea.language)
    return send_or_retry(
        [(subject, body, author.email)], task=send_invitation, args=(author_id,), attempt=attempt
    )


def queue_jury_assignment(page_id, juror_ids):
    """After commit, email each of ``juror_ids`` that reviews on call ``page_id`` await them."""
    juror_ids = list(juror_ids)
    transaction.on_commit(lambda: send_jury_assignment.enqueue(page_id, juror_ids))


def jury_assignment_notices(page, jurors):
    """(subject, body, recipient) for each juror: how many reviews wait, and where.

    In the call's language (the jurors read the submissions in it); the count is of all
    the juror's reviews of the call still to score, not only the new ones.
    """
    language = page.locale.language_code
    notices = []
    for juror in jurors:
        waiting = ReviewAssignment.objects.filter(
            reviewer=juror, idea__call_key=page.translation_key, status=AssignmentStatus.ASSIGNED
        ).count()
        if not waiting or not juror.is_active or not juror.email:
            continue
        with translation.override(language):
            context = {
                "juror": juror,
                "page": page,
                "count": waiting,
                "jury_url": _absolute("ideas:jury"),
                "site_name": str(settings.WAGTAIL_SITE_NAME),
            }
            subject = render_to_string("participation/ideas/email/jury_subject.txt", context)
            body = render_to_string("participation/ideas/email/jury_body.txt", context)
        notices.append((" ".join(subject.split()), body, juror.email))
    return notices


@task()
def send_jury_assignment(page_id, juror_ids, attempt=1):
    """Tell the jurors ``juror_ids`` that submissions of call ``page_id`` await their review."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    page = Page.objects.select_related("locale").filter(pk=page_id).first()
    if page is None:
        return 0
    jurors = get_user_model().objects.filter(pk__in=juror_ids).order_by("pk")
    notices = jury_assignment_notices(page, jurors)
    sent = send_or_retry(
        notices, task=send_jury_assignment, args=(page_id, juror_ids), attempt=attempt
    )
    return len(notices) if sent else 0
