"""Taking part through the partner API, with the web form's own forms and services.

Nothing here decides what a valid answer or an eligible participant is: the survey's
:class:`SurveyForm`, :func:`check_eligibility`, :func:`submit_response`, the draft's
:class:`ClauseCommentForm` and :func:`post_comment` do, exactly as for the web form.
This module only turns JSON into their inputs and their outcomes into API errors.
"""

import uuid

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from participation.choices import AnonymityMode, CallKind
from participation.drafts import outline
from participation.drafts import services as draft_services
from participation.drafts.forms import ClauseCommentForm
from participation.eligibility import check_eligibility
from participation.errors import Refused
from participation.forms import JalaliDateField, LocalizedNumberField
from participation.opinions import services as statement_services
from participation.opinions.choices import VoteValue
from participation.opinions.models import Statement
from participation.protection import traps
from participation.questions.forms import (
    STARTED_AT_SALT,
    answers_from_cleaned_data,
    field_names_of,
    sign_started_at,
)
from participation.questions.rendering import questionnaire_and_form_class
from participation.submissions.services import AlreadySubmitted, submit_response

from .errors import ApiError, form_errors

CALL_KINDS = (CallKind.SURVEY, CallKind.DRAFT)


def public_call(page_id, kind=None):
    """A live, unrestricted survey or draft page (only of ``kind``, a :class:`CallKind`,
    if given); :class:`ApiError` 404 otherwise."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    wanted = (kind,) if kind else CALL_KINDS
    if page is None or getattr(page, "call_kind", None) not in wanted:
        raise ApiError(404, "call_not_found", _("There is no open call with this id."))
    return page


def call_kind(page):
    return "survey" if page.call_kind == CallKind.SURVEY else "draft"


# Reading ---------------------------------------------------------------------------


def _field_kind(form_field):
    if isinstance(form_field, forms.BooleanField):
        return "boolean"
    if isinstance(form_field, forms.MultipleChoiceField):
        return "multiple_choice"
    if isinstance(form_field, forms.ChoiceField):
        return "choice"
    if isinstance(form_field, LocalizedNumberField):
        return "number"
    if isinstance(form_field, JalaliDateField):
        return "jalali_date"
    return "text"


def describe_field(name, form_field):
    choices = [
        {"value": str(value), "label": str(label)}
        for value, label in getattr(form_field, "choices", ())
        if value != ""
    ]
    return {
        "name": name,
        "label": str(form_field.label or ""),
        "kind": _field_kind(form_field),
        "required": bool(form_field.required),
        "max_length": getattr(form_field, "max_length", None),
        "choices": choices,
    }


def describe_survey(page, request):
    """The survey's questions and their fields, as a partner builds its own form from."""
    questionnaire, form_class = questionnaire_and_form_class(page, request)
    questions = []
    for question in questionnaire.questions:
        questions.append(
            {
                "id": question.id,
                "code": question.code,
                "type": str(question.type),
                "label": str(question.label),
                "help_text": str(question.help_text or ""),
                "required": bool(question.required),
                "step": question.step,
                "shown_if": (
                    {
                        "question_code": question.condition.question_code,
                        "answers": [str(answer) for answer in question.condition.answers],
                    }
                    if question.condition
                    else None
                ),
                "fields": [
                    describe_field(name, form_class.base_fields[name])
                    for name in field_names_of(question)
                    if name in form_class.base_fields
                ],
            }
        )
    return questions


def describe_clauses(page):
    """The provisions open to comment in the current text: id, label and text."""
    provisions = outline.outline_of(page.draft_text)
    return [
        {"id": provision.id, "label": str(provision.label), "text": provision.text}
        for provision in provisions
        if provision.commentable
    ]


def eligibility_of(user, page):
    eligibility = check_eligibility(user, page)
    return {"allowed": bool(eligibility), "reason": str(eligibility.reason or "")}


def check_may_take_part(user, page):
    eligibility = check_eligibility(user, page)
    if not eligibility:
        raise ApiError(403, "not_eligible", eligibility.reason)


# Survey responses ------------------------------------------------------------------


def started_at_binding(request, page):
    """What the signed start time in a call's description is bound to: the partner's key
    and the call (the web form's binding to a person cannot hold here: the description
    may be read before the participant is known)."""
    return traps.binding_of(f"partner-key:{request.partner_key.pk}", f"call:{page.pk}")


