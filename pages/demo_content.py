"""Demo pages for ``seed_demo``: the Persian page tree and its English translation.

Pages are found by slug under their parent, and translations by locale, so
running the seed again finds them instead of adding copies.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from participation.dashboard.demo import seed_incentives
from participation.drafts.demo import draft_content, seed_draft_discussion
from participation.drafts.demo import english as draft_english
from participation.ideas import demo as idea_demo
from participation.impact.demo import seed_commitments
from participation.opinions import demo as opinion_demo
from participation.organizations.demo import seed_organizations
from participation.people.demo import DEMO_EMAIL_DOMAIN, demo_admin, demo_editor
from participation.surveys.demo import ENGLISH as SURVEYS_ENGLISH
from participation.surveys.demo import (
    SEED,
    closed_survey_content,
    ensure_respondents,
    open_survey_content,
    response_counts,
    seed_responses,
)

from .models import (
    CallIndexPage,
    FestivalPage,
    HomePage,
    IdeaCallPage,
    NewsIndexPage,
    NewsPage,
    RegulationDraftPage,
    StandardPage,
    SurveyCampaignPage,
)

# The page tree's root, as pages/migrations/0008_root_page_title.py names it.
ROOT_TITLE = "ریشه"
HOME_TITLE = "همیاری دانشگاهیان در فرهنگ"
HOME_INTRO = (
    "<p>«هدف» سامانهٔ همیاری دانشگاهیان در فرهنگ است: دانشجویان، استادان و کارکنان "
    "دانشگاه‌ها و تشکل‌های دانشجویی در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های "
    "ایده‌پردازی معاونت فرهنگی و اجتماعی وزارت علوم شرکت می‌کنند.</p>"
)

CALLS = {
    "slug": "calls",
    "title": "فراخوان‌ها",
    "intro": (
        "<p>نظرسنجی‌ها، پیش‌نویس آیین‌نامه‌ها و فراخوان‌های ایده‌پردازی معاونت فرهنگی و "
        "اجتماعی در این بخش منتشر می‌شوند. فراخوان‌های باز را ببینید و در آن‌ها شرکت کنید.</p>"
    ),
    "show_in_menus": True,
}

NEWS = {
    "slug": "news",
    "title": "اخبار",
    "intro": "<p>تازه‌ترین خبرهای سامانهٔ هدف و فراخوان‌های معاونت فرهنگی و اجتماعی.</p>",
    "show_in_menus": True,
}

ANNOUNCEMENT = {
    "slug": "launch",
    "title": "آغاز به کار سامانهٔ همیاری دانشگاهیان در فرهنگ",
    "published_on": datetime.date(2025, 9, 23),  # ۱ مهر ۱۴۰۴
    "intro": (
        "<p>معاونت فرهنگی و اجتماعی وزارت علوم، تحقیقات و فناوری از راه‌اندازی سامانهٔ "
        "«هدف» برای شنیدن صدای دانشگاهیان خبر داد.</p>"
    ),
    "body": [
        {"type": "heading", "value": {"text": "سه سطح مشارکت", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                "<p>در سطح <b>نگرش و سنجش</b> دانشگاهیان به نظرسنجی‌های کمّی پاسخ می‌دهند؛ "
                "در سطح <b>بازبینی و بازاندیشی</b> آیین‌نامه‌ها و شیوه‌نامه‌ها را بند به بند "
                "نقد می‌کنند و متن پیشنهادی می‌نویسند؛ و در سطح <b>ایده‌پردازی و تجربه‌نگاری</b> "
                "ایده‌های نو و تجربه‌های موفق خود را برای داوری می‌فرستند.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "مشوق‌ها", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                "<ul><li>گواهی مشارکت</li><li>گرنت‌های آموزشی، گردشگری و فرهنگی</li>"
                "<li>عضویت در شوراهای مشورتی</li><li>جوایز نقدی و تقدیر در جشنوارهٔ سالانه</li>"
                "<li>امتیاز ترفیع برای اعضای هیئت علمی</li></ul>"
            ),
        },
    ],
}

NEWS_ITEMS = [
    ANNOUNCEMENT,
    {
        "slug": "idea-call-coming",
        "title": "فراخوان ایده‌های فرهنگی دانشجویی به‌زودی منتشر می‌شود",
        "published_on": datetime.date(2025, 10, 12),  # ۲۰ مهر ۱۴۰۴
        "intro": (
            "<p>نخستین فراخوان ایده‌پردازی «هدف» با موضوع فعالیت‌های فرهنگی در خوابگاه‌های "
            "دانشجویی تا پایان مهرماه منتشر می‌شود.</p>"
        ),
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>دانشجویان، تشکل‌های دانشجویی و معاونت‌های فرهنگی دانشگاه‌ها می‌توانند "
                    "ایده‌های خود را به‌تنهایی یا گروهی ثبت کنند. ایده‌های برگزیده از حمایت مالی "
                    "و همراهی کارشناسان معاونت برای اجرا برخوردار می‌شوند.</p>"
                ),
            },
        ],
    },
    {
        "slug": "university-workshops",
        "title": "کارگاه‌های آشنایی با سامانهٔ هدف در ده دانشگاه",
        "published_on": datetime.date(2025, 10, 27),  # ۵ آبان ۱۴۰۴
        "intro": (
            "<p>کارشناسان معاونت فرهنگی و اجتماعی در آبان‌ماه با برگزاری کارگاه‌هایی در ده "
            "دانشگاه، شیوهٔ شرکت در نظرسنجی‌ها و بازبینی آیین‌نامه‌ها را معرفی می‌کنند.</p>"
        ),
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>در این کارگاه‌ها، شرکت‌کنندگان با نمونهٔ یک پیش‌نویس آیین‌نامه کار "
                    "می‌کنند، بند به بند نظر می‌دهند و می‌بینند نتیجهٔ نظرها چگونه گزارش "
                    "می‌شود. حضور برای همهٔ دانشگاهیان آزاد است.</p>"
                ),
            },
        ],
    },
]

ABOUT = {
    "slug": "about",
    "title": "دربارهٔ هدف",
    "intro": (
        "<p>هدف پیشنهادها و نظرهای دانشگاهیان را گرد می‌آورد و نتیجهٔ آن‌ها را گزارش "
        "می‌کند: «شما گفتید، ما انجام دادیم».</p>"
    ),
    "body": [
        {"type": "heading", "value": {"text": "چه کسانی شرکت می‌کنند؟", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                "<p>دانشجویان، اعضای هیئت علمی و کارکنان دانشگاه‌ها، و تشکل‌های دانشجویی "
                "و معاونت‌های فرهنگی دانشگاه‌ها.</p>"
            ),
        },
    ],
    "show_in_menus": True,
}

# English for the Persian strings of the translated pages, as a translator would
# enter them in wagtail-localize's editor. Strings not listed keep the Persian text.
ENGLISH = {
    HOME_TITLE: "Academics' collaboration in culture",
    (
        "«هدف» سامانهٔ همیاری دانشگاهیان در فرهنگ است: دانشجویان، استادان و کارکنان "
        "دانشگاه‌ها و تشکل‌های دانشجویی در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های "
        "ایده‌پردازی معاونت فرهنگی و اجتماعی وزارت علوم شرکت می‌کنند."
    ): (
        "Hadaf is where academics collaborate on culture: students, faculty and staff of "
        "universities and student associations take part in the surveys, regulation reviews "
        "and idea calls of the Ministry of Science's Cultural and Social Deputy."
    ),
    "فراخوان‌ها": "Calls",
    (
        "نظرسنجی‌ها، پیش‌نویس آیین‌نامه‌ها و فراخوان‌های ایده‌پردازی معاونت فرهنگی و "
        "اجتماعی در این بخش منتشر می‌شوند. فراخوان‌های باز را ببینید و در آن‌ها شرکت کنید."
    ): (
        "Surveys, draft regulations and idea calls of the Cultural and Social Deputy are "
        "published here. See the open calls and take part."
    ),
    "اخبار": "News",
    "تازه‌ترین خبرهای سامانهٔ هدف و فراخوان‌های معاونت فرهنگی و اجتماعی.": (
        "The latest news of Hadaf and of the Cultural and Social Deputy's calls."
    ),
    "دربارهٔ هدف": "About Hadaf",
    (
        "هدف پیشنهادها و نظرهای دانشگاهیان را گرد می‌آورد و نتیجهٔ آن‌ها را گزارش "
        "می‌کند: «شما گفتید، ما انجام دادیم»."
    ): (
        "Hadaf gathers the proposals and opinions of academics and reports what came of "
        "them: “you said, we did”."
    ),
    "چه کسانی شرکت می‌کنند؟": "Who takes part?",
    (
        "دانشجویان، اعضای هیئت علمی و کارکنان دانشگاه‌ها، و تشکل‌های دانشجویی "
        "و معاونت‌های فرهنگی دانشگاه‌ها."
    ): (
        "Students, faculty members and staff of universities, as well as student "
        "associations and universities' cultural deputies."
    ),
}


def english_strings(draft):
    """English for every seeded page's Persian text (site pages, surveys, ``draft``, idea calls)."""
    return {**ENGLISH, **SURVEYS_ENGLISH, **idea_demo.ENGLISH, **draft_english(draft)}


