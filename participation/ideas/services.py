"""Writing and submitting ideas, and co-authorship, whatever the caller (web form, later the API).

The rules live here: the call is open and the person eligible, only authors edit,
only drafts change, submission happens before the deadline, a representative acts
only for an organization they represent.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.eligibility import check_eligibility
from participation.emails import canonical_email, email_problem
from participation.errors import Refused
from participation.people.models import Organization

from . import workflow
from .choices import CoAuthorStatus, IdeaKind, IdeaStatus
from .models import Idea, IdeaAnswer, IdeaAuthor
from .notifications import queue_invitation

INVITATION_SALT = "hadaf.ideas.invitation"
INVITATION_MAX_AGE = 30 * 24 * 3600
MAX_COAUTHORS = 10


def accepted_kinds(page):
    kinds = []
    if page.accepts_ideas:
        kinds.append(IdeaKind.IDEA)
    if page.accepts_experiences:
        kinds.append(IdeaKind.EXPERIENCE)
    return kinds


def theme_choices(page):
    """(block id, name) of the call's themes."""
    return [(child.id, child.value["name"]) for child in page.themes]


def check_can_write(page, user, now=None):
    """Refuse unless ``user`` may work on submissions to ``page`` now."""
    eligibility = check_eligibility(user, page, now=now)
    if not eligibility:
        raise Refused(eligibility.reason)


def check_organization(user, organization):
    """Refuse unless ``user`` represents the verified ``organization`` (None is fine)."""
    if organization is None:
        return
    if not user.represented_organizations().filter(pk=organization.pk).exists():
        raise Refused(_("You do not represent this organization."))


def _check_fields(page, kind, category):
    if kind not in accepted_kinds(page):
        raise Refused(_("This call does not accept this kind of submission."))
    themes = {theme_id for theme_id, _name in theme_choices(page)}
    if themes and category not in themes:
        raise Refused(_("Choose one of the call's themes."))


def _save_answers(idea, answers):
    idea.answers.all().delete()
    IdeaAnswer.objects.bulk_create(IdeaAnswer(idea=idea, **answer.values()) for answer in answers)


def start_idea(page, user, *, fields, answers=(), organization=None):
    """Create a draft submission with ``user`` as its lead author.

    Args:
        fields: kind, category, title, summary, body, show_in_gallery.
        answers: unsaved answers (``AnswerValue``) to the call's questions.
    """
    check_can_write(page, user)
    check_organization(user, organization)
    _check_fields(page, fields["kind"], fields.get("category", ""))
    with transaction.atomic():
        idea = Idea.objects.create(
            call=page,
            call_key=page.call_key,
            language=page.locale.language_code,
            created_by=user,
            organization=organization,
            **fields,
        )
        IdeaAuthor.objects.create(
            idea=idea,
            person=user,
            email=user.email,
            is_lead=True,
            status=CoAuthorStatus.ACCEPTED,
            responded_at=timezone.now(),
        )
        _save_answers(idea, answers)
    return idea


def update_idea(idea, page, user, *, fields, answers=(), organization=None):
    """Save changes to a draft by one of its authors."""
    check_can_write(page, user)
    check_organization(user, organization)
    _check_fields(page, fields["kind"], fields.get("category", ""))
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.status != IdeaStatus.DRAFT:
            raise Refused(_("A submitted idea can no longer be changed."))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.organization = organization
        locked.save()
        _save_answers(locked, answers)
    return locked


def submit_idea(idea, page, user, now=None):
    """Submit a draft for screening: only before the deadline and only by an author."""
    check_can_write(page, user, now=now)
    if idea.status != IdeaStatus.DRAFT:
        raise Refused(_("This idea has already been submitted."))
    if not idea.body.strip():
        raise Refused(_("Write the full text before submitting."))
    pending = idea.authors.filter(status=CoAuthorStatus.INVITED).exists()
    if pending:
        raise Refused(
            _("Wait until every invited co-author has accepted or declined, or remove them.")
        )
    try:
        return workflow.move(idea, IdeaStatus.SUBMITTED, actor=user)
    except workflow.TransitionRefused:
        raise Refused(_("This idea has already been submitted.")) from None


# Co-authors -----------------------------------------------------------------------


def invitation_token(author):
    return signing.dumps({"author": author.pk, "email": author.email}, salt=INVITATION_SALT)


def author_from_token(token):
    """The invited :class:`IdeaAuthor` a token was issued for, or ``Refused``."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(
            _("This invitation has expired. Ask the author to invite you again.")
        ) from None
    except signing.BadSignature:
        raise Refused(_("This invitation link is not valid.")) from None
    author = (
        IdeaAuthor.objects.select_related("idea")
        .filter(pk=data.get("author"), email=data.get("email"))
        .first()
    )
    if author is None:
        raise Refused(_("This invitation was withdrawn."))
    return author


def invite_coauthor(idea, page, user, email):
    """Invite ``email`` to co-author a draft; the invitation is emailed after commit."""
    check_can_write(page, user)
    # The form checks too; this is for every other caller. Same rule as sign-up.
    if problem := email_problem(email):
        raise Refused(problem)
    email = canonical_email(email or "")
    if idea.status != IdeaStatus.DRAFT:
        raise Refused(_("Co-authors can be invited only before submitting."))
    if idea.authors.count() > MAX_COAUTHORS:
        raise Refused(
            _("A submission can have at most %(count)s co-authors.") % {"count": MAX_COAUTHORS}
        )
    try:
        with transaction.atomic():
            author = IdeaAuthor.objects.create(idea=idea, email=email)
    except IntegrityError:
        raise Refused(_("This person is already an author or invited.")) from None

    queue_invitation(author.pk)
    return author


def respond_to_invitation(author, user, *, accept):
    """Accept or decline an invitation, as the person it was sent to."""
    if not user.is_authenticated or canonical_email(user.email) != canonical_email(author.email):
        raise Refused(
            _("This invitation was sent to another email address. Sign in with that address.")
        )
    with transaction.atomic():
        locked = IdeaAuthor.objects.select_for_update().get(pk=author.pk)
        if locked.status != CoAuthorStatus.INVITED:
            raise Refused(_("You have already answered this invitation."))
        locked.person = user
        locked.status = CoAuthorStatus.ACCEPTED if accept else CoAuthorStatus.DECLINED
        locked.responded_at = timezone.now()
        locked.save(update_fields=["person", "status", "responded_at"])
    return locked


def remove_coauthor(idea, user, author):
    """The lead author removes a co-author (or withdraws an invitation) before submitting."""
    if author.is_lead or author.idea_id != idea.pk:
        raise Refused(_("The lead author cannot be removed."))
    if idea.status != IdeaStatus.DRAFT:
        raise Refused(_("Authors can be changed only before submitting."))
    author.delete()


def organizations_for(user):
    """The verified organizations ``user`` may submit on behalf of."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return user.represented_organizations()
