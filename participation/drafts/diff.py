"""Word-level differences between two wordings of a clause, and between two rounds of a text.

Participants' proposed wordings are shown against the clause they replace, and the public
"what changed" page compares two rounds of a draft provision by provision (matched by the
stable block id).

Words are compared, not characters: a Persian word written with a zero-width non-joiner
(«می‌شود») is one word, each punctuation mark is a word of its own, and whitespace is kept
as separate tokens so that the pieces put back together give the texts exactly. Two
spellings that only differ by Arabic versus Persian letter forms (ي/ی, ى/ی, ك/ک, Arabic-Indic
versus Persian digits) or by the kind or amount of whitespace count as the same; the new
text's spelling is shown.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .outline import ARTICLE, CHAPTER, Provision

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
STATUSES = (UNCHANGED, CHANGED, ADDED, REMOVED)

# Whitespace runs; words (letters, digits, combining marks, ZWNJ/ZWJ inside or at the edge
# of a word); any other character (punctuation, symbols, invisible controls) alone.
_TOKEN = re.compile(
    r"\s+"
    r"|[\w\u200c\u200d\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+"
    r"|.",
    re.DOTALL,
)

# Spellings that read the same: Arabic letter forms and digits as their Persian ones.
_SAME_LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", **{chr(0x0660 + n): chr(0x06F0 + n) for n in range(10)}}
)


@dataclass
class DiffPiece:
    """A run of text that both wordings share, or that only the old or the new one has.

    ``text`` is what is shown: the new text's spelling for ``equal`` pieces. ``old_text`` is
    the same run as the old text writes it (it may differ from ``text`` by letter forms or
    whitespace); it is the deleted text for ``delete`` pieces and empty for ``insert`` ones.
    """

    op: str
    text: str
    old_text: str | None = None

    def __post_init__(self):
        if self.old_text is None:
            self.old_text = "" if self.op == INSERT else self.text


@dataclass
class ProvisionChange:
    """One provision of a text compared with the same block (by id) in another round.

    ``status`` is one of :data:`STATUSES`. ``renumbered`` is set when the provision reads
    under another label («ماده ۳» became «ماده ۴»); ``moved`` when it changed article or
    order relative to the provisions both rounds share. ``diff_html`` and ``title_diff_html``
    are :func:`render_word_diff` of the texts and of the titles ("" when both are empty);
    added provisions show as all inserted, removed ones as all deleted.
    """

    status: str
    old: Provision | None
    new: Provision | None
    diff_html: SafeString
    title_diff_html: SafeString
    renumbered: bool = False
    moved: bool = False

    @property
    def provision(self):
        """The provision as it reads now (the old one if it was removed)."""
        return self.new if self.new is not None else self.old


def tokenize(text):
    """Split ``text`` into words, single punctuation marks and whitespace runs.

    Joining the tokens gives ``text`` back.
    """
    return _TOKEN.findall(text or "")


def _comparison_key(token):
    if token.isspace():
        return " "
    return token.translate(_SAME_LETTERS)


def word_diff(old, new):
    """Compare two wordings word by word.

    Args:
        old: The text as it was (e.g. the clause under review).
        new: The text as proposed or as it reads in the later round.

    Returns:
        list[DiffPiece]: Runs in reading order, adjacent runs of the same kind merged; within
        a change the deleted run comes before the inserted one. Joining the ``text`` of the
        ``equal`` and ``insert`` pieces gives ``new``; joining every ``old_text`` gives
        ``old`` (see :func:`text_after` and :func:`text_before`).
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = SequenceMatcher(
        None,
        [_comparison_key(token) for token in old_tokens],
        [_comparison_key(token) for token in new_tokens],
        autojunk=False,
    )
    runs = []  # (op, shown text, old text), one per token
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == EQUAL:
            runs += [
                (EQUAL, n, o) for n, o in zip(new_tokens[j1:j2], old_tokens[i1:i2], strict=True)
            ]
        else:
            runs += [(DELETE, token, token) for token in old_tokens[i1:i2]]
            runs += [(INSERT, token, "") for token in new_tokens[j1:j2]]
    return _merge(_absorb_spaces(_start_changes_at_words(runs)))