# The same names as in participation/submissions/migrations/0002_call_approval_workflow.py,
# so the seed finds what the migration created (and recreates it on a flushed database).
CALL_WORKFLOW_NAME = "تأیید فراخوان"
CALL_APPROVAL_TASK_NAME = "بررسی ناظران"
MODERATORS_GROUP = "Moderators"


def ensure_locales():
    """Every configured content language has a Wagtail ``Locale``."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def ensure_home_page():
    """Make a Persian ``HomePage`` the root of the default site.

    A fresh database has Wagtail's placeholder "Welcome" page there; it is
    replaced, not kept beside ours.
    """
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        # A flushed database (e.g. after a transactional test) has no tree root at all.
        root = Page.get_first_root_node() or Page.add_root(title=ROOT_TITLE, slug="root")
        home = HomePage(
            title=HOME_TITLE,
            slug="home",
            intro=HOME_INTRO,
            locale=Locale.objects.get(language_code=settings.LANGUAGE_CODE),
        )
        placeholder = site.root_page if site else None
        if placeholder is not None and placeholder.slug == "home":
            placeholder.slug = "wagtail-welcome"
            placeholder.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="هدف"
        )
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "هدف"
        site.save()
        if not isinstance(placeholder.specific, HomePage) and placeholder.depth == 2:
            placeholder.delete()
    return home


def ensure_page(parent, model, content):
    """Create and publish a ``model`` page under ``parent`` unless its slug exists there.

    Args:
        parent: the page to add it under.
        model: the page class.
        content: field values, including ``slug``.

    Returns:
        The specific page, found or created.
    """
    existing = parent.get_children().filter(slug=content["slug"]).first()
    if existing is not None:
        if content.get("show_in_menus") and not existing.show_in_menus:
            Page.objects.filter(pk=existing.pk).update(show_in_menus=True)
        return existing.specific
    page = model(**content)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_standard_page(parent, content):
    """Create and publish a standard page under ``parent`` unless its slug exists."""
    return ensure_page(parent, StandardPage, content)


def retire_old_announcement(home):
    """Remove the launch announcement earlier seeds put under home; it is news now."""
    old = home.get_children().filter(slug=ANNOUNCEMENT["slug"]).type(StandardPage).first()
    if old is not None and old.title == ANNOUNCEMENT["title"]:
        old.delete()


def ensure_translation(page, locale, strings):
    """Translate ``page`` into ``locale`` through wagtail-localize, as an editor would.

    Submits the page for translation (a ``TranslationSource`` and a ``Translation``
    that editors can keep working on in the admin), enters ``strings`` as the
    translations of its segments, then creates and publishes the translated page.
    A page already translated into ``locale`` is left alone.

    Args:
        page: the source page; its parent must already be translated.
        locale: the target ``Locale``.
        strings: {source text: translated text}; untranslated segments keep the source text.

    Returns:
        The translated page.
    """
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    source, _created = TranslationSource.get_or_create_from_instance(page)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        translated = strings.get(segment.string.data)
        if translated is not None:
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": translated,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    Translation.objects.get_or_create(source=source, target_locale=locale)
    translated_page, _created = source.create_or_update_translation(
        locale, publish=False, fallback=True
    )
    # Published here rather than on commit, so a seed inside a test transaction is live too.
    translated_page.get_latest_revision().publish()
    translated_page.refresh_from_db()
    return translated_page.specific


def ensure_call_workflow(calls):
    """Calls under ``calls`` need a moderator's approval before they are published.

    Finds (or creates) the workflow "تأیید فراخوان" with its Moderators approval task and
    assigns it to ``calls`` unless an administrator assigned another workflow there.
    """
    workflow, _created = Workflow.objects.get_or_create(
        name=CALL_WORKFLOW_NAME, defaults={"active": True}
    )
    task, _created = GroupApprovalTask.objects.get_or_create(
        name=CALL_APPROVAL_TASK_NAME, defaults={"active": True}
    )
    task.groups.add(*Group.objects.filter(name=MODERATORS_GROUP))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=calls, defaults={"workflow": workflow})
    return workflow


def seed_calls(calls):
    """The calls under the call index: an open survey with a few hundred generated responses
    and a statements conversation, and a closed one with its outcome; both behind the
    approval workflow."""
    ensure_call_workflow(calls)
    now = timezone.now()
    surveys = {
        "open": ensure_page(calls, SurveyCampaignPage, open_survey_content(now)),
        "closed": ensure_page(calls, SurveyCampaignPage, closed_survey_content(now)),
    }
    seed_responses(surveys["open"], surveys["closed"])
    # The open survey's respondents vote on its statements too (three planted groups).
    voters = ensure_respondents(response_counts()[0], random.Random(SEED))  # noqa: S311
    opinion_demo.seed_statements(surveys["open"], demo_editor(), voters)
    draft = ensure_page(calls, RegulationDraftPage, draft_content(now))
    people = ensure_respondents(60, random.Random(SEED))  # noqa: S311 - demo data
    seed_draft_discussion(draft, people, demo_editor(), demo_admin())
    # Round 2's clause stances feed the draft's opinion map.
    opinion_demo.publish_demo_map(draft, demo_editor())
    idea_calls = seed_idea_calls(calls, people)
    seed_commitments(draft, idea_calls["idea_call"], demo_editor())
    return {**surveys, "draft": draft, **idea_calls}


def seed_idea_calls(calls, people):
    """Last year's juried festival call and an open call for experiences."""
    now = timezone.now()
    festival_call = ensure_page(calls, IdeaCallPage, idea_demo.festival_call_content(now))
    open_call = ensure_page(calls, IdeaCallPage, idea_demo.open_call_content(now))
    universities = idea_demo.ensure_universities(people, random.Random(SEED))  # noqa: S311
    representative = get_user_model().objects.get(email=f"anjoman.elmi@{DEMO_EMAIL_DOMAIN}")
    organization = idea_demo.ensure_organization(representative, universities[0])
    seed_organizations()
    idea_demo.seed_festival(festival_call, people, universities, organization, demo_editor())
    seed_incentives(festival_call)
    return {"idea_call": festival_call, "open_idea_call": open_call}


def seed_pages():
    """The demo page tree: home, calls with two surveys, news with three items, about; home
    and sections in English too."""
    ensure_locales()
    home = ensure_home_page()
    retire_old_announcement(home)
    calls = ensure_page(home, CallIndexPage, CALLS)
    surveys = seed_calls(calls)
    news = ensure_page(home, NewsIndexPage, NEWS)
    news_items = [ensure_page(news, NewsPage, item) for item in NEWS_ITEMS]
    about = ensure_standard_page(home, ABOUT)
    festival = ensure_page(home, FestivalPage, idea_demo.festival_content())

    english = Locale.objects.get(language_code="en")
    translations = {
        page.slug: ensure_translation(page, english, ENGLISH) for page in (home, calls, news, about)
    }
    # The calls and the festival too, questions, choices and clauses included, so the
    # English site has its calls and «English» on a call leads to its translation.
    strings = english_strings(surveys["draft"])
    for page in [*surveys.values(), festival]:
        translations[page.slug] = ensure_translation(page, english, strings)
    return {
        "home": home,
        "calls": calls,
        "surveys": surveys,
        "news": news,
        "announcement": news_items[0],
        "news_items": news_items,
        "about": about,
        "festival": festival,
        "english": translations,
    }
