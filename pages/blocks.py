"""Content blocks editors build pages from: one module, a base StreamBlock and the call's.

Every block names its template in ``templates/components/``, has a Persian ``preview_value``
for the admin's block picker, and gives the API plain JSON: rich text as HTML with links
resolved, images as a rendition, pages and documents as ``{id, title, url}``.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock as BaseDocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.rich_text import expand_db_html

from participation.choices import IncentiveKind, NoticeLevel
from participation.jalali import JalaliDateBlock
from participation.opinions.blocks import StatementsBlock

IMAGE_RENDITION = "max-1200x1200"
INLINE_FEATURES = ["bold", "italic", "link", "document-link"]
TEXT_FEATURES = [*INLINE_FEATURES, "ol", "ul"]


def absolute_url(url, context=None):
    """``url`` made absolute with the host of the API request in ``context``, if there is one."""
    request = context.get("request") if context else None
    if url and request is not None:
        return request.build_absolute_uri(url)
    return url


def json_number(value):
    """A Decimal as a JSON number: an int when it is whole, else a float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# Field blocks with a clean API representation.


class RichTextBlock(blocks.RichTextBlock):
    """Rich text whose API representation is HTML with page and document links resolved."""

    def get_api_representation(self, value, context=None):
        return expand_db_html(value.source) if value else ""


class DateBlock(JalaliDateBlock):
    """A date the API gives as ISO 8601 (typed in Jalali in the Persian admin)."""

    def get_api_representation(self, value, context=None):
        return value.isoformat() if value else None


class NumberBlock(blocks.DecimalBlock):
    """A number shown with the active language's digits and given to the API as a number."""

    def get_api_representation(self, value, context=None):
        return json_number(value)

    class Meta:
        template = "components/number_block.html"


class PageChooserBlock(blocks.PageChooserBlock):
    """A page the API gives as ``{id, title, url}``; no URL while the page is not live."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        request = context.get("request") if context else None
        return {
            "id": value.pk,
            "title": value.title,
            "url": value.get_full_url(request=request) if value.live else None,
        }


class DocumentChooserBlock(BaseDocumentChooserBlock):
    """A document the API gives as ``{id, title, url, file_type, file_size}``."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        return {
            "id": value.pk,
            "title": value.title,
            "url": absolute_url(value.url, context),
            "file_type": value.file_extension.lower(),
            "file_size": value.get_file_size(),
        }


# Preview values that need rows from the database.


def _image_preview():
    return {
        "image": get_image_model().objects.order_by("-created_at").first(),
        "alt_text": "دانشجویان در حال گفت‌وگو در حیاط دانشگاه",
        "caption": "نشست هم‌اندیشی دانشجویان دربارهٔ برنامه‌های فرهنگی دانشگاه",
        "attribution": "عکس: روابط عمومی وزارت علوم",
    }


def _downloads_preview():
    documents = get_document_model().objects.order_by("-created_at")[:2]
    return {
        "heading": "پرونده‌های فراخوان",
        "documents": [
            {"document": document, "description": "متن کامل فراخوان و شیوه‌نامهٔ داوری"}
            for document in documents
        ],
    }


# Blocks.


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


class ImageWithCaptionBlock(blocks.StructBlock):
    """An image with alternative text, caption and attribution.

    The first three children are those of Wagtail's ``ImageBlock``, so its stored values load
    unchanged.
    """

    image = ImageChooserBlock(label=_("Image"))
    decorative = blocks.BooleanBlock(label=_("Image is decorative"), required=False)
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=150)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/image_block.html"
        preview_value = staticmethod(_image_preview)
        description = _("An image with alternative text, a caption and its attribution")

    def clean(self, value):
        value = super().clean(value)
        needs_alt = value.get("image") and not value.get("decorative")
        if needs_alt and not value.get("alt_text") and not self.is_deferred_validation:
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(_("Describe the image or mark it as decorative."))
                }
            )
        return value

    def get_alt_text(self, value):
        """The image's alternative text: empty when decorative."""
        if value.get("decorative"):
            return ""
        return value.get("alt_text") or value["image"].default_alt_text

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        if value.get("image"):
            context["alt"] = self.get_alt_text(value)
        return context

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        if image is None:
            return None
        rendition = get_rendition_or_not_found(image, IMAGE_RENDITION)
        return {
            "id": image.pk,
            "url": absolute_url(rendition.url, context),
            "width": rendition.width,
            "height": rendition.height,
            "alt": self.get_alt_text(value),
            "caption": value.get("caption", ""),
            "attribution": value.get("attribution", ""),
        }


