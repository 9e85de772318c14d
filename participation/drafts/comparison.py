"""The comparison table of a round and the drafting committee's exports.

The table has one row per article, clause and note of the round's text: the text
under review, a summary of what participants proposed, the decision with its reason,
and the final text (the same clause in the next round, or the published text).
Only published comments are summarised; nothing hidden or pending appears.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from participation.jalali import jalali_text
from participation.persian import localize_digits
from participation.results.exports import sheets_xlsx_response

from . import discussion, outline
from .choices import ModerationState, Stance
from .identity import display_name, role_label
from .models import ClauseComment, DraftRound

TOP_PROPOSALS = 3
# Column widths of the comparison XLSX, in characters: short labels and decisions narrow,
# the clause texts wide (they wrap).
COMPARISON_WIDTHS = (14, 12, 60, 32, 60, 16, 40, 60)


@dataclass
class ComparisonRow:
    provision: outline.Provision
    stats: discussion.ClauseStats | None
    proposals: list = field(default_factory=list)  # the most supported wordings
    decision: object = None
    final: outline.Provision | None = None

    @property
    def final_status(self):
        if self.final is None:
            return "removed"
        if outline.same_text(self.final, self.provision):
            return "unchanged"
        return "changed"

    def proposals_summary(self):
        """One line: "3 agree, 1 oppose, 2 amend · 1 new clause proposed"."""
        if self.stats is None or not self.stats.total:
            return _("No comments")
        parts = [
            _("%(count)s %(stance)s") % {"count": localize_digits(count), "stance": str(label)}
            for _stance, label, count in self.stats.stance_rows()
            if count
        ]
        if self.stats.new_clauses:
            parts.append(
                _("%(count)s new clauses proposed")
                % {"count": localize_digits(self.stats.new_clauses)}
            )
        if self.stats.replies:
            parts.append(_("%(count)s replies") % {"count": localize_digits(self.stats.replies)})
        return "، ".join(parts) if parts else _("No comments")


def final_provisions(page, review_round):
    """The text that followed a round: the next round's, or the published text."""
    following = (
        DraftRound.objects.filter(call_key=page.call_key, number=review_round.number + 1)
        .only("text", "closed_at")
        .first()
    )
    if following is not None and following.is_closed:
        return outline.build_outline(outline.raw_items(following.text))
    return outline.outline_of(page.draft_text)


def round_text(page, review_round):
    if review_round.is_closed:
        return outline.build_outline(outline.raw_items(review_round.text))
    return outline.outline_of(page.draft_text)


def top_proposals(call_key, round_number, limit=TOP_PROPOSALS):
    """{clause id: [comment]}: the most supported proposed wordings per clause (one query)."""
    proposals = {}
    for comment in (
        discussion.public_comments(call_key, round_number)
        .filter(parent=None)
        .exclude(proposed_text="")
        .order_by("clause_id", "-support_count", "created_at")
        .only("clause_id", "kind", "stance", "proposed_text", "support_count", "oppose_count")
    ):
        group = proposals.setdefault(comment.clause_id, [])
        if len(group) < limit:
            group.append(comment)
    return proposals


def comparison_rows(page, review_round):
    provisions = [p for p in round_text(page, review_round) if p.commentable]
    final = outline.commentable(final_provisions(page, review_round))
    stats = discussion.clause_statistics(page.call_key, review_round.number)
    decisions = discussion.decisions_of(page.call_key, review_round.number)
    proposals = top_proposals(page.call_key, review_round.number)
    return [
        ComparisonRow(
            provision=provision,
            stats=stats.get(provision.id),
            proposals=proposals.get(provision.id, []),
            decision=decisions.get(provision.id),
            final=final.get(provision.id),
        )
        for provision in provisions
    ]


def _filename(page, name):
    return f"{page.slug}-{name}-{timezone.localdate().isoformat()}.xlsx"


def comparison_xlsx_response(page, review_round):
    """The comparison table as XLSX (public: published comments only)."""
    header = [
        _("Clause"),
        _("Clause id"),
        _("Text under review"),
        _("Summary of proposals"),
        _("Proposed wordings"),
        _("Decision"),
        _("Reason"),
        _("Final text"),
    ]
    rows = [header]
    for row in comparison_rows(page, review_round):
        wordings = "\n\n".join(
            f"[{localize_digits(comment.support_count)}+] {comment.proposed_text}"
            for comment in row.proposals
        )
        rows.append(
            [
                row.provision.label,
                row.provision.id,
                row.provision.text,
                row.proposals_summary(),
                wordings,
                row.decision.get_outcome_display() if row.decision else "",
                row.decision.reason if row.decision else "",
                row.final.text if row.final else _("Removed"),
            ]
        )
    title = _("Round %(number)s") % {"number": localize_digits(review_round.number)}
    return sheets_xlsx_response(
        _filename(page, f"comparison-{review_round.number}"),
        [(title, rows)],
        widths=COMPARISON_WIDTHS,
        wrap=True,
    )


def comment_rows(page, *, include_moderated=True):
    """Every comment of every round for the drafting committee, with clause ids and state.

    Editors' export: pending, hidden and removed comments are included, marked as such,
    so the committee sees the whole record; authors appear as on the public page.
    """
    labels = {}
    for review_round in DraftRound.objects.filter(call_key=page.call_key):
        for provision in round_text(page, review_round):
            labels[(review_round.number, provision.id)] = provision.label
    comments = ClauseComment.objects.filter(call_key=page.call_key).select_related(
        "author", "parent"
    )
    if not include_moderated:
        comments = comments.filter(moderation_state=ModerationState.PUBLISHED)
    yield [
        _("Round"),
        _("Clause"),
        _("Clause id"),
        _("Kind"),
        _("Stance"),
        _("Comment"),
        _("Proposed wording"),
        _("Clause text when commented"),
        _("Reply to"),
        _("Author"),
        _("Role"),
        _("Support"),
        _("Oppose"),
        _("Moderation"),
        _("Written at"),
        _("Written at (date)"),
        _("Comment id"),
    ]
    for comment in comments.order_by("round_number", "created_at", "pk").iterator(chunk_size=2000):
        yield [
            comment.round_number,
            labels.get((comment.round_number, comment.clause_id), ""),
            comment.clause_id,
            comment.get_kind_display(),
            str(Stance(comment.stance).label) if comment.stance in Stance.values else "",
            comment.body,
            comment.proposed_text,
            comment.clause_text,
            str(comment.parent.uuid) if comment.parent_id else "",
            display_name(page, comment),
            role_label(comment),
            comment.support_count,
            comment.oppose_count,
            comment.get_moderation_state_display(),
            jalali_text(comment.created_at, "fa"),
            comment.created_at,  # A date cell beside the Solar Hijri text.
            str(comment.uuid),
        ]


def comments_xlsx_response(page):
    rows = comment_rows(page)
    return sheets_xlsx_response(_filename(page, "comments"), [(_("Comments"), rows)])
