"""What the read API (/api/v2/) shows of a page beyond its stored fields.

Page models list these in ``api_fields`` (see ``CALL_API_FIELDS``) and ``api_meta_fields``
(``TRANSLATIONS_API_FIELD``, shown in ``meta`` beside the locale); the serialisation
lives here so the models stay thin. Anything read from other rows (translations, survey
tallies, draft discussion, awarded ideas) comes from :class:`ListingData`, which the
API view puts in the serializer context: loaded once for all the pages of a response,
so a listing costs the same number of queries for 3 pages or 50.

Labels (state, audience, decisions) are in the page's own language, not the reader's:
a response then depends only on its URL, which lets shared caches keep it.

The participation modules are imported inside the fields: they import page models, and
``pages.models`` imports this module.
"""

from functools import cached_property

from django.utils import translation
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.rich_text import expand_db_html

from participation.choices import AnonymityMode, Audience, CallKind, CallState
from participation.drafts import forms, outline
from participation.drafts.api import DraftData, discussion_json
from participation.drafts.choices import CommentKind, Stance
from participation.eligibility import audience_reason
from participation.ideas.api import awards_json, load_awarded
from participation.ideas.choices import IdeaKind
from participation.ideas.models import Idea
from participation.ideas.services import accepted_kinds, theme_choices
from participation.jalali import jalali_text
from participation.opinions.api import OpinionMapOut, PublishedMaps
from participation.questions.api import questionnaire_json
from participation.questions.schema import read_questions
from participation.results.api import load_public_tallies, public_results_json


class ListingData:
    """Related rows of the pages of one API response, each kind loaded at first use.

    Args:
        pages: the (specific) pages the response shows.
        request: the API request (for URLs).
    """

    def __init__(self, pages, request=None):
        self.pages = list(pages)
        self.page_ids = {page.pk for page in self.pages}
        self.request = request
        self._questionnaires = {}

    def questionnaire(self, page):
        """The page's questions read once, for its form and its results alike."""
        if page.pk not in self._questionnaires:
            self._questionnaires[page.pk] = read_questions(page.questions)
        return self._questionnaires[page.pk]

    def _calls_of(self, kind):
        return [page for page in self.pages if getattr(page, "call_kind", None) == kind]

    @cached_property
    def translations(self):
        """{translation key: [live, public pages in every locale]}, in one query."""
        from wagtail.models import Page

        keys = {page.translation_key for page in self.pages}
        grouped = {}
        if not keys:
            return grouped
        pages = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("locale__language_code", "pk")
        )
        for page in pages:
            grouped.setdefault(page.translation_key, []).append(page)
        return grouped

    @cached_property
    def survey_tallies(self):
        return load_public_tallies(self._calls_of(CallKind.SURVEY))

    @cached_property
    def drafts(self):
        return DraftData(self._calls_of(CallKind.DRAFT))

    @cached_property
    def awarded_ideas(self):
        return load_awarded(self._calls_of(CallKind.IDEA))

    @cached_property
    def opinion_maps(self):
        return PublishedMaps(self.pages)


def listing_data(field, page):
    """The response's :class:`ListingData`, or one for ``page`` alone (another caller)."""
    data = field.context.get("listing_data")
    if data is None or page.pk not in data.page_ids:
        data = ListingData([page], field.context.get("request"))
    return data


def in_page_language(page):
    """Activate the page's own language (labels, numbering) for the block of code."""
    return translation.override(page.locale.language_code)


def choice_label(choices, value):
    """The translated label of ``value`` in ``choices``, or ``""`` for an unknown value."""
    return str(choices(value).label) if value in choices.values else ""


class PageField(serializers.Field):
    """A read-only value computed from the whole page (``source="*"``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)


class TranslationsField(PageField):
    """The page's other language versions: ``[{id, locale, title, html_url, detail_url}]``."""

    def to_representation(self, page):
        from wagtail.api.v2.utils import get_object_detail_url

        request = self.context.get("request")
        router = self.context.get("router")
        others = listing_data(self, page).translations.get(page.translation_key, [])
        return [
            {
                "id": other.pk,
                "locale": other.locale.language_code,
                "title": other.title,
                "html_url": other.get_full_url(request=request),
                "detail_url": get_object_detail_url(router, request, type(other), other.pk)
                if router
                else None,
            }
            for other in others
            if other.pk != page.pk
        ]


class KindField(PageField):
    def to_representation(self, page):
        return page.call_kind


class KindLabelField(PageField):
    def to_representation(self, page):
        with in_page_language(page):
            return choice_label(CallKind, page.call_kind)


class StateField(PageField):
    """upcoming, open, closed or outcome (published): the call's state now."""

    def to_representation(self, page):
        return page.call_state


class StateLabelField(PageField):
    def to_representation(self, page):
        with in_page_language(page):
            return choice_label(CallState, page.call_state)


class JalaliField(serializers.Field):
    """A date and time as Solar Hijri text in Tehran time: «۱۴۰۵/۰۹/۰۳ ۱۴:۳۰»."""

    def __init__(self, source, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value):
        return jalali_text(value, "fa") or None


class AudienceField(PageField):
    """Who may take part: ``{value, roles, label, description}``."""

    def to_representation(self, page):
        with in_page_language(page):
            return {
                "value": page.audience,
                "roles": list(page.audience_roles or []),
                "label": choice_label(Audience, page.audience),
                "description": str(audience_reason(page)),
            }