class QuoteBlock(blocks.StructBlock):
    """A quotation with who said it and where."""

    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=150)
    source = blocks.CharBlock(
        label=_("Source"),
        required=False,
        max_length=250,
        help_text=_("The speech, book or document the quotation comes from."),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/quote_block.html"
        preview_value = {
            "text": "دانشگاه تنها جای آموختن نیست؛ جای گفت‌وگو و ساختن فرهنگ است.",
            "attribution": "معاون فرهنگی و اجتماعی وزارت علوم",
            "source": "سخنرانی آغاز سال تحصیلی",
        }
        description = _("A quotation with its attribution and source")


class CallToActionBlock(blocks.StructBlock):
    """A prominent invitation with one button to an internal page or an external address."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = PageChooserBlock(label=_("Internal page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "components/call_to_action_block.html"
        preview_value = {
            "title": "در نظرسنجی فرهنگ دانشگاه شرکت کنید",
            "text": "پاسخ شما به برنامه‌ریزی فرهنگی سال آینده کمک می‌کند.",
            "button_label": "شرکت در نظرسنجی",
            "url": "https://www.msrt.ir/",
        }
        description = _("An invitation with a button to a page or an external address")

    def clean(self, value):
        value = super().clean(value)
        has_page, has_url = bool(value.get("page")), bool(value.get("url"))
        if has_page and has_url:
            message = _("Choose an internal page or enter an external URL, not both.")
        elif not has_page and not has_url and not self.is_deferred_validation:
            message = _("Choose an internal page or enter an external URL.")
        else:
            return value
        raise StructBlockValidationError(
            block_errors={"page": ValidationError(message), "url": ValidationError(message)}
        )

    def get_href(self, value, request=None):
        """Where the button goes: the page if it is live, else the external URL."""
        page = value.get("page")
        if page is not None:
            return page.get_url(request=request) if page.live else None
        return value.get("url") or None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = self.get_href(value, context.get("request"))
        return context

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        request = context.get("request") if context else None
        representation["href"] = absolute_url(self.get_href(value, request), context)
        return representation


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = RichTextBlock(label=_("Answer"), features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")


class AccordionBlock(blocks.StructBlock):
    """Frequently asked questions, each answer folded under its question."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Questions and answers")
        template = "components/accordion_block.html"
        preview_value = {
            "heading": "پرسش‌های پرتکرار",
            "questions": [
                {
                    "question": "چه کسانی می‌توانند در فراخوان شرکت کنند؟",
                    "answer": "<p>همهٔ دانشجویان، استادان و کارکنان دانشگاه‌های کشور.</p>",
                },
                {
                    "question": "آیا پاسخ‌ها بی‌نام ثبت می‌شوند؟",
                    "answer": "<p>بله؛ نتایج تنها به‌صورت جمعی منتشر می‌شوند.</p>",
                },
            ],
        }
        description = _("Questions whose answers open on demand")


class PhaseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    start_date = DateBlock(label=_("Start date"))
    end_date = DateBlock(label=_("End date"), required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "date"
        label = _("Phase")

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_date"), value.get("end_date")
        if start and end and end < start:
            raise StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("The end date is before the start date."))
                }
            )
        return value


