"""Public views of a regulation draft: the text, one clause's discussion, rounds, comparison.

Every page costs a fixed number of queries whatever the number of clauses and
comments: the text comes from the page, counts from one grouped query, decisions
from one more. Every POST redirects back (POST/redirect/GET) with a message.
"""

import functools
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import get_template, render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.caching import short_lived
from participation import sources
from participation.access import is_call_editor, sign_in_url
from participation.choices import SourceKind
from participation.eligibility import check_eligibility
from participation.protection.guard import guard
from participation.security import log_refusal
from participation.sources import SourceRef

from . import comparison, discussion, outline, services
from .choices import CommentKind, DecisionOutcome, ModerationState, Stance
from .diff import compare_texts, render_word_diff
from .diff import summary as change_summary
from .forms import ClauseCommentForm, ReplyForm, ReportForm, VoteForm
from .identity import display_names
from .models import ClauseComment, CommentVote

PAGE_TEMPLATE = "pages/regulation_draft_page.html"
CLAUSE_TEMPLATE = "participation/drafts/clause_page.html"
CHANGES_TEMPLATE = "participation/drafts/changes_page.html"
COMPARISON_TEMPLATE = "participation/drafts/comparison_page.html"
ROW_TEMPLATE = "participation/drafts/includes/provision.html"
ROW_CACHE_SECONDS = 24 * 60 * 60
COMMENTS_PER_PAGE = 20


def chosen_round(request, page):
    """The round asked for with ``?round=``, else the current one. 404 for a round not there."""
    rounds = services.rounds_of(page)
    wanted = request.GET.get("round")
    if not wanted:
        return rounds[-1], rounds
    for review_round in rounds:
        if str(review_round.number) == wanted:
            return review_round, rounds
    raise Http404


def round_provisions(page, review_round):
    """The text of a round: frozen for a closed round, the live text for the open one."""
    if review_round.is_closed:
        return outline.build_outline(outline.raw_items(review_round.text))
    return outline.outline_of(page.draft_text)


@dataclass
class ClauseRow:
    """One provision of the text as the draft page shows it."""

    provision: outline.Provision
    stats: discussion.ClauseStats | None
    heat: int
    decision: object
    html: str = ""

    def cache_key(self, shared):
        """A key for this row's HTML: it changes whenever anything the row shows changes."""
        provision, decision = self.provision, self.decision
        parts = (
            row_template_version(),
            shared,
            provision.id,
            provision.kind,
            provision.label,
            provision.title,
            provision.text,
            self.stats.key() if self.stats else None,
            self.heat,
            (decision.outcome, decision.reason) if decision else None,
        )
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        return f"hadaf:draft-row:{digest}"


@functools.lru_cache
def _template_version(name, debug):
    source = get_template(name).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def row_template_version():
    """A hash of the row template, so a changed template never serves old HTML.

    Read once per process, or on every request with DEBUG on (templates edited live).
    """
    if settings.DEBUG:
        _template_version.cache_clear()
    return _template_version(ROW_TEMPLATE, settings.DEBUG)


def render_rows(rows, context):
    """Each row's HTML, from the cache when nothing it shows has changed.

    Rendering 200 clauses is most of the page's cost; a row changes only when its
    text, discussion counts or decision do, so rows are cached under a key made of
    everything they show (no invalidation needed) and fetched in one ``get_many``.
    """
    shared = {
        key: context[key] for key in ("page_url", "round_query", "decisions_shown", "article_level")
    }
    shared_key = (translation.get_language(), *sorted(shared.items()))
    keys = [row.cache_key(shared_key) for row in rows]
    cached = cache.get_many(keys)
    fresh = {}
    for key, row in zip(keys, rows, strict=True):
        html = cached.get(key)
        if html is None:
            html = render_to_string(ROW_TEMPLATE, {**shared, "row": row})
            fresh[key] = html
        row.html = mark_safe(html)  # noqa: S308 - rendered by our template, escaped there
    if fresh:
        cache.set_many(fresh, ROW_CACHE_SECONDS)


