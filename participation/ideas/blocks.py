"""The blocks an editor builds an idea call from: themes and jury criteria.

A theme's block id is a submission's ``category``; a criterion's block id is what
a juror's score points at. Both survive reordering, renaming and translation.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ThemeBlock(blocks.StructBlock):
    """A theme (category) submissions are filed under and prizes are given in."""

    name = blocks.CharBlock(label=_("Name"), max_length=120)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        label = _("Theme")
        icon = "tag"


class CriterionBlock(blocks.StructBlock):
    """A criterion the jury scores every submission on, with its weight."""

    name = blocks.CharBlock(label=_("Name"), max_length=120)
    description = blocks.TextBlock(label=_("What the jury looks for"), required=False)
    weight = blocks.IntegerBlock(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        default=1,
        help_text=_("Relative to the other criteria: a weight of 2 counts twice as much as 1."),
    )
    max_score = blocks.IntegerBlock(
        label=_("Highest score"), min_value=2, max_value=100, default=10
    )

    class Meta:
        label = _("Criterion")
        icon = "pick"


class ThemeStreamBlock(blocks.StreamBlock):
    theme = ThemeBlock()


class CriterionStreamBlock(blocks.StreamBlock):
    criterion = CriterionBlock()