class TimelineBlock(blocks.StructBlock):
    """The phases of a call in order, with Jalali or Gregorian dates by language."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    phases = blocks.ListBlock(PhaseBlock(), label=_("Phases"), min_num=1)

    class Meta:
        icon = "time"
        label = _("Phase timeline")
        template = "components/timeline_block.html"
        preview_value = {
            "heading": "مراحل فراخوان",
            "phases": [
                {
                    "title": "دریافت ایده‌ها",
                    "start_date": datetime.date(2025, 9, 23),
                    "end_date": datetime.date(2025, 10, 22),
                    "description": "ایده‌های خود را در سامانه ثبت کنید.",
                },
                {
                    "title": "داوری",
                    "start_date": datetime.date(2025, 10, 23),
                    "end_date": datetime.date(2025, 11, 21),
                    "description": "کمیتهٔ داوران ایده‌ها را بررسی می‌کند.",
                },
                {
                    "title": "اعلام نتایج",
                    "start_date": datetime.date(2025, 12, 6),
                    "description": "",
                },
            ],
        }
        description = _("The phases of a call with their dates")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        today = timezone.localdate()
        context["phases"] = [
            {
                "value": phase,
                "current": phase["start_date"]
                <= today
                <= (phase.get("end_date") or phase["start_date"]),
            }
            for phase in value["phases"]
            if phase.get("start_date")
        ]
        return context


class IncentiveBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("Kind"), choices=IncentiveKind.choices)
    description = blocks.TextBlock(label=_("Description"))
    amount = blocks.IntegerBlock(
        label=_("Amount or points"),
        required=False,
        min_value=0,
        help_text=_("Rials for grants and prizes, points for promotion points."),
    )

    class Meta:
        icon = "pick"
        label = _("Incentive")


class IncentivesBlock(blocks.StructBlock):
    """What taking part earns: certificates, grants, prizes, promotion points…"""

    AMOUNT_UNITS = {
        IncentiveKind.GRANT: _("rials"),
        IncentiveKind.PRIZE: _("rials"),
        IncentiveKind.PROMOTION_POINTS: _("points"),
    }

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    items = blocks.ListBlock(IncentiveBlock(), label=_("Incentives"), min_num=1)

    class Meta:
        icon = "pick"
        label = _("Incentives")
        template = "components/incentives_block.html"
        preview_value = {
            "heading": "مشوق‌های مشارکت",
            "items": [
                {
                    "kind": IncentiveKind.CERTIFICATE,
                    "description": "گواهی مشارکت برای همهٔ شرکت‌کنندگان",
                    "amount": None,
                },
                {
                    "kind": IncentiveKind.GRANT,
                    "description": "پژوهانه برای سه ایدهٔ برگزیده",
                    "amount": 500000000,
                },
                {
                    "kind": IncentiveKind.PROMOTION_POINTS,
                    "description": "امتیاز فرهنگی ارتقای اعضای هیئت علمی",
                    "amount": 2,
                },
            ],
        }
        description = _("Certificates, grants, prizes and points participants receive")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["incentives"] = [
            {
                "value": item,
                "kind_label": IncentiveKind(item["kind"]).label,
                "unit": self.AMOUNT_UNITS.get(item["kind"], ""),
            }
            for item in value["items"]
            if item.get("kind") in IncentiveKind.values
        ]
        return context

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        for item in representation["items"]:
            if item["kind"] in IncentiveKind.values:
                item["kind_label"] = str(IncentiveKind(item["kind"]).label)
        return representation


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("Download")


class DownloadsBlock(blocks.StructBlock):
    """Documents to download, each with its file type and size."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    documents = blocks.ListBlock(DownloadBlock(), label=_("Documents"), min_num=1)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Downloads")
        template = "components/downloads_block.html"
        preview_value = staticmethod(_downloads_preview)
        description = _("Documents to download, with their type and size")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["files"] = [
            self.describe_file(item) for item in value["documents"] if item.get("document")
        ]
        return context

    def describe_file(self, item):
        """One download as the template shows it: document, description, file type and size."""
        document = item["document"]
        size = document.get_file_size()
        return {
            "document": document,
            "description": item.get("description", ""),
            "file_type": document.file_extension.upper(),
            "size": filesizeformat(size) if size else "",
        }