def _start_changes_at_words(runs):
    """Slide a lone insertion or deletion that starts with a space past the shared space
    after it: "a b" + inserted " x" + " c" becomes "a " + inserted "x " + "c"; the
    matcher may give either, and changes read better starting at a word."""
    runs = list(runs)
    start = 0
    while start < len(runs):
        op = runs[start][0]
        if op == EQUAL:
            start += 1
            continue
        end = start
        while end < len(runs) and runs[end][0] == op:
            end += 1
        if end < len(runs) and runs[end][0] != EQUAL:
            # Part of a replacement: leave it as it is.
            while end < len(runs) and runs[end][0] != EQUAL:
                end += 1
            start = end
            continue
        while (
            end < len(runs)
            and runs[end][0] == EQUAL
            and runs[start][1].isspace()
            and _comparison_key(runs[start][1]) == _comparison_key(runs[end][1])
        ):
            # The equal token after the change now pairs with the change's first token.
            (_, text, old_text), (_, next_text, next_old_text) = runs[start], runs[end]
            if op == INSERT:
                runs[start], runs[end] = (EQUAL, text, next_old_text), (INSERT, next_text, "")
            else:
                runs[start], runs[end] = (
                    (EQUAL, next_text, old_text),
                    (op, next_old_text, next_old_text),
                )
            start, end = start + 1, end + 1
        start = end
    return runs


def _absorb_spaces(runs):
    """Fold a shared space between two changes into both, so that "one two" replaced by
    "three four" reads as one replacement, not two."""
    absorbed = []
    for index, (op, text, old_text) in enumerate(runs):
        between_changes = 0 < index < len(runs) - 1 and EQUAL not in (
            runs[index - 1][0],
            runs[index + 1][0],
        )
        if op == EQUAL and text.isspace() and between_changes:
            absorbed += [(DELETE, old_text, old_text), (INSERT, text, "")]
        else:
            absorbed.append((op, text, old_text))
    return absorbed


def _merge(runs):
    """Merge each stretch of changes into one deletion then one insertion."""
    pieces = []
    deleted = inserted = ""

    def flush():
        if deleted:
            pieces.append(DiffPiece(DELETE, deleted))
        if inserted:
            pieces.append(DiffPiece(INSERT, inserted))

    for op, text, old_text in runs:
        if op == DELETE:
            deleted += text
        elif op == INSERT:
            inserted += text
        else:
            flush()
            deleted = inserted = ""
            if pieces and pieces[-1].op == EQUAL:
                pieces[-1].text += text
                pieces[-1].old_text += old_text
            else:
                pieces.append(DiffPiece(EQUAL, text, old_text))
    flush()
    return pieces


def text_after(pieces):
    """The new text, put back together from :func:`word_diff` pieces."""
    return "".join(piece.text for piece in pieces if piece.op != DELETE)


def text_before(pieces):
    """The old text, put back together from :func:`word_diff` pieces."""
    return "".join(piece.old_text for piece in pieces)


def has_changes(pieces):
    """Whether the pieces insert or delete anything."""
    return any(piece.op != EQUAL for piece in pieces)


def _change_html(tag, announcement, text):
    # Screen readers do not announce <del>/<ins>; hidden text at both ends says what it is.
    return format_html(
        '<{tag} class="word-diff__{tag}"><span class="visually-hidden">[{announcement} </span>'
        '{text}<span class="visually-hidden">]</span></{tag}>',
        tag=tag,
        announcement=announcement,
        text=text,
    )


