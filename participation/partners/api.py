"""The partner API at /api/hadaf/v1/ (django-ninja), its OpenAPI document and docs.

A partner site calls with its API key (``X-Hadaf-Key``) and, to act for a participant,
the access token that participant granted it (``Authorization: Bearer``). Every
refusal is a JSON :class:`ErrorBody` with a translated ``detail``; every status an
operation can answer is declared in the OpenAPI document. See docs/partners.md.
"""

import functools
import json
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Path, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from pydantic import ConfigDict, Field

from participation.choices import CallKind
from participation.opinions.models import MAX_STATEMENT_LENGTH
from participation.protection.guard import guard
from participation.questions.forms import sign_started_at

from . import idempotency
from . import participation as taking_part
from .auth import PartnerKeyAuth, bearer_token, participant_for, require_key_scope
from .choices import KeyScope, ParticipantScope
from .errors import ApiError, ErrorBody
from .oauth import find_access_token

PageId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422, 429), ErrorBody)
# Operations that act for a participant: they need the bearer token as well as the key.
PARTICIPANT_OPERATIONS = {
    "partner_me",
    "partner_submit_response",
    "partner_post_comment",
    "partner_next_statement",
    "partner_vote_on_statement",
    "partner_add_statement",
}


class StrictJSONParser(Parser):
    """JSON whose strings can be stored: ``"\\ud800"`` is valid JSON but a lone surrogate,
    which no database text column takes; refused here as a malformed body (400)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data


class PartnerAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Declare the participant's bearer token next to the key where both are needed."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})["ParticipantToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("The access token a participant granted your site (OAuth 2, PKCE).")
            ),
        }
        for methods in schema["paths"].values():
            for operation in methods.values():
                if operation.get("operationId") in PARTICIPANT_OPERATIONS:
                    operation["security"] = [{"X-Hadaf-Key": [], "ParticipantToken": []}]
        return schema


api = PartnerAPI(
    title="Hadaf partner API",
    version="1",
    description=(
        "Partner sites submit survey responses and clause comments for participants who "
        "authorized them (OAuth 2 authorization code with PKCE). Guide: docs/partners.md."
    ),
    urls_namespace="hadaf_partner_api",
    auth=PartnerKeyAuth(),
    parser=StrictJSONParser(),
    openapi_url="/openapi.json",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs/",
)


def refuse_query_parameters(request):
    """No operation takes query parameters: a filter or ``limit`` here is a mistake."""
    if not request.GET:
        return None
    return ApiError(
        400,
        "unknown_parameter",
        _("This operation takes no query parameters: %(names)s.")
        % {"names": ", ".join(sorted(request.GET))},
    ).response()


def in_callers_language(view):
    """Answer in the language the partner asks for (Accept-Language), Persian by default.

    The site's own pages take their language from the URL; an API has no language
    prefix, so messages follow the request's Accept-Language header instead.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            response = refuse_query_parameters(request) or view(request, *args, **kwargs)
            response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper


api.add_decorator(in_callers_language, mode="view")


# Errors ----------------------------------------------------------------------------


@api.exception_handler(ApiError)
def api_error(request, exc):
    return exc.response()


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return ApiError(401, "unauthorized", _("Authentication is required.")).response()


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", "")}
        for error in exc.errors
    ]
    return ApiError(
        422, "validation_error", _("The request is not valid; see errors."), errors
    ).response()


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code == 400:
        return ApiError(
            400, "malformed_json", _("The request body must be a JSON object.")
        ).response()
    return ApiError(exc.status_code, "error", str(exc)).response()


