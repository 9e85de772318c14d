"""Participant-facing views of a survey campaign: the embedded form and its states.

The page shows one of: the form (one step at a time), why the visitor cannot take
part, "already received" with a link to edit, or thanks. Every POST redirects
(POST/redirect/GET); answers between steps are kept in the session, except for
anonymous-verified calls: the session names the account, so there the answers of earlier
steps travel in a signed hidden field and each step is shown in answer to the POST.
"""

from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from participation.access import sign_in_url
from participation.choices import AnonymityMode
from participation.eligibility import check_eligibility
from participation.persian import localize_digits
from participation.protection.guard import guard
from participation.questions.forms import (
    answers_from_cleaned_data,
    field_names_of,
    initial_from_answers,
    read_carried,
    read_started_at,
    sign_carried,
    sign_started_at,
)
from participation.questions.rendering import question_views, questionnaire_and_form_class
from participation.results import aggregates, tally
from participation.submissions import mixing
from participation.submissions.services import (
    AlreadySubmitted,
    CallNotOpen,
    anonymous_answers,
    existing_submission,
    has_participated,
    submit_response,
    update_anonymous_response,
    update_response,
)

SESSION_PREFIX = "hadaf.survey"
# Longer than any answer allowed, so the session never holds more than a valid answer.
DRAFT_VALUE_LIMIT = 20_001
FORM_TEMPLATE = "participation/survey_form.html"
NOTICE_TEMPLATE = "participation/eligibility_notice.html"
RECEIVED_TEMPLATE = "participation/already_received.html"
THANKS_TEMPLATE = "participation/survey_thanks.html"
SECRET_TEMPLATE = "participation/edit_secret.html"  # noqa: S105 - a template name
# The anonymous edit secret travels only in POST bodies, never in a URL or the session:
# the participant enters it (or a small script reads it from the link's #fragment, which
# browsers never send). Between the POST that stores a response and the thank-you page it
# waits in a short-lived cookie of the page's path, read and deleted there (docs/privacy.md).
EDIT_SECRET_FIELD = "edit_secret"  # noqa: S105 - a field name
CARRIED_FIELD = "_carried"
EDIT_SECRET_FRAGMENT = "edit-secret"  # noqa: S105 - a fragment name
SECRET_COOKIE = "hadaf_edit_secret"  # noqa: S105 - a cookie name
SECRET_COOKIE_SECONDS = 600
# This browser has opened the call's form (counted once for the completion rate).
OPENED_COOKIE = "hadaf_opened"
OPENED_COOKIE_SECONDS = 60 * 60 * 24 * 365
TAMPERED_MESSAGE = _("This form was changed or has expired. Reload the page and try again.")


def participate(request, page):
    """Show the survey page with its form (or why not), or store a response."""
    return SurveyParticipation(request, page).dispatch()


def has_form_block(page):
    """Whether the body places the form itself (a participation-form block)."""
    return any(child.block_type == "participation_form" for child in page.body)


