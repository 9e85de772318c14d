"""Public pages of idea calls: the call, writing and submitting, co-authors, gallery, festival.

The rules are in ``services`` and ``workflow``; who may see what is in ``access``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.caching import short_lived
from participation.access import sign_in_url
from participation.calls import call_page_model
from participation.choices import CallKind
from participation.eligibility import check_eligibility
from participation.emails import canonical_email
from participation.protection.guard import guard
from participation.questions.rendering import question_views
from participation.security import refuse

from . import access, services
from .answers import answer_rows
from .choices import ACCEPTED_STATUSES, AWARDED_STATUSES, CoAuthorStatus, IdeaStatus
from .forms import (
    CoAuthorForm,
    IdeaForm,
    answers_of,
    initial_answers,
    questions_form_class,
)
from .models import Idea, IdeaAuthor

CALL_TEMPLATE = "pages/idea_call_page.html"
GALLERY_PER_PAGE = 12


def check_page_settings(page):
    """Editor mistakes the page editor refuses, with a message on the field."""
    errors = {}
    if not page.accepts_ideas and not page.accepts_experiences:
        errors["accepts_ideas"] = _("Accept new ideas, completed experiences, or both.")
    weights = [child.value["weight"] for child in page.criteria]
    if any(weight is None or weight < 1 for weight in weights):
        errors["criteria"] = _("Every criterion needs a weight of at least 1.")
    if errors:
        raise ValidationError(errors)


def _sign_in_required(request):
    if request.user.is_authenticated:
        return None
    return redirect(sign_in_url(request.get_full_path()))


def theme_names(page):
    return dict(services.theme_choices(page))


def _idea_for_author(request, idea_uuid):
    """The idea at ``idea_uuid`` if the user is one of its authors; else 404 (logged)."""
    idea = Idea.objects.select_related("organization").filter(uuid=idea_uuid).first()
    if idea is None or not access.is_author(idea, request.user):
        refuse(request, "idea", idea=idea_uuid)
    return idea


# The call page ------------------------------------------------------------------------


def call_page(request, page):
    """The call: its text, themes, criteria, and the visitor's submissions to it."""
    own = []
    if request.user.is_authenticated:
        own = list(
            Idea.objects.filter(
                call_key=page.call_key,
                authors__person=request.user,
                authors__status=CoAuthorStatus.ACCEPTED,
            ).order_by("-created_at")
        )
    context = page.get_context(request)
    context.update(
        {
            "eligibility": check_eligibility(request.user, page),
            "sign_in_url": sign_in_url(page.url + "new/"),
            "own_ideas": own,
            "themes": services.theme_choices(page),
            "criteria": _criteria(page),
            "kinds": services.accepted_kinds(page),
            "gallery_count": _gallery(page).count(),
        }
    )
    # The gallery count changes without publishing: cache the page only briefly.
    return short_lived(render(request, CALL_TEMPLATE, context))


def _criteria(page):
    total = sum(child.value["weight"] for child in page.criteria) or 1
    return [
        {
            "name": child.value["name"],
            "description": child.value["description"],
            "weight": child.value["weight"],
            "share": round(100 * child.value["weight"] / total),
        }
        for child in page.criteria
    ]


def _idea_forms(request, page, idea=None):
    questionnaire, questions_class = questions_form_class(page)
    data = request.POST if request.method == "POST" else None
    initial = {}
    if idea is not None:
        initial = {
            "kind": idea.kind,
            "category": idea.category,
            "title": idea.title,
            "summary": idea.summary,
            "body": idea.body,
            "organization": idea.organization_id,
            "show_in_gallery": idea.show_in_gallery,
        }
    form = IdeaForm(data, page=page, user=request.user, initial=initial)
    questions_form = questions_class(
        data, initial=initial_answers(questionnaire, idea) if idea else None
    )
    return questionnaire, form, questions_form


def _form_context(page, form, questions_form):
    questions = question_views(questions_form, questions_form.questions)
    return {
        "form": form,
        "questions_form": questions_form,
        "questions": questions,
        "error_questions": [view for view in questions if view.errors],
        "has_errors": bool(form.errors or questions_form.errors),
    }


def new_idea(request, page):
    """Start a submission; it is saved as a draft, then attachments and co-authors follow."""
    if response := _sign_in_required(request):
        return response
    eligibility = check_eligibility(request.user, page)
    if not eligibility:
        messages.error(request, eligibility.reason)
        return redirect(page.url)
    if (refusal := guard(request, "idea")) is not None:
        return refusal
    questionnaire, form, questions_form = _idea_forms(request, page)
    if request.method == "POST" and form.is_valid() and questions_form.is_valid():
        try:
            idea = services.start_idea(
                page,
                request.user,
                fields=form.idea_fields(),
                answers=answers_of(questionnaire, questions_form),
                organization=form.cleaned_data.get("organization"),
            )
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Saved as a draft. Add files and co-authors if you wish, "
                    "then submit it before the deadline."
                ),
            )
            return redirect("ideas:edit", idea.uuid)
    context = {
        "page": page,
        "self": page,
        "idea": None,
        **_form_context(page, form, questions_form),
    }
    return render(request, "participation/ideas/idea_form.html", context)