class AnonymityField(PageField):
    def to_representation(self, page):
        with in_page_language(page):
            return {"value": page.anonymity, "label": choice_label(AnonymityMode, page.anonymity)}


class OutcomeField(PageField):
    """ "You said, we did", once published: ``{published_at, published_at_jalali, html}``."""

    def to_representation(self, page):
        if page.call_state != CallState.OUTCOME_PUBLISHED:
            return None
        return {
            "published_at": serializers.DateTimeField().to_representation(
                page.outcome_published_at
            ),
            "published_at_jalali": jalali_text(page.outcome_published_at, "fa"),
            "html": expand_db_html(page.outcome),
        }


class SurveyFormField(PageField):
    """The survey's questions: ids, types, choices and validation rules."""

    def to_representation(self, page):
        questionnaire = listing_data(self, page).questionnaire(page)
        return {"kind": CallKind.SURVEY, **questionnaire_json(questionnaire)}


class IdeaFormField(PageField):
    """What a submission holds: its kinds, themes, fixed fields, extra questions and files."""

    def to_representation(self, page):
        def max_length(name):
            return Idea._meta.get_field(name).max_length

        with in_page_language(page):
            kinds = [
                {"value": kind, "label": str(IdeaKind(kind).label)} for kind in accepted_kinds(page)
            ]
        return {
            "kind": CallKind.IDEA,
            "submission_kinds": kinds,
            "themes": [{"id": theme_id, "name": name} for theme_id, name in theme_choices(page)],
            "fields": [
                {"name": "title", "required": True, "max_length": max_length("title")},
                {"name": "summary", "required": True, "max_length": max_length("summary")},
                {"name": "body", "required": False, "max_length": None},
            ],
            "attachments": {
                "max_files": page.max_attachments,
                "max_megabytes": page.max_attachment_mb,
            },
            **questionnaire_json(listing_data(self, page).questionnaire(page)),
        }


class DraftFormField(PageField):
    """How to comment: the clauses open to comments, the comment kinds and stances."""

    def to_representation(self, page):
        with in_page_language(page):
            return {
                "kind": CallKind.DRAFT,
                "clauses": [
                    {"id": provision.id, "kind": provision.kind, "label": str(provision.label)}
                    for provision in outline.outline_of(page.draft_text)
                    if provision.commentable
                ],
                "comment_kinds": [
                    {"value": kind, "label": str(CommentKind(kind).label)}
                    for kind in (CommentKind.CLAUSE, CommentKind.NEW_CLAUSE)
                ],
                "stances": [
                    {"value": stance.value, "label": str(stance.label)} for stance in Stance
                ],
                "max_lengths": {
                    "body": forms.MAX_COMMENT_LENGTH,
                    "proposed_text": forms.MAX_PROPOSAL_LENGTH,
                    "reply": forms.MAX_REPLY_LENGTH,
                },
            }


class SurveyResultsField(PageField):
    """Aggregate results once public, small groups suppressed as on the results page."""

    def to_representation(self, page):
        data = listing_data(self, page)
        with in_page_language(page):
            return public_results_json(page, data.survey_tallies, data.questionnaire(page))


class DraftDiscussionField(PageField):
    """Per-clause figures of the current round and, once public, its decisions."""

    def to_representation(self, page):
        with in_page_language(page):
            return discussion_json(page, listing_data(self, page).drafts)


class IdeaAwardsField(PageField):
    """Winners and honourable mentions once the outcome is published."""

    def to_representation(self, page):
        with in_page_language(page):
            return awards_json(page, listing_data(self, page).awarded_ideas)


class OpinionMapField(PageField):
    """The published opinion map: groups, sizes, representative and consensus statements."""

    def to_representation(self, page) -> OpinionMapOut | None:
        with in_page_language(page):
            return listing_data(self, page).opinion_maps.json(page)


TRANSLATIONS_API_FIELD = APIField("translations", serializer=TranslationsField())

# Every call page type shows these, then its own form and outcome fields.
CALL_API_FIELDS = [
    APIField("kind", serializer=KindField()),
    APIField("kind_label", serializer=KindLabelField()),
    APIField("state", serializer=StateField()),
    APIField("state_label", serializer=StateLabelField()),
    APIField("opens_at"),
    APIField("opens_at_jalali", serializer=JalaliField(source="opens_at")),
    APIField("closes_at"),
    APIField("closes_at_jalali", serializer=JalaliField(source="closes_at")),
    APIField("audience", serializer=AudienceField()),
    APIField("anonymity", serializer=AnonymityField()),
    APIField("outcome", serializer=OutcomeField()),
    APIField("opinion_map", serializer=OpinionMapField()),
]
SURVEY_API_FIELDS = [
    APIField("form", serializer=SurveyFormField()),
    APIField("results", serializer=SurveyResultsField()),
]
DRAFT_API_FIELDS = [
    APIField("form", serializer=DraftFormField()),
    APIField("discussion", serializer=DraftDiscussionField()),
]
IDEA_API_FIELDS = [
    APIField("form", serializer=IdeaFormField()),
    APIField("awards", serializer=IdeaAwardsField()),
]