def draft_page(request, page):
    """The text under review, each clause with its discussion and (once public) decision."""
    review_round, rounds = chosen_round(request, page)
    provisions = round_provisions(page, review_round)
    stats = discussion.clause_statistics(page.call_key, review_round.number)
    most_discussed, heat, total = discussion.concentration(provisions, stats)
    by_id = {provision.id: provision for provision in provisions}
    editor = is_call_editor(request.user, page)
    show_decisions = services.decisions_are_public(page, review_round) or editor
    decisions = (
        discussion.decisions_of(page.call_key, review_round.number) if show_decisions else {}
    )
    rows = [
        ClauseRow(
            provision=provision,
            stats=stats.get(provision.id),
            heat=heat.get(provision.id, 0),
            decision=decisions.get(provision.id),
        )
        for provision in provisions
    ]
    eligibility = check_eligibility(request.user, page)
    is_current = review_round.number == rounds[-1].number
    row_context = {
        "page_url": page.get_url(request),
        "round_query": "" if is_current else f"?round={review_round.number}",
        "decisions_shown": bool(decisions),
        # Articles are headings under chapter headings when the text has chapters.
        "article_level": 4 if any(p.kind == outline.CHAPTER for p in provisions) else 3,
    }
    render_rows(rows, row_context)
    context = page.get_context(request)
    context.update(
        {
            **row_context,
            "review_round": review_round,
            "rounds": rounds,
            "is_current_round": is_current,
            "rows": rows,
            "most_discussed": [
                (provision, clause_stats, outline.full_label(provision, by_id))
                for provision, clause_stats in most_discussed
            ],
            "total_contributions": total,
            "commented_clauses": len([row for row in rows if row.stats and row.stats.total]),
            "decisions_shown": bool(decisions),
            "decisions_public": services.decisions_are_public(page, review_round),
            "decision_counts": _decision_counts(decisions.values()),
            "eligibility": eligibility,
            "sign_in_url": sign_in_url(page.get_url(request)),
            "is_editor": editor,
            "has_changes": len(rounds) > 1,
        }
    )
    return short_lived(TemplateResponse(request, PAGE_TEMPLATE, context))


def _decision_counts(decisions):
    counts = dict.fromkeys(DecisionOutcome, 0)
    for decision in decisions:
        counts[DecisionOutcome(decision.outcome)] += 1
    return [(outcome, outcome.label, count) for outcome, count in counts.items() if count]


def clause_page(request, page, clause_id):
    """One clause: its text, decision, comments with replies, and the form to comment."""
    review_round, rounds = chosen_round(request, page)
    provisions = outline.commentable(round_provisions(page, review_round))
    provision = provisions.get(clause_id)
    if provision is None:
        raise Http404
    is_current = review_round.number == rounds[-1].number
    form = None
    if request.method == "POST":
        if not is_current:
            return HttpResponseNotAllowed(["GET"])
        if (refusal := guard(request, "comment")) is not None:
            return refusal
        form = ClauseCommentForm(request.POST, clause_text=provision.text)
        response = _post_comment(request, page, provision, form)
        if response is not None:
            return response
    context = clause_context(request, page, review_round, provision, is_current, form)
    context["rounds"] = rounds
    if provision.kind != outline.ARTICLE:
        context["article"] = provisions.get(provision.article_id)
    return short_lived(TemplateResponse(request, CLAUSE_TEMPLATE, context, status=200))


def _post_comment(request, page, provision, form):
    if not form.is_valid():
        return None
    try:
        comment = services.post_comment(
            page,
            request.user,
            clause_id=provision.id,
            kind=form.cleaned_data["kind"],
            stance=form.cleaned_data["stance"],
            body=form.cleaned_data["body"],
            proposed_text=form.cleaned_data["proposed_text"],
            language=translation.get_language(),
        )
    except services.Refused as refusal:
        form.add_error(None, refusal.message)
        return None
    tag = comment_message_tag(comment.uuid)
    if comment.moderation_state == ModerationState.PENDING:
        messages.success(
            request,
            _("Thank you. Your comment will appear once a moderator has approved it."),
            extra_tags=tag,
        )
    else:
        messages.success(request, _("Thank you. Your comment is published."), extra_tags=tag)
    return HttpResponseRedirect(clause_url(request, page, provision.id) + message_anchor(comment))


