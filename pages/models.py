"""Page types. Thin: fields, panels and tree rules; behaviour lives in modules beside them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from common.caching import short_lived
from participation.choices import CallKind
from participation.drafts import page_rules
from participation.drafts import views as draft_views
from participation.drafts.blocks import LegalTextBlock
from participation.drafts.choices import ModerationMode
from participation.drafts.forms import DraftPageForm
from participation.ideas import views as idea_views
from participation.ideas.blocks import CriterionStreamBlock, ThemeStreamBlock
from participation.lifecycle import CallPageMixin
from participation.opinions import services as opinion_services
from participation.persian import searchable_text
from participation.questions.blocks import QuestionStreamBlock
from participation.questions.forms import QuestionnairePageForm
from participation.results import views as results_views
from participation.surveys import views as survey_views

from . import listing
from .api_fields import (
    CALL_API_FIELDS,
    DRAFT_API_FIELDS,
    IDEA_API_FIELDS,
    SURVEY_API_FIELDS,
    TRANSLATIONS_API_FIELD,
)
from .blocks import (
    BaseStreamBlock,
    CallStreamBlock,
    DownloadBlock,
    DraftStreamBlock,
    SurveyStreamBlock,
)
from .slugs import PersianCopyForm, PersianSlugPageMixin


class ContentPage(PersianSlugPageMixin, Page):
    """Shared fields of pages made of an introduction and a block body."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    api_fields = [APIField("intro"), APIField("body")]
    # The page's other language versions, beside ``meta.locale``.
    api_meta_fields = [TRANSLATIONS_API_FIELD]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_text"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    # A half space in the copy's new slug becomes a hyphen, as in the page form.
    copy_form_class = PersianCopyForm

    class Meta:
        abstract = True

    def search_text(self):
        """Title, introduction and body folded for Persian search (``participation.persian``)."""
        body = self.body.stream_block.get_searchable_content(self.body)
        return searchable_text(self.title, get_text_for_indexing(self.intro), *body)


