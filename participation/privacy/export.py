"""Building a person's data export: one zip of JSON files, their files and a README.

Everything is read by the person's own foreign keys, never by name or address, so
nothing of anyone else can slip in. Answers to anonymous-verified calls are not linked
to the account, so only the receipt that the person took part is included.
"""

import json
import tempfile
import zipfile

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from participation import personal_data
from participation.choices import AcademicRank, Role
from participation.drafts.models import ClauseComment, CommentReport, CommentVote
from participation.ideas.attachments import display_name
from participation.ideas.models import Idea, ReviewAssignment
from participation.incentives.models import Award, Certificate
from participation.people.models import OrganizationMembership
from participation.persian import format_date
from participation.questions.schema import read_questions
from participation.submissions.models import ParticipationReceipt, Submission

from . import services

# (file name in the zip, the function that builds its data; None leaves the file out)
SECTIONS = []


def section(name):
    def register(function):
        SECTIONS.append((name, function))
        return function

    return register


def when(value):
    """An ISO date or time and its Jalali reading, side by side."""
    if value is None:
        return {"iso": None, "jalali": None}
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return {"iso": value.isoformat(), "jalali": format_date(value, "fa", with_time=True)}


def label_of(choices, value):
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return value


def _call_titles(keys):
    """{call_key: the call's title} in the active language (falling back to any)."""
    from wagtail.models import Page

    keys = {key for key in keys if key}
    titles = {}
    language = translation.get_language()
    for page in Page.objects.filter(translation_key__in=keys).select_related("locale"):
        if page.translation_key not in titles or page.locale.language_code == language:
            titles[page.translation_key] = page.title
    return titles


def _questionnaire(page):
    questions = getattr(page.specific if page else None, "questions", None)
    if questions is None:
        return {}
    try:
        return read_questions(questions).by_id()
    except Exception:  # noqa: BLE001 — a broken old block never stops an export
        return {}


def _answers(rows, page):
    questions = _questionnaire(page)
    answers = []
    for row in rows:
        question = questions.get(row.question_id)
        option = question.choice(row.choice_id) if question and row.choice_id else None
        statement = question.choice(row.row_id) if question and row.row_id else None
        answers.append(
            {
                "question_id": row.question_id,
                "question": question.label if question else "",
                "row_id": row.row_id,
                "row": statement.label if statement else "",
                "choice_id": row.choice_id,
                "choice": option.label if option else "",
                "number": row.number,
                "text": row.text,
                "date": when(row.date) if row.date else None,
            }
        )
    return answers


@section("profile.json")
def profile(person, archive):
    data = {
        "email": person.email,
        "phone": person.phone,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "role": person.role,
        "role_label": label_of(Role, person.role),
        "university": person.university.name if person.university else "",
        "faculty": person.faculty,
        "academic_rank": person.academic_rank,
        "academic_rank_label": label_of(AcademicRank, person.academic_rank),
        "academic_verified_at": when(person.academic_verified_at),
        "academic_verified_via": person.academic_verified_via,
        "date_joined": when(person.date_joined),
        "last_login": when(person.last_login),
        "email_addresses": [],
    }
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        data["email_addresses"] = [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=person).order_by("pk")
        ]
    return data