def check_started_at(value, binding):
    """Refuse (422 ``invalid_started_at``) a start time not signed for this key and call.

    The web form dates a response by any start time Hadaf signed, since the bot trap checks
    the binding there; a partner's start time is checked here, strictly and always: one
    taken from another call's description, another key's or the web form would date the
    response from a moment that had nothing to do with it.
    """
    if traps.read_bound_time(value, STARTED_AT_SALT, binding) is None:
        message = _(
            "This start time was not given for this call to this API key. Send the "
            "started_at from this call's description, or leave it out."
        )
        raise ApiError(
            422, "invalid_started_at", message, [{"loc": ["body", "started_at"], "msg": message}]
        )


def _form_data(answers, known_fields):
    """The form's POST-like data from JSON answers; refuses unknown names and odd values.

    Args:
        answers: {field name: value or list of values} from the request body.
        known_fields: the survey form's fields, by name.
    """
    data = MultiValueDict()
    errors = []
    for name, value in answers.items():
        loc = ["body", "answers", name]
        if name not in known_fields:
            errors.append({"loc": loc, "msg": _("This survey has no question with this name.")})
            continue
        values = value if isinstance(value, list) else [value]
        if len(values) > 1 and not isinstance(known_fields[name], forms.MultipleChoiceField):
            # A form would silently keep the last of several values; say so instead.
            errors.append({"loc": loc, "msg": _("This question takes a single answer.")})
            continue
        texts = []
        for item in values:
            if isinstance(item, bool):
                if item:
                    texts.append("on")
            elif isinstance(item, str | int | float):
                texts.append(str(item))
            else:
                errors.append({"loc": loc, "msg": _("Give text, a number, true or a list.")})
                break
        if texts:
            data.setlist(name, texts)
    if errors:
        raise ApiError(422, "validation_error", _("Some answers are not valid."), errors)
    return data


def submit_survey_response(request, page, user, answers, started_at=""):
    """Validate ``answers`` with the survey's form and store them as ``user``'s response.

    Args:
        request: the API request (the form class is cached per page revision and language).
        page: the live SurveyCampaignPage.
        user: the participant who authorized the partner site.
        answers: {field name: value or list of values}, named as ``describe_survey`` says.
        started_at: the signed start time from the call's description, if the partner
            kept it; without it the time taken is unknown.

    Returns:
        (status, body): 201 and the stored submission's id and time; for an
        anonymous-verified call only ``"received"``: neither the response nor its time is
        given to the partner or kept in the idempotency record (docs/privacy.md).

    Raises:
        ApiError: 403 not eligible, 409 already answered, 422 invalid answers or a
        start time not signed for this key and this call.
    """
    check_may_take_part(user, page)
    questionnaire, form_class = questionnaire_and_form_class(page, request)
    fields = {name: field for name, field in form_class.base_fields.items() if name != "started_at"}
    data = _form_data(answers, fields)
    binding = started_at_binding(request, page)
    if started_at:
        check_started_at(started_at, binding)
    data["started_at"] = started_at or sign_started_at(binding=binding)
    form = form_class(data, binding=binding)
    if not form.is_valid():
        raise ApiError(
            422,
            "validation_error",
            _("Some answers are not valid."),
            form_errors(form, prefix=("body", "answers")),
        )
    entered = form.cleaned_data["started_at"] if started_at else None
    try:
        submission, _token = submit_response(
            page,
            user,
            answers_from_cleaned_data(questionnaire, form.cleaned_data),
            questionnaire,
            language=page.locale.language_code,
            started_at=entered,
        )
    except AlreadySubmitted:
        raise ApiError(
            409, "already_submitted", _("You have already answered this call.")
        ) from None
    if is_anonymous(page):
        return 201, {"result": "received", "call": page.pk}
    return 201, {
        "result": "received",
        "id": str(submission.uuid),
        "call": page.pk,
        "submitted_at": submission.submitted_at.isoformat(),
    }


def is_anonymous(page):
    """Whether responses to ``page`` are anonymous-verified (stored apart from the account)."""
    return getattr(page, "anonymity", None) == AnonymityMode.ANONYMOUS_VERIFIED


# Clause comments -------------------------------------------------------------------