@api.exception_handler(Http404)
def not_found(request, exc):
    return ApiError(404, "not_found", _("Not found.")).response()


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: JSON like every refusal (was a 500)."""
    return ApiError(
        413,
        "body_too_large",
        _("The request body is too large: at most %(size)s.")
        % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
    ).response()


# Schemas ---------------------------------------------------------------------------


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ParticipantOut(Schema):
    name: str
    role: str
    academic_verified: bool


class MeOut(Schema):
    site: str
    key_scopes: list[str]
    granted_scopes: list[str]
    participant: ParticipantOut


class ChoiceOut(Schema):
    value: str
    label: str


class FieldOut(Schema):
    name: str
    label: str
    kind: Literal["text", "number", "jalali_date", "choice", "multiple_choice", "boolean"]
    required: bool
    max_length: int | None
    choices: list[ChoiceOut]


class ConditionOut(Schema):
    question_code: str
    answers: list[str]


class QuestionOut(Schema):
    id: str
    code: str
    type: str
    label: str
    help_text: str
    required: bool
    step: int
    shown_if: ConditionOut | None
    fields: list[FieldOut]


class ClauseOut(Schema):
    id: str
    label: str
    text: str


class EligibilityOut(Schema):
    allowed: bool
    reason: str


class CallOut(Schema):
    id: int
    title: str
    kind: Literal["survey", "draft"]
    state: str
    is_open: bool
    url: str
    opens_at: str | None
    closes_at: str | None
    eligibility: EligibilityOut | None = Field(
        None, description="For the participant whose token is sent, if one is."
    )
    started_at: str | None = Field(
        None, description="Send back with the response: the time taken counts from here."
    )
    questions: list[QuestionOut] | None = None
    clauses: list[ClauseOut] | None = None


AnswerValue = str | int | float | bool | list[str | int | float | bool]


class ResponseIn(StrictSchema):
    answers: dict[str, AnswerValue] = Field(
        description="Field name (from the call's questions) → value; a list for several."
    )
    started_at: str = Field("", max_length=500)


class SubmissionOut(Schema):
    result: str = "received"
    call: int
    # Left out for anonymous-verified calls: nothing names or dates an anonymous response.
    id: str | None = None
    submitted_at: str | None = None


class CommentIn(StrictSchema):
    clause_id: str = Field(max_length=64)
    kind: Literal["clause", "new_clause"] = "clause"
    stance: Literal["", "agree", "oppose", "amend", "delete"] = ""
    body: str = ""
    proposed_text: str = ""


class StatementOut(Schema):
    id: str
    text: str


class NextStatementOut(Schema):
    call: int
    statement: StatementOut | None = Field(
        description="The statement to vote on next; null when the participant has voted on all."
    )
    voted: int
    total: int


class VoteIn(StrictSchema):
    vote: Literal["agree", "disagree", "pass"]


class VoteOut(Schema):
    statement: str = Field(description="The statement voted on.")
    vote: str
    next: StatementOut | None = Field(description="The statement to vote on next, or null.")
    voted: int
    total: int


class StatementIn(StrictSchema):
    text: str = Field(max_length=MAX_STATEMENT_LENGTH)


class StatementAddedOut(Schema):
    id: str
    call: int
    moderation_state: str


class CommentOut(Schema):
    id: str
    call: int
    clause_id: str
    moderation_state: str
    created_at: str


# Operations ------------------------------------------------------------------------


def _iso(moment):
    return moment.isoformat() if moment else None


@api.get("/me/", response={200: MeOut, **ERRORS}, operation_id="partner_me", tags=["participant"])
def me(request):
    """Who the access token is for, and what the key and the participant allow."""
    user = participant_for(request)
    token_scopes = _token_scopes(request)
    return Status(
        200,
        {
            "site": request.partner_key.site.name,
            "key_scopes": list(request.partner_key.scopes),
            "granted_scopes": token_scopes,
            "participant": {
                "name": user.get_full_name(),
                "role": getattr(user, "role", "") or "",
                "academic_verified": bool(getattr(user, "academic_verified_at", None)),
            },
        },
    )


def _token_scopes(request):
    token = find_access_token(bearer_token(request))
    return sorted(token.scopes) if token else []


@api.get(
    "/calls/{page_id}/",
    response={200: CallOut, **ERRORS},
    operation_id="partner_call_detail",
    tags=["calls"],
)
def call_detail(request, page_id: PageId):
    """A survey's questions or a draft's clauses, and whether the participant may take part."""
    require_key_scope(request, KeyScope.READ)
    page = taking_part.public_call(page_id)
    user = participant_for(request, required=False)
    body = {
        "id": page.pk,
        "title": page.title,
        "kind": taking_part.call_kind(page),
        "state": str(page.call_state),
        "is_open": page.is_open,
        "url": page.get_full_url(request) or "",
        "opens_at": _iso(page.opens_at),
        "closes_at": _iso(page.closes_at),
        "eligibility": taking_part.eligibility_of(user, page) if user else None,
    }
    if page.call_kind == CallKind.SURVEY:
        body["questions"] = taking_part.describe_survey(page, request)
        body["started_at"] = sign_started_at(binding=taking_part.started_at_binding(request, page))
    else:
        body["clauses"] = taking_part.describe_clauses(page)
    return Status(200, body)


def limit_participant(request, user, scope_name):
    """The web form's per-account limits (participation/protection), counted per participant
    whichever partner site sends for them; over a limit, 429 with Retry-After."""
    request.user = user
    refused = guard(request, scope_name)
    if refused is not None:
        retry_after = refused.get("Retry-After", "60")
        raise ApiError(
            429,
            "too_many_requests",
            _("Too many submissions for this participant; try again later."),
            headers={"Retry-After": retry_after},
        )


@api.post(
    "/calls/{page_id}/responses/",
    response={201: SubmissionOut, **ERRORS},
    operation_id="partner_submit_response",
    tags=["participant"],
)
def submit_response(request, page_id: PageId, payload: ResponseIn):
    """Submit the participant's response to a survey (send an Idempotency-Key)."""
    require_key_scope(request, KeyScope.RESPONSES_WRITE)
    user = participant_for(request, ParticipantScope.RESPONSES)
    limit_participant(request, user, "partner_response")
    page = taking_part.public_call(page_id, CallKind.SURVEY)
    return idempotency.run_once(
        request,
        request.partner_key,
        user.pk,
        lambda: taking_part.submit_survey_response(
            request, page, user, payload.answers, payload.started_at
        ),
        anonymous=taking_part.is_anonymous(page),
    )