def edit_idea(request, idea_uuid):
    """An author's working page for a draft: the text, files, co-authors, and submitting."""
    if response := _sign_in_required(request):
        return response
    idea = _idea_for_author(request, idea_uuid)
    if idea.status != IdeaStatus.DRAFT:
        return redirect("ideas:detail", idea.uuid)
    page = access.call_page(idea)
    if (refusal := guard(request, "idea_edit")) is not None:
        return refusal
    questionnaire, form, questions_form = _idea_forms(request, page, idea)
    if request.method == "POST" and form.is_valid() and questions_form.is_valid():
        try:
            services.update_idea(
                idea,
                page,
                request.user,
                fields=form.idea_fields(),
                answers=answers_of(questionnaire, questions_form),
                organization=form.cleaned_data.get("organization"),
            )
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("ideas:edit", idea.uuid)
    authors = list(idea.authors.select_related("person"))
    context = {
        "page": page,
        "self": page,
        "idea": idea,
        "authors": authors,
        # Said next to the submit button before it is pressed, not after a refusal.
        "pending_coauthors": [a for a in authors if a.status == CoAuthorStatus.INVITED],
        "is_lead": idea.authors.filter(person=request.user, is_lead=True).exists(),
        "coauthor_form": CoAuthorForm(),
        "can_edit": True,
        "eligibility": check_eligibility(request.user, page),
        **_form_context(page, form, questions_form),
    }
    return render(request, "participation/ideas/idea_form.html", context)


@require_POST
def submit_idea(request, idea_uuid):
    if response := _sign_in_required(request):
        return response
    if (refusal := guard(request, "idea_edit")) is not None:
        return refusal
    idea = _idea_for_author(request, idea_uuid)
    page = access.call_page(idea)
    try:
        services.submit_idea(idea, page, request.user)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("ideas:edit", idea.uuid)
    messages.success(
        request,
        _("Submitted. We will let you know by email as it moves through screening and review."),
    )
    return redirect("ideas:detail", idea.uuid)


@require_POST
def coauthors(request, idea_uuid):
    """Invite a co-author (``email``) or, for the lead author, remove one (``remove``)."""
    if response := _sign_in_required(request):
        return response
    if (refusal := guard(request, "idea_edit")) is not None:
        return refusal
    idea = _idea_for_author(request, idea_uuid)
    page = access.call_page(idea)
    if "remove" in request.POST:
        if not idea.authors.filter(person=request.user, is_lead=True).exists():
            refuse(request, "coauthor removal", idea=idea.uuid)
        author = IdeaAuthor.objects.filter(idea=idea, pk=request.POST["remove"]).first()
        if author is None:
            refuse(request, "coauthor", idea=idea.uuid)
        try:
            services.remove_coauthor(idea, request.user, author)
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Removed %(email)s.") % {"email": author.email})
        return redirect(reverse("ideas:edit", args=[idea.uuid]) + "#authors")
    form = CoAuthorForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"][0])
    else:
        try:
            services.invite_coauthor(idea, page, request.user, form.cleaned_data["email"])
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("We emailed an invitation to %(email)s.")
                % {"email": form.cleaned_data["email"].lower()},
            )
    return redirect(reverse("ideas:edit", args=[idea.uuid]) + "#authors")


def invitation(request, token):
    """An invited co-author accepts or declines, signed in with the invited address."""
    try:
        author = services.author_from_token(token)
    except services.Refused as refusal:
        return render(
            request, "participation/ideas/invitation.html", {"refusal": refusal.message}, status=400
        )
    if response := _sign_in_required(request):
        return response
    idea = author.idea
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            services.respond_to_invitation(author, request.user, accept=accept)
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            if accept:
                messages.success(
                    request, _("You are now a co-author of “%(title)s”.") % {"title": idea.title}
                )
                return redirect("ideas:detail", idea.uuid)
            messages.success(request, _("You declined the invitation."))
            return redirect("ideas:mine")
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    context = {
        "author": author,
        "idea": idea,
        "page": access.call_page(idea),
        "inviter": idea.created_by,
        "wrong_account": canonical_email(request.user.email) != canonical_email(author.email),
    }
    return render(request, "participation/ideas/invitation.html", context)