class HomePage(ContentPage):
    """The site root for one language."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.CallIndexPage",
        "pages.NewsIndexPage",
        "pages.StandardPage",
        "pages.FestivalPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.home_sections(self))
        return context

    def serve(self, request, *args, **kwargs):
        # Key figures and open calls change without publishing: cache it briefly.
        return short_lived(super().serve(request, *args, **kwargs))


class StandardPage(ContentPage):
    """A plain content page: about, guides, rules."""

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class CallIndexPage(ContentPage):
    """Lists the calls under it, filtered by kind and state (``?kind=&state=``)."""

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.SurveyCampaignPage", "pages.RegulationDraftPage", "pages.IdeaCallPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("call index page")
        verbose_name_plural = _("call index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listing.call_listing(self, request.GET)
        return context


class NewsIndexPage(ContentPage):
    """Lists the news under it, newest first."""

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_page"] = listing.news_listing(self, request.GET)
        return context


class NewsPage(ContentPage):
    """A dated announcement."""

    published_on = models.DateField(_("published on"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("published_on"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    api_fields = [
        APIField("published_on"),
        APIField("intro"),
        APIField("body"),
        APIField("image"),
    ]
    # Fetched with API listings (site/api.py), not once per item.
    api_select_related = ["image"]
    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")


class SurveyCampaignPage(RoutablePageMixin, CallPageMixin, ContentPage):
    """A quantitative attitude survey with an embedded form and published aggregate results.

    The questions are blocks (their ids are the answers' keys); the form appears where
    the body's participation-form block is, or after the body. Results live at ``results/``.
    """

    call_kind = CallKind.SURVEY

    body = StreamField(SurveyStreamBlock(), verbose_name=_("body"), blank=True)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"), blank=True)

    base_form_class = QuestionnairePageForm
    parent_page_types = ["pages.CallIndexPage"]
    subpage_types = []
    api_fields = [APIField("intro"), APIField("body"), *CALL_API_FIELDS, *SURVEY_API_FIELDS]
    edit_handler = TabbedInterface(
        [
            ObjectList(ContentPage.content_panels, heading=_("Content")),
            ObjectList([FieldPanel("questions")], heading=_("Questions")),
            ObjectList(CallPageMixin.call_settings_panels, heading=_("Participation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")

    def clean(self):
        super().clean()
        opinion_services.check_page_statements(self)

    @path("")
    def participate(self, request):
        """The page with its embedded form (GET shows it, POST submits)."""
        return survey_views.participate(request, self)

    @path("results/")
    def results(self, request):
        """Aggregate results, when public (editors always see them)."""
        return results_views.survey_results(request, self)


class RegulationDraftPage(RoutablePageMixin, CallPageMixin, ContentPage):
    """A draft bylaw or procedure reviewed clause by clause, with a decision on every clause.

    The text is a flat stream of chapter, article, clause and note blocks; their
    StreamField ids are the clauses' stable ids. Comments, moderation, rounds and
    decisions live in ``participation.drafts``; this class only routes to its views.
    """

    call_kind = CallKind.DRAFT

    body = StreamField(DraftStreamBlock(), verbose_name=_("body"), blank=True)
    rationale = RichTextField(
        _("rationale"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Why the ministry proposes this text and what it should achieve."),
    )
    draft_text = StreamField(
        LegalTextBlock(),
        verbose_name=_("text under review"),
        blank=True,
        help_text=_("Articles, clauses and notes are numbered automatically."),
    )
    related_documents = StreamField(
        [("document", DownloadBlock())], verbose_name=_("related documents"), blank=True
    )
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a comment"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A comment reported this many times is hidden until a moderator decides."),
    )

    base_form_class = DraftPageForm
    parent_page_types = ["pages.CallIndexPage"]
    subpage_types = []
    search_fields = [*ContentPage.search_fields, index.SearchField("rationale")]
    api_fields = [
        APIField("intro"),
        APIField("rationale"),
        APIField("draft_text"),
        APIField("related_documents"),
        *CALL_API_FIELDS,
        *DRAFT_API_FIELDS,
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    *ContentPage.content_panels,
                    FieldPanel("rationale"),
                    FieldPanel("related_documents"),
                ],
                heading=_("Content"),
            ),
            ObjectList(
                [FieldPanel("draft_text_paste"), FieldPanel("draft_text")],
                heading=_("Text under review"),
            ),
            ObjectList(
                [
                    *CallPageMixin.call_settings_panels,
                    FieldPanel("moderation"),
                    FieldPanel("report_threshold"),
                ],
                heading=_("Participation"),
            ),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("regulation draft")
        verbose_name_plural = _("regulation drafts")

    def clean(self):
        super().clean()
        page_rules.check_page_settings(self)
        opinion_services.check_page_statements(self)

    def search_text(self):
        return searchable_text(super().search_text(), *page_rules.searchable_clauses(self))

    @path("")
    def participate(self, request):
        """The text with each clause's discussion at a glance and, later, its decision."""
        return draft_views.draft_page(request, self)

    @path("clause/<str:clause_id>/")
    def clause(self, request, clause_id):
        """One clause: its comments, replies and the form to comment (POST)."""
        return draft_views.clause_page(request, self, clause_id)

    @path("comments/<uuid:comment_uuid>/<str:action>/")
    def comment_action(self, request, comment_uuid, action):
        """Reply to, vote on or report a comment (POST only)."""
        return draft_views.comment_action(request, self, comment_uuid, action)

    @path("changes/")
    def changes(self, request):
        """What changed between two rounds, clause by clause."""
        return draft_views.changes_page(request, self)

    @path("comparison/")
    def comparison(self, request):
        """The comparison table: text, proposals, decision and reason, final text."""
        return draft_views.comparison_page(request, self)

    @path("comparison/xlsx/")
    def comparison_export(self, request):
        return draft_views.comparison_xlsx(request, self)


class IdeaCallPage(RoutablePageMixin, CallPageMixin, ContentPage):
    """A call for new ideas and completed experiences, juried for the annual festival.

    Submissions, co-authors, attachments and the jury live in ``participation.ideas``;
    this class holds what the editor sets and routes to the views.
    """

    call_kind = CallKind.IDEA

    body = StreamField(CallStreamBlock(), verbose_name=_("body"), blank=True)
    eligibility = RichTextField(
        _("who may submit"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    themes = StreamField(ThemeStreamBlock(), verbose_name=_("themes"), blank=True)
    accepts_ideas = models.BooleanField(_("accepts new ideas"), default=True)
    accepts_experiences = models.BooleanField(_("accepts completed experiences"), default=True)
    questions = StreamField(
        QuestionStreamBlock(),
        verbose_name=_("extra questions"),
        blank=True,
        help_text=_("Asked with every submission, besides its title, summary and text."),
    )
    max_attachments = models.PositiveSmallIntegerField(
        _("files per submission"), default=5, validators=[MaxValueValidator(20)]
    )
    max_attachment_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    criteria = StreamField(CriterionStreamBlock(), verbose_name=_("jury criteria"), blank=True)
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews per submission"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=True,
        help_text=_("Jurors do not see the authors or their organization."),
    )
    festival_year = models.PositiveSmallIntegerField(
        _("festival year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1390), MaxValueValidator(1500)],
        help_text=_("The (Jalali) year of the festival where the winners are honoured."),
    )

    base_form_class = QuestionnairePageForm
    parent_page_types = ["pages.CallIndexPage"]
    subpage_types = []
    api_fields = [
        APIField("intro"),
        APIField("body"),
        APIField("eligibility"),
        APIField("themes"),
        APIField("criteria"),
        APIField("festival_year"),
        APIField("accepts_ideas"),
        APIField("accepts_experiences"),
        *CALL_API_FIELDS,
        *IDEA_API_FIELDS,
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [*ContentPage.content_panels, FieldPanel("eligibility"), FieldPanel("themes")],
                heading=_("Content"),
            ),
            ObjectList(
                [
                    FieldPanel("accepts_ideas"),
                    FieldPanel("accepts_experiences"),
                    FieldPanel("questions"),
                    FieldPanel("max_attachments"),
                    FieldPanel("max_attachment_mb"),
                ],
                heading=pgettext_lazy("idea call", "Submissions"),
            ),
            ObjectList(
                [
                    FieldPanel("criteria"),
                    FieldPanel("reviews_per_submission"),
                    FieldPanel("blind_review"),
                    FieldPanel("festival_year"),
                ],
                heading=_("Jury"),
            ),
            ObjectList(CallPageMixin.call_settings_panels, heading=_("Participation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("idea call")
        verbose_name_plural = _("idea calls")

    def clean(self):
        super().clean()
        idea_views.check_page_settings(self)

    @path("")
    def landing(self, request):
        """The call, its themes and criteria, and the visitor's own submissions."""
        return idea_views.call_page(request, self)

    @path("new/")
    def new_submission(self, request):
        """Start a submission (saved as a draft until the author submits it)."""
        return idea_views.new_idea(request, self)

    @path("gallery/")
    def gallery(self, request):
        """Accepted submissions whose authors agreed to show them."""
        return idea_views.gallery(request, self)


class FestivalPage(RoutablePageMixin, ContentPage):
    """The annual festival: winners and honourable mentions by year and theme."""

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("festival page")
        verbose_name_plural = _("festival pages")

    @path("")
    def latest(self, request):
        return idea_views.festival_page(request, self, year=None)

    @path("<int:year>/")
    def by_year(self, request, year):
        return idea_views.festival_page(request, self, year=year)
