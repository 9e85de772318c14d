"""The statements block: which statement a participant sees next, votes, new statements.

Rules every caller (the web form, later the partner API) goes through:

- The block is refused on anonymous-verified calls (:func:`statements_refusal`). A vote
  is stored against the participant's account, and such a call promises that nothing a
  person contributes is linked to their account (docs/privacy.md, the sealed ballots).
  Until votes can be sealed like ballots, the editor cannot open a conversation there.
- A conversation exists once an editor has seeded a statement (:func:`seed_statement`);
  a call without one has no statements block.
- Participants' statements go through the call's moderation: the draft's ``moderation``
  setting where the call has one, else pre-moderation (a survey has no such setting, and
  text nobody has read should not appear under a survey by default).
- Taking part (voting, adding a statement) needs
  :func:`participation.eligibility.check_eligibility`, as every call does.

The order statements are shown in (:func:`next_statement`) follows Pol.is's
(``polismath`` ``conversation.clj``, the comment priorities, and the server's
``nextComment``): among the published statements this person has not voted on, each is
drawn at random with weight ``1 + 8 · 2^(−S/5)``, ``S`` the votes it has (passes
included). A statement nobody has seen is nine times as likely as a well-voted one, so
new and under-voted statements collect votes first, and the draw differs between people.
The draw is seeded by (call, person, how many votes the person has cast), so reloading the
page shows the same statement and the order moves on only with a vote.
"""

import hashlib
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from participation import audit
from participation.access import is_call_editor
from participation.audit.choices import AuditAction
from participation.choices import AnonymityMode, ModerationMode, ModerationState
from participation.eligibility import check_eligibility
from participation.errors import Refused
from participation.forms import normalize_text_input

from .choices import VoteValue
from .models import MAX_STATEMENT_LENGTH, Statement, StatementVote

# Pol.is's priority boost for new statements: 1 + NEW_BOOST · 2^(−votes / NEW_HALF_LIFE).
NEW_BOOST = 8.0
NEW_HALF_LIFE = 5.0

ANONYMOUS_REFUSAL = _(
    "A statements block cannot be used in an anonymous, verified call: votes on statements "
    "are kept with the participant's account, which such a call promises never to do. Choose "
    "named or pseudonymous answers for this call, or remove the statements."
)


def statements_refusal(call):
    """Why ``call`` cannot have a statements block (translated, for its editor), or ``""``."""
    if call.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        return ANONYMOUS_REFUSAL
    return ""


def check_statements_allowed(call):
    """Raise the editor's :class:`ValidationError` when ``call`` cannot have statements."""
    reason = statements_refusal(call)
    if reason:
        raise ValidationError(reason, code="anonymous_call")


def moderation_mode(call):
    """When participants' statements are moderated on ``call``: its setting, else before."""
    return getattr(call, "moderation", None) or ModerationMode.PRE


def has_statements(call_key):
    """Whether the call has a statements conversation (an editor seeded a statement)."""
    return Statement.objects.filter(call_key=call_key, seeded_by_editor=True).exists()


def public_statements(call_key):
    """The statements everyone may see and vote on."""
    return Statement.objects.filter(call_key=call_key, moderation_state=ModerationState.PUBLISHED)


def clean_text(text):
    """The statement's text, normalised, or :class:`Refused` with the reason."""
    text = " ".join(normalize_text_input(text).split())
    if not text:
        raise Refused(_("Write a statement."))
    if len(text) > MAX_STATEMENT_LENGTH:
        raise Refused(
            _("A statement can be at most %(limit)s characters long.")
            % {"limit": MAX_STATEMENT_LENGTH}
        )
    return text


def _refuse_unless_eligible(user, call):
    reason = statements_refusal(call)
    if reason:
        raise Refused(reason)
    eligibility = check_eligibility(user, call)
    if not eligibility:
        raise Refused(eligibility.reason)