@section("survey_responses.json")
def survey_responses(person, archive):
    submissions = (
        Submission.objects.filter(participant=person)
        .select_related("call")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    titles = _call_titles(submission.call_key for submission in submissions)
    return [
        {
            "id": str(submission.uuid),
            "call": titles.get(submission.call_key, ""),
            "call_key": str(submission.call_key),
            "language": submission.language,
            "status": submission.status,
            "role_when_answered": submission.respondent_role,
            "university_when_answered": submission.respondent_university,
            "started_at": when(submission.started_at),
            "submitted_at": when(submission.submitted_at),
            "updated_at": when(submission.updated_at),
            "answers": _answers(submission.answers.all(), submission.call),
        }
        for submission in submissions
    ]


@section("anonymous_participation.json")
def anonymous_participation(person, archive):
    receipts = ParticipationReceipt.objects.filter(participant=person).order_by("created_at", "pk")
    titles = _call_titles(receipt.call_key for receipt in receipts)
    return [
        {
            "call": titles.get(receipt.call_key, ""),
            "call_key": str(receipt.call_key),
            "took_part_on": when(receipt.created_at),
        }
        for receipt in receipts
    ]


@section("clause_comments.json")
def clause_comments(person, archive):
    comments = ClauseComment.objects.filter(author=person).select_related("parent")
    titles = _call_titles(comment.call_key for comment in comments)
    return [
        {
            "id": str(comment.uuid),
            "call": titles.get(comment.call_key, ""),
            "call_key": str(comment.call_key),
            "round": comment.round_number,
            "clause_id": comment.clause_id,
            "clause_text": comment.clause_text,
            "kind": comment.kind,
            "stance": comment.stance,
            "comment": comment.body,
            "proposed_wording": comment.proposed_text,
            "reply_to": str(comment.parent.uuid) if comment.parent else None,
            "moderation": comment.moderation_state,
            "support": comment.support_count,
            "oppose": comment.oppose_count,
            "written_at": when(comment.created_at),
        }
        for comment in comments
    ]


@section("comment_votes.json")
def comment_votes(person, archive):
    votes = CommentVote.objects.filter(voter=person).select_related("comment").order_by("pk")
    return [
        {
            "comment": str(vote.comment.uuid),
            "call_key": str(vote.comment.call_key),
            "clause_id": vote.comment.clause_id,
            "vote": vote.value,
            "at": when(vote.created_at),
        }
        for vote in votes
    ]


@section("comment_reports.json")
def comment_reports(person, archive):
    reports = CommentReport.objects.filter(reporter=person).select_related("comment")
    return [
        {
            "comment": str(report.comment.uuid),
            "call_key": str(report.comment.call_key),
            "reason": report.reason,
            "reported_at": when(report.created_at),
            "resolved_at": when(report.resolved_at),
        }
        for report in reports.order_by("pk")
    ]


@section("ideas.json")
def ideas(person, archive):
    rows = (
        Idea.objects.filter(Q(created_by=person) | Q(authors__person=person))
        .distinct()
        .select_related("call", "organization")
        .prefetch_related("answers", "attachments", "authors")
        .order_by("created_at", "pk")
    )
    titles = _call_titles(idea.call_key for idea in rows)
    data = []
    for idea in rows:
        own = [author for author in idea.authors.all() if author.person_id == person.pk]
        files = []
        for position, attachment in enumerate(idea.attachments.all(), start=1):
            name = display_name(attachment)
            path = f"ideas/{idea.uuid}/{position:02d}-{name}"
            try:
                with attachment.file.open("rb") as source, archive.open(path, "w") as target:
                    for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                        target.write(chunk)
            except (FileNotFoundError, OSError):
                path = None  # Listed, but its file is gone from storage.
            files.append(
                {
                    "name": attachment.original_name,
                    "type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "uploaded_at": when(attachment.uploaded_at),
                    "file_in_this_zip": path,
                }
            )
        data.append(
            {
                "id": str(idea.uuid),
                "call": titles.get(idea.call_key, ""),
                "call_key": str(idea.call_key),
                "kind": idea.kind,
                "title": idea.title,
                "summary": idea.summary,
                "body": idea.body,
                "status": idea.status,
                "status_reason": idea.status_reason,
                "on_behalf_of": idea.organization.name if idea.organization else "",
                "show_in_gallery": idea.show_in_gallery,
                "started_by_you": idea.created_by_id == person.pk,
                "your_authorship": [
                    {"lead": author.is_lead, "status": author.status} for author in own
                ],
                "number_of_authors": len(idea.authors.all()),
                "created_at": when(idea.created_at),
                "submitted_at": when(idea.submitted_at),
                "answers": _answers(idea.answers.all(), idea.call),
                "attachments": files,
            }
        )
    return data


@section("jury_reviews.json")
def jury_reviews(person, archive):
    reviews = (
        ReviewAssignment.objects.filter(reviewer=person)
        .select_related("idea")
        .prefetch_related("scores")
        .order_by("assigned_at", "pk")
    )
    return [
        {
            "idea": str(review.idea.uuid),
            "idea_title": review.idea.title,
            "call_key": str(review.idea.call_key),
            "status": review.status,
            "comment": review.comment,
            "reason_for_recusal": review.recusal_reason,
            "assigned_at": when(review.assigned_at),
            "scored_at": when(review.scored_at),
            "scores": [
                {"criterion_id": score.criterion_id, "score": score.score, "comment": score.comment}
                for score in review.scores.all()
            ],
        }
        for review in reviews
    ]


@section("awards.json")
def awards(person, archive):
    data = []
    for award in Award.objects.filter(recipient_user=person).order_by("awarded_at", "pk"):
        certificate = Certificate.objects.filter(award=award).first()
        item = {
            "kind": award.kind,
            "kind_label": award.get_kind_display(),
            "call": award.call_title,
            "reason": award.reason,
            "amount_rials": award.amount,
            "promotion_points": award.points,
            "awarded_at": when(award.awarded_at),
            "certificate": None,
        }
        if certificate is not None:
            path = None
            if certificate.pdf:
                path = f"certificates/{certificate.code}.pdf"
                try:
                    with certificate.pdf.open("rb") as source:
                        archive.writestr(path, source.read())
                except (FileNotFoundError, OSError):
                    path = None
            item["certificate"] = {
                "code": certificate.display_code,
                "holder": certificate.holder_name,
                "issued_on": when(certificate.issued_on),
                "status": certificate.status,
                "revoked_at": when(certificate.revoked_at),
                "file_in_this_zip": path,
            }
        data.append(item)
    return data


@section("organization_memberships.json")
def organization_memberships(person, archive):
    memberships = OrganizationMembership.objects.filter(person=person).select_related(
        "organization", "organization__university"
    )
    return [
        {
            "organization": membership.organization.name,
            "kind": membership.organization.kind,
            "university": (
                membership.organization.university.name
                if membership.organization.university
                else ""
            ),
            "representative": membership.is_representative,
            "joined_at": when(membership.joined_at),
        }
        for membership in memberships.order_by("joined_at", "pk")
    ]


@section("notifications.json")
def notifications(person, archive):
    model = services._notification_model()
    field = services._person_field(model) if model is not None else ""
    if not field:
        return None
    rows = []
    for notification in model.objects.filter(**{field: person}).order_by("pk"):
        row = {}
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation:
                continue
            value = getattr(notification, model_field.attname)
            row[model_field.name] = when(value) if hasattr(value, "isoformat") else value
        rows.append(row)
    return rows


def _dated(data):
    """``data`` with every date or time written as :func:`when` does (providers' data)."""
    if isinstance(data, dict):
        return {key: _dated(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_dated(value) for value in data]
    if hasattr(data, "isoformat"):
        return when(data)
    return data


def _dump(data):
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


def build_zip(person, target):
    """Write ``person``'s export as a zip into the binary file ``target``; returns the names."""
    names = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, build in SECTIONS:
            data = build(person, archive)
            if data is None:
                continue
            archive.writestr(name, _dump(data))
            names.append(name)
        provided = []
        for provider in personal_data.providers():  # the feature apps' own data
            data = provider.export(person)
            if data is None:
                continue
            archive.writestr(provider.name, _dump(_dated(data)))
            provided.append((provider.name, provider.description))
        names.extend(name for name, _description in provided)
        readme = render_to_string(
            "participation/privacy/export_readme.txt",
            {
                "person": person,
                "names": [name for name in names if name not in dict(provided)],
                "provided": provided,
                "generated_at": format_date(timezone.now(), "fa", with_time=True),
            },
        )
        archive.writestr("README.txt", readme)
    return ["README.txt", *names]


def build_export_file(person):
    """The export as a temporary file, rewound (the caller closes it)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 — returned open, closed by the caller
    build_zip(person, target)
    target.seek(0)
    return target