class VideoBlock(blocks.StructBlock):
    """An embedded video with a title and transcript; a plain link when it cannot be embedded."""

    video = EmbedBlock(
        label=_("Video URL"),
        help_text=_("The address of the video on a video site such as Aparat or YouTube."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(
        label=_("Transcript or description"),
        required=False,
        help_text=_("What is said and shown, for people who cannot watch or hear the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/video_block.html"
        preview_value = {
            "video": "https://video.example.org/hadaf/introduction",
            "title": "معرفی سامانهٔ همیاری دانشگاهیان",
            "transcript": "در این ویدئو با سه سطح مشارکت در سامانه آشنا می‌شوید.",
        }
        description = _("An embedded video with its title and transcript")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        video = value.get("video")
        # EmbedValue.html is empty when no provider knows the URL or the fetch fails.
        context["embed_html"] = video.html if video else ""
        return context


class TableBlock(TypedTableBlock):
    """A data table with a required caption; column headings form its header row."""

    text = blocks.CharBlock(label=_("Text"))
    number = NumberBlock(label=_("Number"))
    rich_text = RichTextBlock(label=_("Formatted text"), features=INLINE_FEATURES)

    class Meta:
        icon = "table"
        label = _("Table")
        template = "components/table_block.html"
        preview_value = {
            "caption": "مشارکت دانشگاهیان در فراخوان‌های ۱۴۰۴",
            "columns": [
                {"type": "text", "heading": "فراخوان"},
                {"type": "number", "heading": "شرکت‌کنندگان"},
            ],
            "rows": [
                {"values": ["نظرسنجی فرهنگ دانشگاه", "12480"]},
                {"values": ["بازبینی آیین‌نامهٔ کانون‌ها", "3215"]},
            ],
        }
        description = _("A table of data with a caption and column headings")

    def clean(self, value):
        value = super().clean(value)
        if not (value.caption or "").strip() and not self.is_deferred_validation:
            raise TypedTableBlockValidationError(
                non_block_errors=[ValidationError(_("Give the table a caption."))]
            )
        return value


class KeyFigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=120)
    number = NumberBlock(label=_("Number"))
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=40)

    class Meta:
        icon = "order"
        label = _("Figure")


class KeyFiguresBlock(blocks.StructBlock):
    """A few numbers that sum something up, each with its label and unit."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=8)

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "components/key_figures_block.html"
        preview_value = {
            "heading": "هدف در یک نگاه",
            "figures": [
                {"label": "دانشگاه همراه", "number": Decimal("142"), "unit": ""},
                {"label": "مشارکت ثبت‌شده", "number": Decimal("38500"), "unit": "پاسخ"},
                {"label": "رضایت شرکت‌کنندگان", "number": Decimal("87.5"), "unit": "درصد"},
            ],
        }
        description = _("Numbers with their labels and units")


class NoticeBlock(blocks.StructBlock):
    """A boxed note for information, a warning or good news."""

    level = blocks.ChoiceBlock(
        label=_("Level"), choices=NoticeLevel.choices, default=NoticeLevel.INFO
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    text = RichTextBlock(label=_("Text"), features=INLINE_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Notice")
        template = "components/notice_block.html"
        preview_value = {
            "level": NoticeLevel.WARNING,
            "title": "تمدید مهلت",
            "text": "<p>مهلت ثبت ایده‌ها تا پایان آبان تمدید شد.</p>",
        }
        description = _("A highlighted note: information, a warning or a success")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        level = value.get("level") or NoticeLevel.INFO
        context["level_label"] = NoticeLevel(level).label
        return context


class ParticipationFormBlock(blocks.StructBlock):
    """Where a call page shows its participation form.

    The page passes the rendered form as ``participation_form_html`` in the template context;
    without it the block renders nothing.
    """

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)

    class Meta:
        icon = "form"
        label = _("Participation form")
        template = "components/participation_form_block.html"
        preview_value = {
            "heading": "در این فراخوان شرکت کنید",
            "intro": "پاسخ به پرسش‌ها حدود ده دقیقه زمان می‌برد.",
        }
        description = _("Where the call's participation form appears")

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context)
        context["participation_form_html"] = format_html(
            "<p>{}</p>", _("The call's participation form appears here.")
        )
        return context


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page offers."""

    heading = HeadingBlock()
    paragraph = RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=TEXT_FEATURES,
        template="components/paragraph_block.html",
        preview_value=(
            "<p>دانشگاهیان می‌توانند در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های "
            "ایده‌پردازی شرکت کنند.</p>"
        ),
        description=_("Formatted text"),
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    faq = AccordionBlock()
    timeline = TimelineBlock()
    incentives = IncentivesBlock()
    downloads = DownloadsBlock()
    video = VideoBlock()
    table = TableBlock()
    key_figures = KeyFiguresBlock()
    notice = NoticeBlock()


class CallStreamBlock(BaseStreamBlock):
    """A call page's body: the content blocks plus where its participation form goes."""

    participation_form = ParticipationFormBlock()

    class Meta:
        block_counts = {"participation_form": {"max_num": 1}}


class SurveyStreamBlock(CallStreamBlock):
    """A survey's body: a call's blocks plus one statements conversation."""

    statements = StatementsBlock()

    class Meta:
        block_counts = {"participation_form": {"max_num": 1}, "statements": {"max_num": 1}}


class DraftStreamBlock(BaseStreamBlock):
    """A regulation draft's body: the content blocks plus one statements conversation."""

    statements = StatementsBlock()

    class Meta:
        block_counts = {"statements": {"max_num": 1}}
