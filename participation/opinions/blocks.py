"""The statements block an editor places in a call page's body (survey, draft).

The block holds what the editor writes: a heading, an introduction, the statements they
seed and whether participants may add their own. Publishing the page syncs the seeded
statements to :class:`~.models.Statement` rows (``services.sync_seeded_statements``); on
the page the block shows the conversation as the person may take part in it: the next
statement with three plain submit buttons, their progress and the form to add a statement.
"""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .models import MAX_STATEMENT_LENGTH
from .views import conversation_context


class StatementsBlock(blocks.StructBlock):
    """A Pol.is-style conversation: participants vote agree, disagree or pass, one at a time."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    statements = blocks.ListBlock(
        blocks.CharBlock(label=_("Statement"), max_length=MAX_STATEMENT_LENGTH),
        label=_("Statements"),
        help_text=_(
            "Short sentences participants agree or disagree with. Published with the page; "
            "removing one here stops new votes on it and keeps the votes it has."
        ),
    )
    participants_may_add = blocks.BooleanBlock(
        label=_("Participants may add statements"),
        required=False,
        default=True,
        help_text=_("Their statements go through the call's moderation."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Statements to vote on")
        template = "participation/opinions/statements_block.html"
        preview_value = {
            "heading": "نظر شما دربارهٔ این گزاره‌ها چیست؟",
            "intro": "با هر گزاره موافق یا مخالف باشید، یا از آن بگذرید.",
            "statements": ["برنامه‌های فرهنگی دانشگاه باید عصرها برگزار شوند."],
            "participants_may_add": True,
        }
        description = _("Statements participants vote on, one at a time, for the opinion map")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = context.get("request")
        call = context.get("page")
        if request is not None and getattr(call, "call_kind", None) is not None:
            context.update(conversation_context(request, call, on_page=True))
        return context

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context)
        context["preview_html"] = format_html(
            "<p>{}</p>", _("Participants see the next statement to vote on here.")
        )
        return context
