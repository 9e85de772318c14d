"""Forms of regulation drafts: the page editor's, and the participants' on each clause."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from participation.forms import CallPageForm, normalize_text_input
from participation.persian import join_list, normalize_for_search
from participation.protection.traps import BotTrapForm

from . import outline
from .choices import CommentKind, ReportReason, Stance, Vote
from .models import ClauseComment
from .parse import parse_legal_text
from .services import current_round

MAX_COMMENT_LENGTH = 4000
MAX_PROPOSAL_LENGTH = 4000
MAX_REPLY_LENGTH = 2000
MAX_DECISION_REASON_LENGTH = 4000


class DraftPageForm(CallPageForm):
    """The draft page editor: paste a plain-text bylaw to get its structure."""

    draft_text_paste = forms.CharField(
        label=_("Paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "rtl"}),
        help_text=_(
            "Paste a bylaw as plain text, with lines such as «ماده ۱ -», «الف -» and "
            "«تبصره ۱ -». On saving it becomes chapters, articles, clauses and notes, "
            "replacing the text below. Numbers are assigned automatically."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        pasted = (cleaned_data.get("draft_text_paste") or "").strip()
        if pasted:
            self.structure_pasted_text(pasted, cleaned_data)
        self.check_commented_clauses_kept(cleaned_data)
        return cleaned_data

    def structure_pasted_text(self, pasted, cleaned_data):
        try:
            parsed = parse_legal_text(pasted)
        except forms.ValidationError as error:
            self.add_error("draft_text_paste", error)
            return
        stream_block = self.instance._meta.get_field("draft_text").stream_block
        cleaned_data["draft_text"] = stream_block.to_python(parsed.blocks)
        # Clear the box: the structured text below now holds it.
        cleaned_data["draft_text_paste"] = ""
        # Shown to the editor after saving (see wagtail_hooks.report_pasted_text).
        notes = list(parsed.warnings)
        if parsed.preamble:
            notes.insert(
                0,
                _("The lines before the first chapter or article were left out: «%(text)s»")
                % {"text": Truncator(" ".join(parsed.preamble.split())).chars(120)},
            )
        self.instance.pasted_text_notes = notes

    def check_commented_clauses_kept(self, cleaned_data):
        """Refuse removing a clause that has comments in the open round.

        Its comments would lose their clause; the text can change freely once the
        round closes (see "Start a new round").
        """
        submitted = cleaned_data.get("draft_text")
        if submitted is None or not self.instance.pk:
            return
        kept_ids = {child.id for child in submitted}
        current = outline.commentable(outline.outline_of(self.instance.draft_text))
        removed = [provision for pid, provision in current.items() if pid not in kept_ids]
        if not removed:
            return

        commented = set(
            ClauseComment.objects.filter(
                call_key=self.instance.call_key,
                round_number=current_round(self.instance).number,
                clause_id__in=[provision.id for provision in removed],
            ).values_list("clause_id", flat=True)
        )
        labels = [provision.label for provision in removed if provision.id in commented]
        if labels:
            self.add_error(
                "draft_text",
                _(
                    "%(clauses)s already have comments in this round and cannot be removed. "
                    "Start a new round to restructure the text."
                )
                % {"clauses": join_list(labels)},
            )


class ClauseCommentForm(BotTrapForm):
    """A stance and comment on a clause, or a new clause proposed after it."""

    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[
            (CommentKind.CLAUSE, _("Comment on this clause")),
            (CommentKind.NEW_CLAUSE, _("Propose a new clause after it")),
        ],
        initial=CommentKind.CLAUSE,
        widget=forms.RadioSelect,
    )
    stance = forms.ChoiceField(
        label=_("Your stance"), choices=Stance.choices, required=False, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    proposed_text = forms.CharField(
        label=_("Proposed wording"),
        required=False,
        max_length=MAX_PROPOSAL_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The clause as you would write it; you will see what changes."),
    )

    def __init__(self, *args, clause_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.clause_text = clause_text
        if not self.is_bound:
            # "Amend" starts from the clause's wording, not an empty box.
            self.initial.setdefault("proposed_text", clause_text)

    def _is_untouched_wording(self, proposed):
        return bool(proposed) and same_wording(proposed, self.clause_text)

    def clean_body(self):
        return normalize_text_input(self.cleaned_data["body"])

    def clean_proposed_text(self):
        return normalize_text_input(self.cleaned_data["proposed_text"])

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        stance = cleaned_data.get("stance")
        # None when the field itself failed (e.g. too long): no second error about it.
        body = cleaned_data.get("body")
        proposed = cleaned_data.get("proposed_text")
        if kind == CommentKind.NEW_CLAUSE:
            cleaned_data["stance"] = ""
            if proposed == "" or self._is_untouched_wording(proposed):
                self.add_error("proposed_text", _("Write the clause you propose."))
            return cleaned_data
        if kind != CommentKind.CLAUSE:
            return cleaned_data
        if not stance:
            self.add_error("stance", _("Choose your stance on the clause."))
            return cleaned_data
        if stance == Stance.AMEND:
            if proposed == "":
                self.add_error("proposed_text", _("Write the wording you propose."))
            elif proposed and same_wording(proposed, self.clause_text):
                self.add_error(
                    "proposed_text",
                    _(
                        "The proposed wording is the same as the clause; change it or choose "
                        "another stance."
                    ),
                )
        elif self._is_untouched_wording(proposed):
            cleaned_data["proposed_text"] = ""  # The prefilled wording, left as it was.
        elif proposed:
            self.add_error(
                "proposed_text", _("Proposed wording goes with the “Amend” stance only.")
            )
        if stance in (Stance.OPPOSE, Stance.DELETE) and body == "":
            self.add_error("body", _("Say why, so the drafting committee can weigh it."))
        return cleaned_data


def same_wording(first, second):
    """Whether two wordings differ only in spacing, ZWNJ placement or letter forms."""
    return normalize_for_search(first) == normalize_for_search(second)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_REPLY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your reply.")},
    )

    def clean_body(self):
        body = normalize_text_input(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write your reply."))
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=Vote.choices, coerce=int)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