def clause_url(request, page, clause_id, review_round=None):
    url = f"{page.get_url(request)}clause/{clause_id}/"
    if review_round is not None:
        url += f"?round={review_round}"
    return url


def clause_context(request, page, review_round, provision, is_current, form):
    user = request.user
    comments = discussion.public_comments(page.call_key, review_round.number).filter(
        clause_id=provision.id, parent=None
    )
    order = request.GET.get("order", "support")
    ordering = ["-created_at", "-pk"] if order == "newest" else ["-support_count", "created_at"]
    paginator = Paginator(comments.select_related("author").order_by(*ordering), COMMENTS_PER_PAGE)
    comment_page = paginator.get_page(request.GET.get("page"))
    shown = list(comment_page.object_list)
    replies = {}
    for reply in (
        discussion.public_comments(page.call_key, review_round.number)
        .filter(parent__in=shown)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        replies.setdefault(reply.parent_id, []).append(reply)
    own = []
    my_votes = {}
    if user.is_authenticated:
        own = list(
            ClauseComment.objects.filter(
                call_key=page.call_key,
                round_number=review_round.number,
                clause_id=provision.id,
                author=user,
            )
            .filter(moderation_state__in=[ModerationState.PENDING, ModerationState.HIDDEN])
            .select_related("author")
            .order_by("created_at")
        )
        my_votes = dict(
            CommentVote.objects.filter(voter=user, comment__in=shown).values_list(
                "comment_id", "value"
            )
        )
    every_comment = [*shown, *(reply for group in replies.values() for reply in group), *own]
    names = display_names(page, every_comment)
    stats = discussion.clause_statistics(
        page.call_key, review_round.number, clause_id=provision.id
    ).get(provision.id)
    editor = is_call_editor(user, page)
    decision = None
    if services.decisions_are_public(page, review_round) or editor:
        decision = discussion.decisions_of(page.call_key, review_round.number).get(provision.id)
    eligibility = check_eligibility(user, page) if is_current else None
    already = set()
    if eligibility and user.is_authenticated:
        already = set(
            ClauseComment.objects.filter(
                call_key=page.call_key,
                round_number=review_round.number,
                clause_id=provision.id,
                author=user,
                parent=None,
            ).values_list("kind", flat=True)
        )
    if eligibility and form is None:
        initial_kind = CommentKind.NEW_CLAUSE if CommentKind.CLAUSE in already else None
        form = ClauseCommentForm(
            clause_text=provision.text, initial={"kind": initial_kind} if initial_kind else None
        )
    cards = [
        comment_card(comment, names, replies.get(comment.pk, []), my_votes, user)
        for comment in shown
    ]
    own_cards = [comment_card(comment, names, [], {}, user) for comment in own]
    general_messages, by_comment = split_messages(request)
    for card in [*cards, *own_cards]:
        card.messages = by_comment.pop(str(card.comment.uuid), [])
    # A message for a comment not on this page of comments is shown at the top.
    general_messages.extend(message for found in by_comment.values() for message in found)
    context = page.get_context(request)
    context.update(
        {
            "review_round": review_round,
            "is_current_round": is_current,
            "provision": provision,
            "stats": stats,
            "decision": decision,
            "cards": cards,
            "own_pending": own_cards,
            "messages": general_messages,
            "comment_page": comment_page,
            "order": "newest" if order == "newest" else "support",
            "form": form if eligibility else None,
            "already_commented": CommentKind.CLAUSE in already,
            "already_proposed": CommentKind.NEW_CLAUSE in already,
            "eligibility": eligibility,
            "sign_in_url": sign_in_url(request.get_full_path()),
            "reply_form": ReplyForm(),
            "report_form": ReportForm(),
            "stances": list(Stance),
            "is_editor": editor,
            "commitments": commitments_citing(page, decision, shown),
        }
    )
    return context


def commitments_citing(page, decision, comments):
    """The public commitments citing the clause's decision or one of ``comments``, each
    once: where a reader goes on from a comment and its decision (person21)."""
    refs = [SourceRef(SourceKind.CLAUSE_COMMENT, page.call_key, object_id=c.pk) for c in comments]
    if decision is not None:
        refs.append(SourceRef(SourceKind.CLAUSE_DECISION, page.call_key, object_id=decision.pk))
    found = {}
    for citations in sources.citations_of(refs).values():
        for citation in citations:
            found.setdefault(citation.url, citation)
    return list(found.values())


@dataclass
class CommentCard:
    comment: ClauseComment
    author_name: str
    diff_html: str
    replies: list
    my_vote: int | None
    is_mine: bool
    messages: list = field(default_factory=list)


def comment_card(comment, names, replies, my_votes, user):
    diff_html = ""
    if comment.kind == CommentKind.CLAUSE and comment.proposed_text:
        diff_html = render_word_diff(comment.clause_text, comment.proposed_text)
    return CommentCard(
        comment=comment,
        author_name=names.get(comment.pk, ""),
        diff_html=diff_html,
        replies=[comment_card(reply, names, [], my_votes, user) for reply in replies],
        my_vote=my_votes.get(comment.pk),
        is_mine=user.is_authenticated and comment.author_id == user.pk,
    )


def comment_action(request, page, comment_uuid, action):
    """Reply to, vote on or report a published comment; back to its clause with a message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Only published comments take replies, votes and reports: any other is a logged 404.
    comment = ClauseComment.objects.filter(
        uuid=comment_uuid, call_key=page.call_key, moderation_state=ModerationState.PUBLISHED
    ).first()
    if comment is None or action not in ACTIONS:
        log_refusal(request, "comment action", comment=comment_uuid, action=action)
        raise Http404
    if not request.user.is_authenticated:
        messages.error(request, _("Sign in to take part."))
        return HttpResponseRedirect(sign_in_url(clause_url(request, page, comment.clause_id)))
    if (refusal := guard(request, "comment_action")) is not None:
        return refusal
    level, text = ACTIONS[action](request, page, comment)
    shown_on = comment.parent if comment.parent_id else comment
    # Shown on the comment itself, where the person acted, not at the top of a long page.
    messages.add_message(request, level, text, extra_tags=comment_message_tag(shown_on.uuid))
    current = services.current_round(page).number
    round_param = None if comment.round_number == current else comment.round_number
    anchor = message_anchor(shown_on)
    return HttpResponseRedirect(clause_url(request, page, comment.clause_id, round_param) + anchor)


def message_anchor(comment):
    """The fragment of the message shown on ``comment``'s card after acting on it.

    The message (``tabindex="-1"``) is the fragment's target, so the browser itself scrolls
    to it and gives it focus, with or without the script. Were the target the card, which
    takes no focus, Chromium would clear the focus the script gave the message once the
    page had loaded.
    """
    return f"#c-{comment.uuid}-message"


COMMENT_MESSAGE_PREFIX = "comment-"


def comment_message_tag(comment_uuid):
    """The ``extra_tags`` of a message shown on the comment ``comment_uuid``."""
    return f"{COMMENT_MESSAGE_PREFIX}{comment_uuid}"


def split_messages(request):
    """The request's messages: those for the page, and those for a comment, by its uuid."""
    general, by_comment = [], {}
    for message in messages.get_messages(request):
        tags = [tag for tag in message.extra_tags.split() if tag.startswith(COMMENT_MESSAGE_PREFIX)]
        if tags:
            by_comment.setdefault(tags[0][len(COMMENT_MESSAGE_PREFIX) :], []).append(message)
        else:
            general.append(message)
    return general, by_comment


def _form_errors(form):
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _reply(request, page, comment):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return messages.ERROR, _form_errors(form)
    try:
        reply = services.post_reply(
            page,
            request.user,
            comment,
            body=form.cleaned_data["body"],
            language=translation.get_language(),
        )
    except services.Refused as refusal:
        return messages.ERROR, refusal.message
    if reply.moderation_state == ModerationState.PENDING:
        return messages.SUCCESS, _("Thank you. Your reply will appear once approved.")
    return messages.SUCCESS, _("Thank you. Your reply is published.")


def _vote(request, page, comment):
    form = VoteForm(request.POST)
    if not form.is_valid():
        return messages.ERROR, _("Choose support or oppose.")
    try:
        vote = services.cast_vote(page, request.user, comment, form.cleaned_data["value"])
    except services.Refused as refusal:
        return messages.ERROR, refusal.message
    if vote is None:
        return messages.SUCCESS, _("Your vote was taken back.")
    return messages.SUCCESS, _("Your vote was recorded.")


def _report(request, page, comment):
    form = ReportForm(request.POST)
    if not form.is_valid():
        return messages.ERROR, _("Choose why you are reporting the comment.")
    try:
        services.report_comment(page, request.user, comment, form.cleaned_data["reason"])
    except services.Refused as refusal:
        return messages.ERROR, refusal.message
    return messages.SUCCESS, _("Thank you. Moderators will look at the comment.")


ACTIONS = {"reply": _reply, "vote": _vote, "report": _report}


def changes_page(request, page):
    """What changed between two rounds (``?from=1&to=2``; by default the last two)."""
    rounds = services.rounds_of(page)
    by_number = {review_round.number: review_round for review_round in rounds}
    if len(rounds) < 2:
        context = page.get_context(request)
        context.update({"rounds": rounds, "changes": None})
        return short_lived(TemplateResponse(request, CHANGES_TEMPLATE, context))
    try:
        later = by_number[int(request.GET.get("to", rounds[-1].number))]
        earlier = by_number[int(request.GET.get("from", later.number - 1))]
    except (KeyError, ValueError):
        raise Http404 from None
    if earlier.number >= later.number:
        raise Http404
    changes = compare_texts(round_provisions(page, earlier), round_provisions(page, later))
    context = page.get_context(request)
    context.update(
        {
            "rounds": rounds,
            "earlier": earlier,
            "later": later,
            "changes": changes,
            "summary": change_summary(changes),
        }
    )
    return short_lived(TemplateResponse(request, CHANGES_TEMPLATE, context))


def comparison_round(request, page):
    """The round a comparison table is for, if its decisions may be shown to this visitor."""
    review_round, rounds = chosen_round(request, page)
    if "round" not in request.GET:
        closed = [candidate for candidate in rounds if candidate.is_closed]
        if not services.decisions_are_public(page, review_round) and closed:
            review_round = closed[-1]
    editor = is_call_editor(request.user, page)
    if not (services.decisions_are_public(page, review_round) or editor):
        return None, rounds, editor
    return review_round, rounds, editor


def comparison_page(request, page):
    """Text under review | proposals | decision and reason | final text, printable."""
    review_round, rounds, editor = comparison_round(request, page)
    context = page.get_context(request)
    context.update({"rounds": rounds, "review_round": review_round, "is_editor": editor})
    if review_round is None:
        context["not_public_yet"] = True
        return short_lived(TemplateResponse(request, COMPARISON_TEMPLATE, context))
    context["rows"] = comparison.comparison_rows(page, review_round)
    return short_lived(TemplateResponse(request, COMPARISON_TEMPLATE, context))


def comparison_xlsx(request, page):
    review_round, _rounds, _editor = comparison_round(request, page)
    if review_round is None:
        raise Http404
    return comparison.comparison_xlsx_response(page, review_round)