class SurveyParticipation:
    """One request to a survey page: decides what to show and handles a response."""

    def __init__(self, request, page):
        self.request = request
        self.page = page
        self.user = request.user
        self.questionnaire, self.form_class = questionnaire_and_form_class(page, request)
        self.eligibility = check_eligibility(request.user, page)
        self.editing = "edit" in request.GET
        self.anonymous = page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED
        # A new anonymous-verified response carries its earlier steps in the form, not the
        # session (anonymous edits show every question on one page and keep no draft).
        self.carries_answers = self.anonymous and not self.editing
        self.last_step = self.questionnaire.step_count - 1

    # Dispatch ---------------------------------------------------------------------------

    def dispatch(self):
        if self.request.method == "POST":
            return self.post()
        return self.get()

    def get(self):
        """Show the form, a thank-you, "already received" or why the visitor can't take part."""
        if not self.eligibility:
            return self.render_notice()
        if has_participated(self.page, self.user):
            if "thanks" in self.request.GET:
                return self.render_thanks()
            if self.editing and self.anonymous:
                return self.render_secret_form()
            if self.editing:
                submission = self.own_submission()
                if submission is not None:
                    return self.render_step(submission=submission)
            return self.render_received()
        if self.editing:
            return self.redirect(keep_edit=False)
        first_look = OPENED_COOKIE not in self.request.COOKIES
        response = self.render_step()
        if first_look:
            self.count_opening(response)
        return response

    def count_opening(self, response):
        """Count this browser's first look at the form (the completion rate's denominator).

        Remembered in a cookie of the call's page, not the session: a session row written
        when a person opens an anonymous form would date their visit beside their account.
        """
        tally.record_form_opening(self.page.call_key)
        response.set_cookie(
            OPENED_COOKIE,
            "1",
            max_age=OPENED_COOKIE_SECONDS,
            path=self.cookie_path(),
            secure=self.secure_cookies(),
            httponly=True,
            samesite="Lax",
        )

    def post(self):
        """Validate a step or the whole response; store it and redirect, or show the errors."""
        if not self.eligibility:
            return self.render_notice(status=403)
        if self.editing and self.anonymous:
            return self.post_anonymous_edit()
        submission = None
        if self.editing:
            submission = self.own_submission()
            if submission is None:
                return self.redirect(keep_edit=False)
        step = self.posted_step()
        action = self.request.POST.get("_action", "submit")
        final = step >= self.last_step or action == "submit"
        # Limits and bot traps; the fill time counts from the first step, checked at the last
        # (not when changing a response already sent: one quick fix is normal there).
        shown_at = read_started_at(self.request.POST.get("started_at"))
        rendered_at = shown_at.timestamp() if shown_at else None
        fill_time = final and not self.editing
        refusal = guard(self.request, "survey", fill_time=fill_time, rendered_at=rendered_at)
        if refusal is not None:
            return refusal
        # A valid final POST needs no look-up: the database refuses a second response.
        if submission is None and not final and has_participated(self.page, self.user):
            return self.redirect()
        data = self.merge_posted(step)
        if data is None:
            # The carried answers were changed or made for someone else: refuse, keep nothing.
            return self.render_notice(reason=TAMPERED_MESSAGE, status=400)
        if action == "back" and step > 0:
            return self.keep_draft(data, step - 1)
        form = self.form_class(data, step=None if final else step)
        if not form.is_valid():
            if submission is None and has_participated(self.page, self.user):
                return self.redirect()
            self.save_draft(data)
            return self.render_invalid(form, data, step)
        if not final:
            return self.keep_draft(data, step + 1)
        answers = answers_from_cleaned_data(self.questionnaire, form.cleaned_data)
        if submission is not None:
            return self.save_edit(submission, answers)
        return self.save_new(answers, form.cleaned_data["started_at"])

    # Anonymous edits: the secret in each POST, the whole questionnaire on one page --------

    def post_anonymous_edit(self):
        """Open (``_action=unlock``) or save an anonymous response by its edit secret.

        Nothing of the edit is kept in the session: the secret and the answers travel in
        the form, so no session row ever holds anything that points at the response.
        """
        secret = self.request.POST.get(EDIT_SECRET_FIELD, "")
        current_answers = anonymous_answers(self.page, secret)
        if current_answers is None:
            return self.render_secret_form(error=True, status=400)
        secret = secret.strip()
        if self.request.POST.get("_action") == "unlock":
            initial = initial_from_answers(self.questionnaire, current_answers)
            initial["started_at"] = sign_started_at()
            return self.render_form(self.form_class(initial=initial, step=None), None, secret)
        shown_at = read_started_at(self.request.POST.get("started_at"))
        refusal = guard(
            self.request,
            "survey",
            fill_time=False,
            rendered_at=shown_at.timestamp() if shown_at else None,
        )
        if refusal is not None:
            return refusal
        form = self.form_class(self.posted_data(), step=None)
        if not form.is_valid():
            if "started_at" in form.errors:
                form.add_error(None, TAMPERED_MESSAGE)
            return self.render_form(form, None, secret)
        answers = answers_from_cleaned_data(self.questionnaire, form.cleaned_data)
        try:
            update_anonymous_response(self.page, secret, answers, self.questionnaire)
        except CallNotOpen:
            return self.render_closed_notice()
        return self.redirect(thanks=1, updated=1)

    def posted_data(self):
        """The posted values of the form's fields (empty values left out)."""
        data = MultiValueDict()
        for name in self.form_class.base_fields:
            values = [value for value in self.request.POST.getlist(name) if value != ""]
            if values:
                data.setlist(name, values)
        return data

    def render_secret_form(self, error=False, status=200):
        """The form where a participant enters the edit secret of an anonymous response."""
        context = {
            "page": self.page,
            "action": self.page_url(edit=1),
            "error": error,
            "field_name": EDIT_SECRET_FIELD,
            "fragment_name": EDIT_SECRET_FRAGMENT,
            "call_open": self.page.is_open,
        }
        html = render_to_string(SECRET_TEMPLATE, context, request=self.request)
        return self.render_page(html, status=status)

    # Storing ----------------------------------------------------------------------------

    def save_new(self, answers, started_at):
        """Store a new response; a racing or repeated POST lands on "already received"."""
        try:
            _submission, token = submit_response(
                self.page,
                self.user,
                answers,
                self.questionnaire,
                language=translation.get_language(),
                started_at=started_at,
            )
        except AlreadySubmitted:
            self.clear_draft()
            return self.redirect(keep_edit=False)
        self.clear_draft()
        response = self.redirect(thanks=1)
        if token:
            # Only for the next page: never in the session, never keyed by the account.
            response.set_cookie(
                SECRET_COOKIE,
                token,
                max_age=SECRET_COOKIE_SECONDS,
                path=self.cookie_path(),
                secure=self.secure_cookies(),
                httponly=True,
                samesite="Strict",
            )
        return response

    def save_edit(self, submission, answers):
        """Replace the answers of the participant's response while the call is open."""
        try:
            update_response(self.page, submission, answers, self.questionnaire)
        except CallNotOpen:
            return self.render_closed_notice()
        self.clear_draft()
        return self.redirect(thanks=1, updated=1)

    def render_closed_notice(self):
        return self.render_notice(
            reason=_("This call has closed; your earlier answers were kept unchanged."),
            status=409,
        )

    def own_submission(self):
        """The visitor's named or pseudonymous response (anonymous ones open by their secret,
        in :meth:`post_anonymous_edit`)."""
        return existing_submission(self.page, self.user)

    def secure_cookies(self):
        """HTTPS-only cookies when the site is served over HTTPS (``SECURE_COOKIES``), even
        behind a proxy that does not say so."""
        return settings.SESSION_COOKIE_SECURE or self.request.is_secure()

    def cookie_path(self):
        return urlsplit(self.page.get_url(self.request)).path or "/"

    # Steps and the session draft --------------------------------------------------------

    def session_key(self, name):
        """A session key for this call and this person (and editing or not, for drafts)."""
        return f"{SESSION_PREFIX}.{name}.{self.page.call_key}.{self.user.pk}"

    def draft_key(self):
        return self.session_key("edit-draft" if self.editing else "draft")

    def load_draft(self):
        """The answers typed so far: from the session, or (anonymous-verified) the signed
        hidden field; ``None`` if that field was changed."""
        if self.carries_answers:
            return read_carried(
                self.request.POST.get(CARRIED_FIELD),
                self.form_class.base_fields,
                value_limit=DRAFT_VALUE_LIMIT,
            )
        return dict(self.request.session.get(self.draft_key(), {}))

    def save_draft(self, data):
        """Keep the answers typed so far in the session (never for anonymous-verified calls,
        whose answers travel in the form: see :meth:`keep_draft`)."""
        if self.carries_answers:
            return
        self.request.session[self.draft_key()] = {
            name: [value[:DRAFT_VALUE_LIMIT] for value in values] for name, values in data.lists()
        }

    def keep_draft(self, data, step):
        """Go to ``step`` keeping ``data``: in the session and a redirect, or, for an
        anonymous-verified call, by showing that step now with ``data`` in the form."""
        if not self.carries_answers:
            self.save_draft(data)
            return self.redirect(step=step)
        initial = self.initial_from_data(data)
        initial.setdefault("started_at", sign_started_at())
        return self.render_form(self.form_class(initial=initial, step=step), step, data=data)

    def carried_value(self, data):
        """The signed hidden value carrying ``data`` (without the start time, which has its
        own field); empty when answers are kept in the session."""
        if not self.carries_answers or data is None:
            return ""
        answers = {name: values for name, values in data.lists() if name != "started_at"}
        return sign_carried(answers)

    def clear_draft(self):
        self.request.session.pop(self.draft_key(), None)

    def posted_step(self):
        try:
            step = int(self.request.POST.get("_step", 0))
        except (TypeError, ValueError):
            step = 0
        return min(max(step, 0), self.last_step)

    def requested_step(self):
        try:
            step = int(self.request.GET.get("step", 1)) - 1
        except (TypeError, ValueError):
            step = 0
        return min(max(step, 0), self.last_step)

    def merge_posted(self, step):
        """The session's answers with the posted fields on top (only known fields).

        This step's fields replace what the session holds (an unticked box clears its
        answer); fields of other steps are taken when posted, so a client may also send
        the whole response at once.
        """
        draft = self.load_draft()
        if draft is None:
            return None
        this_step = {"started_at"}
        for question in self.questionnaire.in_step(step):
            this_step.update(field_names_of(question))
        for name in self.form_class.base_fields:
            values = [value for value in self.request.POST.getlist(name) if value != ""]
            if values:
                draft[name] = values
            elif name in this_step:
                draft.pop(name, None)
        return MultiValueDict(draft)

    def initial(self, submission=None):
        """Initial values: the session draft, over the stored answers when editing."""
        initial = {}
        if submission is not None:
            initial.update(initial_from_answers(self.questionnaire, submission.answers.all()))
        if not self.carries_answers:
            initial.update(self.initial_from_data(self.load_draft()))
        return initial

    def initial_from_data(self, data):
        """Initial form values from ``{field name: [values]}``."""
        initial = {}
        for name, values in dict(data.lists() if hasattr(data, "lists") else data).items():
            form_field = self.form_class.base_fields.get(name)
            multiple = isinstance(form_field, forms.MultipleChoiceField)
            initial[name] = values if multiple else (values[0] if values else "")
        return initial

    # Rendering --------------------------------------------------------------------------

    def render_step(self, submission=None):
        """The form at the requested step (GET)."""
        if self.editing and "step" not in self.request.GET:
            self.clear_draft()  # Start editing from the stored answers.
        # A new anonymous-verified response has no answers kept between requests: it starts
        # at the first step (later steps are reached by POST, carrying the earlier ones).
        step = 0 if self.carries_answers else self.requested_step()
        initial = self.initial(submission)
        initial.setdefault("started_at", sign_started_at())
        form = self.form_class(initial=initial, step=step)
        return self.render_form(form, step)

    def render_invalid(self, form, data, step):
        """Show the earliest step with an error; a tampered start time is reset."""
        error_steps = [
            question.step
            for question in form.questions
            if any(name in form.errors for name in field_names_of(question))
        ]
        if "started_at" in form.errors:
            data.setlist("started_at", [sign_started_at()])
            self.save_draft(data)
            form = self.form_class(data, step=form.step)
            form.is_valid()
            form.add_error(None, TAMPERED_MESSAGE)
        return self.render_form(form, min(error_steps, default=step), data=data)

    def form_action(self):
        return self.page_url(edit=1) if self.editing else self.page_url()

    def render_form(self, form, step, secret="", status=200, data=None):
        """The form at ``step``, or every question at once (``step=None``, anonymous edits)."""
        whole = step is None
        in_view = self.questionnaire.questions if whole else self.questionnaire.in_step(step)
        questions = question_views(form, in_view)
        errors = [view for view in questions if view.errors]
        context = {
            "page": self.page,
            "form": form,
            "questions": questions,
            "error_questions": errors,
            "non_field_errors": form.non_field_errors(),
            "step": 0 if whole else step,
            "step_number": 1 if whole else step + 1,
            "step_count": 1 if whole else self.questionnaire.step_count,
            "step_title": "" if whole else self.questionnaire.step_titles[step],
            "is_first_step": whole or step == 0,
            "is_last_step": whole or step == self.last_step,
            "editing": self.editing,
            "action": self.form_action(),
            "has_required": any(view.question.required for view in questions),
            "edit_secret": secret,
            "edit_secret_field": EDIT_SECRET_FIELD,
            "carried": self.carried_value(data),
            "carried_field": CARRIED_FIELD,
        }
        html = render_to_string(FORM_TEMPLATE, context, request=self.request)
        response = self.render_page(html, status=status)
        if secret or data is not None:
            add_never_cache_headers(response)
        return response

    def render_notice(self, reason=None, status=200):
        context = {
            "page": self.page,
            "reason": reason or self.eligibility.reason,
            "needs_sign_in": self.eligibility.needs_sign_in and reason is None,
            "sign_in_url": self.sign_in_url(),
            "participated": has_participated(self.page, self.user),
        }
        html = render_to_string(NOTICE_TEMPLATE, context, request=self.request)
        return self.render_page(html, status=status)

    def render_received(self):
        context = {"page": self.page, **self.edit_link_context()}
        html = render_to_string(RECEIVED_TEMPLATE, context, request=self.request)
        return self.render_page(html, done=True)

    def render_thanks(self):
        """Thanks; after a new anonymous response, its edit secret, shown this once."""
        secret = self.new_secret()
        context = {
            "page": self.page,
            "updated": "updated" in self.request.GET,
            "edit_secret": secret,
            "secret_edit_url": (
                self.request.build_absolute_uri(self.page_url(edit=1))
                + "#"
                + urlencode({EDIT_SECRET_FRAGMENT: secret})
                if secret
                else ""
            ),
            "results_public": aggregates.results_visible_to_public(self.page),
            "batch_size": mixing.batch_size(),
            "batch_label": localize_digits(mixing.batch_size()),
            **self.edit_link_context(),
        }
        html = render_to_string(THANKS_TEMPLATE, context, request=self.request)
        response = self.render_page(html, done=True)
        if SECRET_COOKIE in self.request.COOKIES:
            response.delete_cookie(SECRET_COOKIE, path=self.cookie_path(), samesite="Strict")
            add_never_cache_headers(response)
        return response

    def new_secret(self):
        """The secret in the one-time cookie, if it opens a response to this call."""
        secret = self.request.COOKIES.get(SECRET_COOKIE, "")
        if not self.anonymous or anonymous_answers(self.page, secret) is None:
            return ""
        return secret

    def edit_link_context(self):
        """The link to edit one's answers (or to enter the secret), if the call is open."""
        url = self.page_url(edit=1) if self.page.is_open else ""
        return {"edit_url": url, "anonymous": self.anonymous, "call_open": self.page.is_open}

    def render_page(self, participation_form_html, status=200, done=False):
        """The survey page with ``participation_form_html`` where the body places it;
        ``done`` (a thank-you or "already received") drops the invitation to take part."""
        context = self.page.get_context(self.request)
        context.update(
            participation_form_html=participation_form_html,
            participation_done=done,
            has_form_block=has_form_block(self.page),
            results_public=aggregates.results_visible_to_public(self.page),
        )
        return TemplateResponse(
            self.request, self.page.get_template(self.request), context, status=status
        )

    # URLs -------------------------------------------------------------------------------

    def page_url(self, **params):
        url = self.page.get_url(self.request)
        query = urlencode({key: value for key, value in params.items() if value is not None})
        return f"{url}?{query}" if query else url

    def redirect(self, step=None, keep_edit=True, **params):
        """Redirect to this page (POST/redirect/GET), staying in edit mode unless told not to."""
        if step is not None:
            params["step"] = step + 1
        if keep_edit and self.editing and "thanks" not in params:
            params["edit"] = 1
        return HttpResponseRedirect(self.page_url(**params) + "#participate")

    def sign_in_url(self):
        return sign_in_url(self.page.get_url(self.request))
