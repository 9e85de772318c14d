"""The signed-in person's dashboard: contributions, notifications, awards, certificates."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from participation import my_impact
from participation.incentives.services import awards_of
from participation.security import get_or_refuse

from . import contributions, notifications
from .choices import ContributionKind
from .models import Notification

NOTIFICATIONS_SHOWN = 30


def _plain(number):
    """2.00 → 2, 1.50 → 1.5 (never 1E+1)."""
    if number is None:
        return None
    if number == number.to_integral_value():
        return number.quantize(1)
    return number.normalize()


def _awards(person):
    awards = list(awards_of(person))
    # An award's reason in the reader's language, from the notice that announced it (one
    # query); the stored reason (the site's language) otherwise.
    notices = {
        notice.key: notice
        for notice in Notification.objects.filter(
            person=person, key__in=[f"award:{award.pk}" for award in awards]
        ).exclude(body_message="")
    }
    for award in awards:
        award.certificate_or_none = getattr(award, "certificate", None)
        award.points_shown = _plain(award.points)
        notice = notices.get(f"award:{award.pk}")
        award.display_reason = notice.display_body if notice is not None else award.reason
    return awards


@login_required
def index(request):
    """Everything of mine: contributions (filtered by kind), what became of them ("my
    impact", from ``participation.my_impact``), notifications, awards."""
    person = request.user
    kind = request.GET.get("kind")
    if kind not in ContributionKind.values:
        kind = None
    by_kind = contributions.contributions_of(person, request)
    awards = _awards(person)
    shown_notifications = list(
        Notification.objects.filter(person=person).order_by(
            F("read_at").asc(nulls_first=True), "-created_at", "-pk"
        )[:NOTIFICATIONS_SHOWN]
    )
    context = {
        "kind": kind,
        "kinds": [(value, label, len(by_kind[value])) for value, label in ContributionKind.choices],
        "total": sum(len(rows) for rows in by_kind.values()),
        "contributions": contributions.merged(by_kind, kind),
        "notifications": shown_notifications,
        "unread": sum(1 for item in shown_notifications if not item.is_read),
        "awards": awards,
        "certificates": [award for award in awards if award.certificate_or_none is not None],
        "impact": my_impact.of(person),
    }
    return TemplateResponse(request, "participation/dashboard/index.html", context)


@login_required
@require_POST
def mark_all_read(request):
    notifications.mark_all_read(request.user)
    return redirect("dashboard:index")


@login_required
def open_notification(request, pk):
    """Mark a notice read and follow its link (only links on this site)."""
    notification = get_or_refuse(
        request, Notification.objects.filter(person=request.user), "notification", pk=pk
    )
    notifications.mark_read(notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("dashboard:index")
