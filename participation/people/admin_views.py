"""Academic verification by hand, for editors: who is waiting, verify, withdraw.

People whose university email verified them never appear here as waiting. Each decision
goes through :mod:`participation.people.verification`, which logs it in Wagtail's history.
"""

from allauth.account.models import EmailAddress
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from participation.choices import Role
from participation.security import deny

from . import permissions, verification
from .models import University, User

PER_PAGE = 50
WAITING, VERIFIED = "waiting", "verified"


def _require_verifier(request):
    if not permissions.can_verify(request.user):
        raise deny(request, "academic verification")


def _filters(request):
    status = request.GET.get("status")
    role = request.GET.get("role", "")
    university = request.GET.get("university", "")
    return {
        "status": status if status in (WAITING, VERIFIED) else WAITING,
        "role": role if role in Role.values else "",
        "university": int(university) if university.isdigit() else None,
        "q": request.GET.get("q", "").strip()[:100],
    }


def people_for(filters):
    """Active people with a role, waiting for (or holding) verification, filtered."""
    people = User.objects.filter(is_active=True).exclude(role="")
    people = people.filter(academic_verified_at__isnull=filters["status"] == WAITING)
    if filters["role"]:
        people = people.filter(role=filters["role"])
    if filters["university"]:
        people = people.filter(university_id=filters["university"])
    if filters["q"]:
        q = filters["q"]
        people = people.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(faculty__icontains=q)
        )
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return (
        people.select_related("university")
        .annotate(email_confirmed=Exists(confirmed))
        .order_by("-date_joined", "pk")
    )


@require_GET
def index(request):
    """The people waiting for verification (or already verified), newest first."""
    _require_verifier(request)
    filters = _filters(request)
    page = Paginator(people_for(filters), PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "participation/people/admin/verification.html",
        {
            "page_obj": page,
            "filters": filters,
            "roles": Role.choices,
            "universities": University.objects.all(),
            "statuses": [(WAITING, _("Waiting")), (VERIFIED, _("Verified"))],
            "return_to": request.get_full_path(),
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("academic_verification:index"))


@require_POST
def verify(request, pk):
    """Verify one person's academic status (logged with the editor's name)."""
    _require_verifier(request)
    person = get_object_or_404(User, pk=pk, is_active=True)
    if person.is_academic_verified:
        messages.warning(request, _("%(name)s was already verified.") % {"name": person})
    else:
        verification.verify_by_editor(person, request.user)
        messages.success(request, _("%(name)s is now a verified academic.") % {"name": person})
    return _back(request)


@require_POST
def revoke(request, pk):
    """Withdraw one person's academic status (logged with the editor's name)."""
    _require_verifier(request)
    person = get_object_or_404(User, pk=pk, is_active=True)
    if person.is_academic_verified:
        verification.revoke(person, request.user)
        messages.success(
            request, _("%(name)s is no longer a verified academic.") % {"name": person}
        )
    return _back(request)