def idea_detail(request, idea_uuid):
    """Where a submission stands: its status and history, its content, files and authors.

    For its authors and the call's editors. A juror reads it on the review page
    (where blind review hides the authors); anyone else gets a 404.
    """
    if response := _sign_in_required(request):
        return response
    idea = Idea.objects.select_related("organization").filter(uuid=idea_uuid).first()
    if idea is None:
        refuse(request, "idea", idea=idea_uuid)
    page = access.call_page(idea)
    is_author = access.is_author(idea, request.user)
    if not is_author and not access.is_editor(idea, request.user, page):
        if access.is_assigned_juror(idea, request.user):
            assignment = idea.reviews.get(reviewer=request.user)
            return redirect("ideas:review", assignment.pk)
        refuse(request, "idea", idea=idea_uuid)
    context = {
        "page": page,
        "idea": idea,
        "theme": theme_names(page).get(idea.category, ""),
        "answers": answer_rows(page, idea.answers.all()),
        "authors": list(idea.authors.select_related("person")),
        "events": list(idea.events.all()),
        "is_author": is_author,
        "can_edit": False,
    }
    return render(request, "participation/ideas/idea_detail.html", context)


def my_ideas(request):
    """My submissions across calls with where each stands, and invitations waiting for me."""
    if response := _sign_in_required(request):
        return response
    ideas = (
        Idea.objects.filter(authors__person=request.user, authors__status=CoAuthorStatus.ACCEPTED)
        .select_related("call")
        .order_by("-created_at")
    )
    invitations = (
        IdeaAuthor.objects.filter(
            # Older invitations were stored lower-cased, newer ones canonical (emails.py).
            email__in={canonical_email(request.user.email), (request.user.email or "").lower()},
            status=CoAuthorStatus.INVITED,
        )
        .select_related("idea", "idea__created_by")
        .order_by("-invited_at")
    )
    invitation_links = [(author, services.invitation_token(author)) for author in invitations]
    return render(
        request,
        "participation/ideas/my_ideas.html",
        {"ideas": list(ideas), "invitations": invitation_links},
    )


# Public showcases -----------------------------------------------------------------------


def _gallery(page):
    """Accepted submissions of ``page``'s call whose authors agreed to show them."""
    return Idea.objects.filter(
        call_key=page.call_key, status__in=ACCEPTED_STATUSES, show_in_gallery=True
    )


def _with_public_authors(queryset):
    accepted = IdeaAuthor.objects.filter(status=CoAuthorStatus.ACCEPTED).select_related(
        "person", "person__university"
    )
    return queryset.select_related("organization").prefetch_related(
        Prefetch("authors", queryset=accepted, to_attr="public_authors")
    )


def gallery(request, page):
    """The gallery: accepted submissions, filterable by theme and kind, newest first."""
    ideas = _gallery(page)
    themes = services.theme_choices(page)
    theme = request.GET.get("theme", "")
    if theme in dict(themes):
        ideas = ideas.filter(category=theme)
    else:
        theme = ""
    kind = request.GET.get("kind", "")
    if kind in services.accepted_kinds(page):
        ideas = ideas.filter(kind=kind)
    else:
        kind = ""
    ideas = _with_public_authors(ideas.order_by("-submitted_at", "pk"))
    paginator = Paginator(ideas, GALLERY_PER_PAGE)
    gallery_page = paginator.get_page(request.GET.get("page"))
    context = page.get_context(request)
    context.update(
        {
            "gallery_page": gallery_page,
            "themes": themes,
            "theme_names": dict(themes),
            "theme": theme,
            "kind": kind,
            "kinds": services.accepted_kinds(page),
            "hide_names": page.anonymity != "named",
        }
    )
    return short_lived(render(request, "participation/ideas/gallery.html", context))


def festival_years(language):
    """The festival years that have winners, newest first, for one language's pages."""

    keys = Idea.objects.filter(status__in=AWARDED_STATUSES).values("call_key").distinct()
    years = (
        call_page_model(CallKind.IDEA)
        .objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .exclude(festival_year=None)
        .values_list("festival_year", flat=True)
    )
    return sorted(
        set(years),
        reverse=True,
    )


def festival_page(request, page, year):
    """The festival's winners and honourable mentions of ``year`` (default: the latest)."""
    from django.http import Http404

    language = page.locale.language_code
    years = festival_years(language)
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404
    sections = []
    if year is not None:
        calls = (
            call_page_model(CallKind.IDEA)
            .objects.live()
            .filter(festival_year=year, locale__language_code=language)
            .order_by("-closes_at", "pk")
        )
        for call in calls:
            awarded = _with_public_authors(
                Idea.objects.filter(call_key=call.call_key, status__in=AWARDED_STATUSES)
            ).annotate(is_winner=Count("pk", filter=Q(status=IdeaStatus.WINNER)))
            by_theme = {}
            for idea in awarded.order_by("-is_winner", "title"):
                by_theme.setdefault(idea.category, []).append(idea)
            names = theme_names(call)
            groups = [
                {"theme": names.get(theme_id, ""), "ideas": ideas}
                for theme_id, ideas in sorted(
                    by_theme.items(),
                    key=lambda item: list(names).index(item[0]) if item[0] in names else len(names),
                )
            ]
            if groups:
                sections.append(
                    {"call": call, "groups": groups, "hide_names": call.anonymity != "named"}
                )
    context = page.get_context(request)
    context.update({"year": year, "years": years, "sections": sections})
    return short_lived(render(request, "pages/festival_page.html", context))
