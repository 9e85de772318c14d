"""A regulation's text as StreamField blocks: chapter, article, clause and note.

The stream is flat, in reading order; a clause or note belongs to the article above
it. Numbers are never typed: they follow from the order (see ``outline``), so moving
an article renumbers everything after it. Each block's StreamField id is the stable
id that comments, decisions and rounds point at.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ChapterBlock(blocks.StructBlock):
    """A chapter heading (فصل). Chapters group articles; they are not commented on."""

    title = blocks.CharBlock(label=_("Title"), max_length=250)

    class Meta:
        icon = "title"
        label = _("Chapter")


class ArticleBlock(blocks.StructBlock):
    """An article (ماده): optional title and its text; its clauses and notes follow it."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=250)
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Article")


class ClauseBlock(blocks.StructBlock):
    """A clause (بند) of the article above it, lettered الف، ب، پ…"""

    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "list-ol"
        label = _("Clause")


class NoteBlock(blocks.StructBlock):
    """A note (تبصره) to the article above it, numbered within the article."""

    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "info-circle"
        label = _("Note")


class LegalTextBlock(blocks.StreamBlock):
    """The text under review, in reading order."""

    chapter = ChapterBlock()
    article = ArticleBlock()
    clause = ClauseBlock()
    note = NoteBlock()

    class Meta:
        # The article, clause and note blocks render through ``outline`` in the draft
        # page's template, which knows their numbers; the blocks alone do not.
        collapsed = False