def render_pieces(pieces):
    """HTML for :func:`word_diff` pieces; see :func:`render_word_diff`."""
    deleted_label, inserted_label = _("deleted:"), _("inserted:")
    parts = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if piece.op == DELETE and following is not None and following.op == INSERT:
            parts.append(
                format_html(
                    '<span class="word-diff__replacement">{}{}</span>',
                    _change_html("del", deleted_label, piece.text),
                    _change_html("ins", inserted_label, following.text),
                )
            )
            index += 2
            continue
        if piece.op == DELETE:
            parts.append(_change_html("del", deleted_label, piece.text))
        elif piece.op == INSERT:
            parts.append(_change_html("ins", inserted_label, piece.text))
        else:
            parts.append(format_html("{}", piece.text))
        index += 1
    return format_html(
        '<span class="word-diff" dir="auto">{}</span>',
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def render_word_diff(old, new):
    """Show how ``new`` differs from ``old``, word by word, as HTML.

    Deleted words are in ``<del>``, inserted ones in ``<ins>``; a deletion followed by an
    insertion is a replacement, wrapped in ``<span class="word-diff__replacement">``. Each
    ``<del>``/``<ins>`` starts and ends with visually hidden text («[حذف: … ]») because screen
    readers do not announce these elements. Everything is escaped.

    Args:
        old: The text as it was.
        new: The text as proposed or as it reads now.

    Returns:
        SafeString: ``<span class="word-diff" dir="auto">…</span>``.
    """
    return render_pieces(word_diff(old, new))


def _render_if_any(old, new):
    return render_word_diff(old, new) if old or new else SafeString("")


def _order_group(provision):
    """Provisions whose order among themselves is compared: chapters, articles, and the
    clauses and notes of one article."""
    if provision.kind in (CHAPTER, ARTICLE):
        return provision.kind
    return ("in", provision.article_id)


def _moved_ids(old_by_id, new_provisions):
    """Ids of shared provisions that changed article or left the longest run of the order
    their group (see :func:`_order_group`) had in both texts."""
    moved = set()
    old_orders, new_orders = {}, {}
    for provision in new_provisions:
        old = old_by_id.get(provision.id) if provision.id else None
        if old is None:
            continue
        group = _order_group(provision)
        if _order_group(old) != group:
            moved.add(provision.id)
            continue
        new_orders.setdefault(group, []).append(provision.id)
        old_orders.setdefault(group, []).append((old.position, provision.id))
    for group, new_order in new_orders.items():
        old_order = [provision_id for _position, provision_id in sorted(old_orders[group])]
        matcher = SequenceMatcher(None, old_order, new_order, autojunk=False)
        kept = {
            provision_id
            for block in matcher.get_matching_blocks()
            for provision_id in new_order[block.b : block.b + block.size]
        }
        moved.update(set(new_order) - kept)
    return moved


def _compare(old, new, moved):
    if old is None:
        return ProvisionChange(
            ADDED,
            None,
            new,
            _render_if_any("", new.text),
            _render_if_any("", new.title),
        )
    if new is None:
        return ProvisionChange(
            REMOVED,
            old,
            None,
            _render_if_any(old.text, ""),
            _render_if_any(old.title, ""),
        )
    text_pieces, title_pieces = word_diff(old.text, new.text), word_diff(old.title, new.title)
    changed = has_changes(text_pieces) or has_changes(title_pieces)
    return ProvisionChange(
        CHANGED if changed else UNCHANGED,
        old,
        new,
        render_pieces(text_pieces) if old.text or new.text else SafeString(""),
        render_pieces(title_pieces) if old.title or new.title else SafeString(""),
        renumbered=old.label != new.label,
        moved=moved,
    )


def compare_texts(old_provisions, new_provisions):
    """Compare two rounds of a text provision by provision, matched by block id.

    Provisions without an id are never matched: they show as removed and added.

    Args:
        old_provisions: The earlier round's :func:`~.outline.build_outline`.
        new_provisions: The later round's outline.

    Returns:
        list[ProvisionChange]: In the new text's order; each removed provision comes right
        after the provision that preceded it in the old text (the first ones at the start).
    """
    old_by_id = {p.id: p for p in old_provisions if p.id}
    new_by_id = {p.id: p for p in new_provisions if p.id}
    moved = _moved_ids(old_by_id, new_provisions)

    # Removed provisions, grouped under the surviving provision they follow in the old text.
    removed_after = {}
    anchor = None
    for provision in old_provisions:
        if provision.id and provision.id in new_by_id:
            anchor = provision.id
        else:
            removed_after.setdefault(anchor, []).append(provision)

    def removed(anchor_id):
        return [_compare(provision, None, False) for provision in removed_after.pop(anchor_id, [])]

    changes = removed(None)
    for provision in new_provisions:
        old = old_by_id.get(provision.id) if provision.id else None
        changes.append(_compare(old, provision, provision.id in moved))
        if old is not None:
            changes += removed(provision.id)
    return changes


def summary(changes):
    """How many provisions each status has, and how many were renumbered or moved.

    Returns:
        dict[str, int]: A count for every status in :data:`STATUSES` (zero included), then
        ``"renumbered"`` and ``"moved"``, which count provisions already counted by status.
    """
    counts = dict.fromkeys(STATUSES, 0)
    for change in changes:
        counts[change.status] += 1
    counts["renumbered"] = sum(change.renumbered for change in changes)
    counts["moved"] = sum(change.moved for change in changes)
    return counts