def post_clause_comment(page, user, payload):
    """Validate a comment with the draft's form and store it with :func:`post_comment`.

    Returns:
        (status, body): 201 with the comment's id and moderation state.

    Raises:
        ApiError: 403 not eligible, 404 unknown clause, 409 already commented,
        422 invalid comment.
    """
    check_may_take_part(user, page)
    clause_id = payload.get("clause_id", "")
    provision = outline.commentable(outline.outline_of(page.draft_text)).get(clause_id)
    if provision is None:
        raise ApiError(
            404,
            "clause_not_found",
            _("This clause does not exist in the draft."),
            [{"loc": ["body", "clause_id"], "msg": _("This clause does not exist in the draft.")}],
        )
    form = ClauseCommentForm(
        {key: payload.get(key) or "" for key in ("kind", "stance", "body", "proposed_text")},
        clause_text=provision.text,
    )
    if not form.is_valid():
        raise ApiError(422, "validation_error", _("The comment is not valid."), form_errors(form))
    try:
        comment = draft_services.post_comment(
            page,
            user,
            clause_id=provision.id,
            kind=form.cleaned_data["kind"],
            stance=form.cleaned_data["stance"],
            body=form.cleaned_data["body"],
            proposed_text=form.cleaned_data["proposed_text"],
            language=page.locale.language_code,
        )
    except draft_services.AlreadyCommented as refusal:
        raise ApiError(409, "already_commented", refusal.message) from None
    except draft_services.Refused as refusal:
        raise ApiError(403, "refused", refusal.message) from None
    return 201, {
        "id": str(comment.uuid),
        "call": page.pk,
        "clause_id": comment.clause_id,
        "moderation_state": comment.moderation_state,
        "created_at": comment.created_at.isoformat(),
    }


# Statements (the opinion map's conversation) -----------------------------------------

VOTE_WORDS = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}


def conversation_of(page):
    """``page`` when it holds a conversation of statements; :class:`ApiError` 404 otherwise."""
    if not statement_services.has_statements(page.call_key):
        raise ApiError(404, "no_statements", _("This call has no statements to vote on or add to."))
    return page


def describe_statement(statement):
    return {"id": str(statement.uuid), "text": statement.text} if statement else None


def next_statement(page, user):
    """The statement ``user`` should vote on next (as the web block draws it) and how far
    they have got; ``statement`` is ``None`` when none is left."""
    conversation_of(page)
    check_may_take_part(user, page)
    voted, total = statement_services.progress(page.call_key, user)
    return {
        "call": page.pk,
        "statement": describe_statement(statement_services.next_statement(page.call_key, user)),
        "voted": voted,
        "total": total,
    }


def vote_on_statement(page, user, statement_id, word):
    """Record ``user``'s vote (``agree``, ``disagree`` or ``pass``) with the web's service.

    Returns:
        (status, body): 200 with the vote and the next statement to vote on.

    Raises:
        ApiError: 403 not eligible or not votable, 404 no such statement in this call.
    """
    conversation_of(page)
    check_may_take_part(user, page)
    try:
        statement_uuid = uuid.UUID(str(statement_id))
    except ValueError:
        statement_uuid = None
    statement = Statement.objects.filter(call_key=page.call_key, uuid=statement_uuid).first()
    if statement is None:
        raise ApiError(404, "statement_not_found", _("This call has no such statement."))
    try:
        statement_services.vote(user, statement, VOTE_WORDS[word], call=page)
    except Refused as refusal:
        raise ApiError(403, "refused", refusal.message) from None
    following = next_statement(page, user)
    return 200, {
        "statement": str(statement.uuid),
        "vote": word,
        "next": following["statement"],
        "voted": following["voted"],
        "total": following["total"],
    }


def add_statement(page, user, text):
    """A participant's new statement, through the call's moderation (the web's service).

    Raises:
        ApiError: 403 not eligible or additions closed, 422 empty, too long or already there.
    """
    conversation_of(page)
    check_may_take_part(user, page)
    if not statement_services.allows_additions(page):
        raise ApiError(403, "refused", _("Participants cannot add statements to this call."))
    try:
        statement = statement_services.add_statement(
            user, page, text, language=page.locale.language_code
        )
    except Refused as refusal:
        message = str(refusal.message)
        raise ApiError(
            422, "validation_error", message, [{"loc": ["body", "text"], "msg": message}]
        ) from None
    return 201, {
        "id": str(statement.uuid),
        "call": page.pk,
        "moderation_state": statement.moderation_state,
    }
