"""Content blocks editors build pages from. One module, one base StreamBlock."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline accessible."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/heading_block.html"
        preview_value = {"text": "همیاری دانشگاهیان در فرهنگ", "level": "h2"}
        description = _("A section heading")


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page offers."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        template="components/paragraph_block.html",
        preview_value=(
            "<p>دانشگاهیان می‌توانند در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های "
            "ایده‌پردازی شرکت کنند.</p>"
        ),
        description=_("Formatted text"),
    )
    image = ImageBlock(
        label=_("Image"),
        template="components/image_block.html",
        description=_("An image with alternative text"),
    )