def _draw_seed(call_key, user, votes_cast):
    digest = hashlib.sha256(f"{call_key}:{user.pk}:{votes_cast}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def next_statement(call_key, user):
    """The statement ``user`` should vote on next, or ``None`` when none is left.

    Never one the person has voted on, never one not published by moderation; new and
    under-voted statements first, drawn at random (see the module's docstring).
    """
    voted = StatementVote.objects.filter(participant=user, statement__call_key=call_key)
    candidates = list(
        public_statements(call_key)
        .exclude(pk__in=voted.values("statement_id"))
        .annotate(vote_count=Count("votes"))
        .order_by("pk")
    )
    if not candidates:
        return None
    weights = [1 + NEW_BOOST * 2 ** (-s.vote_count / NEW_HALF_LIFE) for s in candidates]
    draw = random.Random(_draw_seed(call_key, user, voted.count()))  # noqa: S311 (not secret)
    return draw.choices(candidates, weights=weights)[0]


def parse_vote_value(value):
    """The :class:`VoteValue` of ``value`` (an int or its text), or :class:`Refused`."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number not in VoteValue.values:
        raise Refused(_("Choose agree, disagree or pass."))
    return VoteValue(number)


def vote(user, statement, value, *, call):
    """Record ``user``'s vote on ``statement`` of ``call``; voting again changes the vote.

    Raises:
        Refused: the person may not take part, the statement is not published or not of
            this call, or ``value`` is not agree, disagree or pass. Nothing is stored.
    """
    value = parse_vote_value(value)
    if statement.call_key != call.call_key:
        raise Refused(_("This statement is not part of this call."))
    _refuse_unless_eligible(user, call)
    with transaction.atomic():
        current = Statement.objects.filter(pk=statement.pk).values("moderation_state").first()
        if current is None or current["moderation_state"] != ModerationState.PUBLISHED:
            raise Refused(_("This statement cannot be voted on."))
        cast, _created = StatementVote.objects.update_or_create(
            statement=statement, participant=user, defaults={"value": value}
        )
    return cast


def add_statement(user, call, text, *, language=None):
    """A participant's new statement on ``call``, through the call's moderation.

    Under pre-moderation it waits (pending) until a moderator publishes it; under
    post-moderation it is published at once. As in Pol.is, the author agrees with their
    own statement: that vote is recorded with it.

    Raises:
        Refused: the person may not take part, or the text is empty, too long or already
            a statement of this call.
    """
    _refuse_unless_eligible(user, call)
    if not has_statements(call.call_key):
        raise Refused(_("This call has no statements to add to."))
    if not allows_additions(call):
        raise Refused(_("Participants cannot add statements to this call."))
    text = clean_text(text)
    state = (
        ModerationState.PENDING
        if moderation_mode(call) == ModerationMode.PRE
        else ModerationState.PUBLISHED
    )
    with transaction.atomic():
        duplicate = Statement.objects.filter(call_key=call.call_key, text=text).exclude(
            moderation_state=ModerationState.REMOVED
        )
        if duplicate.exists():
            raise Refused(_("This statement is already part of the conversation."))
        statement = Statement.objects.create(
            call_key=call.call_key,
            text=text,
            author=user,
            language=language or translation.get_language() or "",
            moderation_state=state,
        )
        StatementVote.objects.create(statement=statement, participant=user, value=VoteValue.AGREE)
    return statement


def seed_statement(editor, call, text, *, language=None):
    """An editor's statement on ``call``, published at once; the first one opens the block.

    Raises:
        ValidationError: the call is anonymous-verified (the editor's message), or the
            text is empty or too long.
        Refused: ``editor`` may not edit the call.
    """
    check_statements_allowed(call)
    if not is_call_editor(editor, call):
        raise Refused(_("Only the call's editors can add statements to it."))
    try:
        text = clean_text(text)
    except Refused as refusal:
        raise ValidationError(refusal.message, code="invalid") from None
    return Statement.objects.create(
        call_key=call.call_key,
        text=text,
        author=editor,
        seeded_by_editor=True,
        language=language or translation.get_language() or "",
        moderation_state=ModerationState.PUBLISHED,
    )


def moderate(moderator, statement, *, call, approve):
    """Publish a waiting statement of ``call``, or remove it; returns it as it now is.

    Raises:
        Refused: ``moderator`` may not edit the call, or the statement is not of it.
    """
    if statement.call_key != call.call_key or not is_call_editor(moderator, call):
        raise Refused(_("Only the call's editors can moderate its statements."))
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        locked.moderation_state = ModerationState.PUBLISHED if approve else ModerationState.REMOVED
        locked.moderated_at = timezone.now()
        locked.moderated_by = moderator
        locked.save(update_fields=["moderation_state", "moderated_at", "moderated_by"])
    return locked


def progress(call_key, user):
    """(statements ``user`` has voted on, published statements) of the call."""
    total = public_statements(call_key).count()
    voted = StatementVote.objects.filter(
        participant=user,
        statement__call_key=call_key,
        statement__moderation_state=ModerationState.PUBLISHED,
    ).count()
    return voted, total


# The statements block in a call page's body -------------------------------------------

# The name call pages give the block in their body's StreamBlock (``pages.blocks``).
BLOCK_TYPE = "statements"


def statements_block(call):
    """The value of the statements block in ``call``'s body, or ``None`` if it has none."""
    for child in getattr(call, "body", None) or []:
        if child.block_type == BLOCK_TYPE:
            return child.value
    return None


def allows_additions(call):
    """Whether participants may add statements to ``call``'s conversation.

    The block's setting; a conversation without a block (seeded through this module, as
    an import does) takes participants' statements.
    """
    block = statements_block(call)
    return True if block is None else bool(block.get("participants_may_add"))


def check_page_statements(page):
    """Raise the editor's :class:`ValidationError` (on ``body``) when ``page`` has a
    statements block it cannot have (an anonymous-verified call)."""
    if statements_block(page) is None:
        return
    reason = statements_refusal(page)
    if reason:
        raise ValidationError({"body": reason}, code="anonymous_call")


def seeds_from_source(page):
    """Whether publishing ``page`` syncs its block's statements: only the page in the
    site's default language does. The call's translations share its conversation
    (``call_key``); their translated texts must not seed a second set of statements."""
    return page.locale_id == Locale.get_default().pk


def sync_seeded_statements(call, *, editor=None):
    """Make the call's seeded statements those of its statements block; idempotent.

    Called when the page is published (Wagtail has checked the publisher's permission;
    ``editor`` is recorded as the author of new statements). Each text of the block is a
    published seeded statement: a new text creates one, a text that is already a
    statement of the call (seeded, or written by a participant and not removed) creates
    nothing, a seeded statement removed earlier and back in the block is published again.
    A seeded statement no longer in the block is retired (removed): nobody is asked about
    it any more, and the votes it has are kept. Participants' statements are never touched.

    Returns:
        ``(created, republished, retired)`` counts. Nothing happens on a page without the
        block (statements seeded otherwise, as an import does, stay), on an
        anonymous-verified call (its page cannot be saved with the block) or on a translation.
    """
    block = statements_block(call)
    if block is None or statements_refusal(call) or not seeds_from_source(call):
        return 0, 0, 0
    texts = []
    for raw in block.get("statements") or []:
        try:
            text = clean_text(raw)
        except Refused:
            continue
        if text not in texts:
            texts.append(text)
    now = timezone.now()
    created = republished = retired = 0
    with transaction.atomic():
        existing = Statement.objects.select_for_update().filter(call_key=call.call_key)
        seeded = {s.text: s for s in existing if s.seeded_by_editor}
        others = {
            s.text
            for s in existing
            if not s.seeded_by_editor and s.moderation_state != ModerationState.REMOVED
        }
        language = call.locale.language_code
        for text in texts:
            statement = seeded.get(text)
            if statement is None:
                if text in others:
                    continue
                Statement.objects.create(
                    call_key=call.call_key,
                    text=text,
                    author=editor,
                    seeded_by_editor=True,
                    language=language,
                    moderation_state=ModerationState.PUBLISHED,
                )
                created += 1
            elif statement.moderation_state != ModerationState.PUBLISHED:
                statement.moderation_state = ModerationState.PUBLISHED
                statement.moderated_at, statement.moderated_by = now, editor
                statement.save(update_fields=["moderation_state", "moderated_at", "moderated_by"])
                republished += 1
        for text, statement in seeded.items():
            if text not in texts and statement.moderation_state != ModerationState.REMOVED:
                statement.moderation_state = ModerationState.REMOVED
                statement.moderated_at, statement.moderated_by = now, editor
                statement.save(update_fields=["moderation_state", "moderated_at", "moderated_by"])
                retired += 1
    return created, republished, retired


# Moderation from the admin's queue ----------------------------------------------------

# Participants' statements a moderator may act on: waiting (pre-moderation) or already
# shown (post-moderation removal). Editors' seeded statements follow the block instead.
QUEUE_STATES = (ModerationState.PENDING, ModerationState.PUBLISHED)


def moderate_from_queue(moderator, statement, *, call, approve):
    """A moderator publishes or removes a participant's statement of ``call``; audited.

    Publishing applies to a waiting statement, removing to a waiting or published one.
    The audit row (who, which statement, the states from and to, never the text) is
    written in the same transaction.

    Returns:
        Statement | None: the moderated statement, or ``None`` when it was already in
        that state or moderated by someone else meanwhile (then nothing changes).

    Raises:
        Refused: ``moderator`` may not edit ``call``, or the statement is not one of its
            participants' statements.
    """
    if statement.seeded_by_editor:
        raise Refused(_("An editor's statement follows the page's statements block."))
    allowed_from = (ModerationState.PENDING,) if approve else QUEUE_STATES
    with transaction.atomic():
        current = (
            Statement.objects.select_for_update()
            .filter(pk=statement.pk, moderation_state__in=allowed_from)
            .first()
        )
        if current is None:
            if statement.call_key != call.call_key or not is_call_editor(moderator, call):
                raise Refused(_("Only the call's editors can moderate its statements."))
            return None
        state_from = current.moderation_state
        moderated = moderate(moderator, current, call=call, approve=approve)
        audit.record(
            moderator,
            AuditAction.MODERATE_COMMENT,
            target=moderated,
            call=call,
            kind="statement",
            state_from=state_from,
            state_to=moderated.moderation_state,
        )
    return moderated