@api.post(
    "/calls/{page_id}/comments/",
    response={201: CommentOut, **ERRORS},
    operation_id="partner_post_comment",
    tags=["participant"],
)
def post_comment(request, page_id: PageId, payload: CommentIn):
    """Post the participant's stance and comment on a draft's clause (send an Idempotency-Key)."""
    require_key_scope(request, KeyScope.COMMENTS_WRITE)
    user = participant_for(request, ParticipantScope.COMMENTS)
    limit_participant(request, user, "partner_comment")
    page = taking_part.public_call(page_id, CallKind.DRAFT)
    return idempotency.run_once(
        request,
        request.partner_key,
        user.pk,
        lambda: taking_part.post_clause_comment(page, user, payload.dict()),
    )


@api.get(
    "/calls/{page_id}/statements/next/",
    response={200: NextStatementOut, **ERRORS},
    operation_id="partner_next_statement",
    tags=["participant"],
)
def next_statement(request, page_id: PageId):
    """The statement the participant should vote on next, drawn as on the call's page (new and
    under-voted statements first, never the same order for everyone), and their progress."""
    require_key_scope(request, KeyScope.READ)
    user = participant_for(request, ParticipantScope.STATEMENTS)
    page = taking_part.public_call(page_id)
    return Status(200, taking_part.next_statement(page, user))


@api.post(
    "/calls/{page_id}/statements/{statement_id}/vote/",
    response={200: VoteOut, **ERRORS},
    operation_id="partner_vote_on_statement",
    tags=["participant"],
)
def vote_on_statement(
    request, page_id: PageId, statement_id: Annotated[str, Path(max_length=64)], payload: VoteIn
):
    """Vote agree, disagree or pass on a statement; voting again changes the vote. Answers
    with the next statement to vote on."""
    require_key_scope(request, KeyScope.STATEMENTS_WRITE)
    user = participant_for(request, ParticipantScope.STATEMENTS)
    limit_participant(request, user, "partner_statement_vote")
    page = taking_part.public_call(page_id)
    status, body = taking_part.vote_on_statement(page, user, statement_id, payload.vote)
    return Status(status, body)


@api.post(
    "/calls/{page_id}/statements/",
    response={201: StatementAddedOut, **ERRORS},
    operation_id="partner_add_statement",
    tags=["participant"],
)
def add_statement(request, page_id: PageId, payload: StatementIn):
    """Add the participant's statement to the conversation, through the call's moderation
    (send an Idempotency-Key)."""
    require_key_scope(request, KeyScope.STATEMENTS_WRITE)
    user = participant_for(request, ParticipantScope.STATEMENTS)
    limit_participant(request, user, "partner_statement")
    page = taking_part.public_call(page_id)
    return idempotency.run_once(
        request,
        request.partner_key,
        user.pk,
        lambda: taking_part.add_statement(page, user, payload.text),
    )
