"""Content benchmarks: a call page of 30 blocks, and the read API over 1,000 pages.

* blocks: the uncached render of a survey page whose body has 30 varied content blocks
  from ``pages.blocks`` (images and downloads included), beside a ``StandardPage`` with the
  same 30 blocks — the difference is what the call features cost;
* api: ``/api/v2/pages/`` listing 1,000 ``SurveyCampaignPage`` (``fields=*``) through the
  project's viewset (``site.api``), beside the same listing through Wagtail's own
  ``PagesAPIViewSet`` (no prefetching of translations, results and related rows).

Both request the pages in process with Django's test client, as an anonymous visitor.
"""

import datetime
import io
import uuid

from django.db import connection, transaction
from django.utils import timezone

from . import benchmarks
from . import questionnaire as bq

BLOCKS_SLUG = "bench-blocks"
BLOCKS_BASELINE_SLUG = "bench-blocks-standard"
INTRO = "<p>فراخوان آزمون کارایی: متن، تصویر، جدول، پرسش‌های پرتکرار و پرونده‌ها.</p>"
SENTENCES = (
    "دانشگاهیان می‌توانند در نظرسنجی‌ها، بازبینی آیین‌نامه‌ها و فراخوان‌های ایده‌پردازی شرکت کنند.",
    "پاسخ‌های شما به برنامه‌ریزی فرهنگی سال آینده در دانشگاه‌های سراسر کشور کمک می‌کند.",
    "نتایج به‌صورت جمعی و بدون نام منتشر می‌شود و هیچ پاسخی به شخص نسبت داده نمی‌شود.",
    "کمیتهٔ فرهنگی معاونت پس از پایان مهلت، گزارش کامل را همراه با تصمیم‌ها منتشر می‌کند.",
    "برای <b>شرکت</b> در فراخوان باید با نشانی ایمیل دانشگاهی خود وارد سامانه شوید.",
)


PLAN = (
    "heading",
    "paragraph",
    "image",
    "paragraph",
    "key_figures",
    "heading",
    "paragraph",
    "timeline",
    "notice",
    "faq",
    "heading",
    "paragraph",
    "table",
    "quote",
    "incentives",
    "heading",
    "paragraph",
    "image",
    "downloads",
    "notice",
    "call_to_action",
    "heading",
    "paragraph",
    "faq",
    "table",
    "key_figures",
    "quote",
    "notice",
    "paragraph",
    "paragraph",
)


def plan_summary():
    """How many blocks of each type the 30-block body has ("5 heading, 8 paragraph, …")."""
    from collections import Counter

    return ", ".join(f"{count} {name}" for name, count in Counter(PLAN).most_common())


def _item(value):
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def _block(block_type, value, marker):
    return {"type": block_type, "value": value, "id": str(uuid.uuid5(bq.NAMESPACE, marker))}


def _paragraph(index):
    sentences = [SENTENCES[(index + offset) % len(SENTENCES)] for offset in range(6)]
    return "".join(f"<p>{sentence}</p>" for sentence in sentences) + (
        "<ul><li>گواهی مشارکت</li><li>امتیاز فرهنگی</li><li>پژوهانه</li></ul>"
        if index % 3 == 0
        else ""
    )


def _table(index):
    return {
        "caption": f"مشارکت دانشگاهیان در فراخوان‌ها (جدول {index})",
        "columns": [
            {"type": "text", "heading": "فراخوان"},
            {"type": "number", "heading": "شرکت‌کنندگان"},
            {"type": "number", "heading": "درصد رضایت"},
            {"type": "rich_text", "heading": "توضیح"},
        ],
        "rows": [
            {
                "values": [
                    f"فراخوان شمارهٔ {row}",
                    str(1200 + 37 * row),
                    f"{60 + row % 30}.5",
                    "<p>با <b>همکاری</b> دانشگاه‌ها</p>",
                ]
            }
            for row in range(1, 11)
        ],
    }


def body_blocks(image_ids, document_ids):
    """Raw StreamField data of 30 varied content blocks (``BaseStreamBlock`` children only).

    Each block's value carries a marker (``[b01]`` … ``[b30]``) in its visible text, so a
    check can tell that every block reached the rendered page.
    """
    today = timezone.localdate()
    blocks = []
    for number, block_type in enumerate(PLAN, start=1):
        marker = f"[b{number:02d}]"
        if block_type == "heading":
            value = {"text": f"بخش {number} {marker}", "level": "h2" if number < 12 else "h3"}
        elif block_type == "paragraph":
            value = f"<p>{marker}</p>" + _paragraph(number)
        elif block_type == "image":
            value = {
                "image": image_ids[number % len(image_ids)],
                "decorative": False,
                "alt_text": "دانشجویان در حیاط دانشگاه",
                "caption": f"نشست هم‌اندیشی دانشجویان {marker}",
                "attribution": "عکس: روابط عمومی",
            }
        elif block_type == "key_figures":
            value = {
                "heading": f"در یک نگاه {marker}",
                "figures": [
                    _item({"label": "دانشگاه همراه", "number": "142", "unit": ""}),
                    _item({"label": "مشارکت ثبت‌شده", "number": "38500", "unit": "پاسخ"}),
                    _item({"label": "رضایت", "number": "87.5", "unit": "درصد"}),
                    _item({"label": "استان", "number": "31", "unit": ""}),
                ],
            }
        elif block_type == "timeline":
            value = {
                "heading": f"مراحل فراخوان {marker}",
                "phases": [
                    _item(
                        {
                            "title": title,
                            "start_date": (today + datetime.timedelta(days=start)).isoformat(),
                            "end_date": (today + datetime.timedelta(days=end)).isoformat(),
                            "description": "شرح این مرحله از فراخوان.",
                        }
                    )
                    for title, start, end in (
                        ("دریافت پاسخ‌ها", -10, 20),
                        ("تحلیل", 21, 40),
                        ("انتشار نتایج", 41, 50),
                        ("گزارش نهایی", 51, 60),
                    )
                ],
            }
        elif block_type == "notice":
            value = {
                "level": ("info", "warning", "success")[number % 3],
                "title": f"تمدید مهلت {marker}",
                "text": "<p>مهلت پاسخ‌دادن تا پایان آبان تمدید شد.</p>",
            }
        elif block_type == "faq":
            value = {
                "heading": f"پرسش‌های پرتکرار {marker}",
                "questions": [
                    _item(
                        {
                            "question": f"پرسش شمارهٔ {index}؟",
                            "answer": f"<p>{SENTENCES[index % len(SENTENCES)]}</p>",
                        }
                    )
                    for index in range(5)
                ],
            }
        elif block_type == "table":
            value = _table(number)
            value["caption"] += f" {marker}"
        elif block_type == "quote":
            value = {
                "text": f"دانشگاه جای گفت‌وگو و ساختن فرهنگ است. {marker}",
                "attribution": "معاون فرهنگی و اجتماعی",
                "source": "سخنرانی آغاز سال تحصیلی",
            }
        elif block_type == "incentives":
            value = {
                "heading": f"مشوق‌های مشارکت {marker}",
                "items": [
                    _item({"kind": "certificate", "description": "گواهی مشارکت", "amount": None}),
                    _item({"kind": "grant", "description": "پژوهانه", "amount": 500000000}),
                    _item({"kind": "promotion_points", "description": "امتیاز", "amount": 2}),
                ],
            }
        elif block_type == "downloads":
            value = {
                "heading": f"پرونده‌های فراخوان {marker}",
                "documents": [
                    _item({"document": document_id, "description": "متن کامل و شیوه‌نامه"})
                    for document_id in document_ids
                ],
            }
        elif block_type == "call_to_action":
            value = {
                "title": f"در نظرسنجی شرکت کنید {marker}",
                "text": "پاسخ شما به برنامه‌ریزی فرهنگی کمک می‌کند.",
                "button_label": "شرکت در نظرسنجی",
                "page": None,
                "url": "https://www.msrt.ir/",
            }
        blocks.append(_block(block_type, value, f"blocks/{number}"))
    return blocks


def block_markers():
    return [f"[b{number:02d}]" for number in range(1, 31)]


def create_media():
    """Two JPEG images (1600×1000, so the 1200-pixel rendition really resizes) and two
    documents, in ``MEDIA_ROOT`` (the run points it at a temporary folder)."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    images = []
    for index, colour in enumerate(((40, 90, 160), (170, 70, 40))):
        picture = PILImage.new("RGB", (1600, 1000), colour)
        for x in range(0, 1600, 40):  # some detail, so encoding is not trivial
            for y in range(0, 1000, 40):
                picture.putpixel((x, y), (255, 255, 255))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        images.append(
            get_image_model().objects.create(
                title=f"تصویر سنجه {index}",
                file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"bench-{index}.jpg"),
            )
        )
    documents = [
        get_document_model().objects.create(
            title=f"شیوه‌نامهٔ فراخوان {index}",
            file=ContentFile(
                b"%PDF-1.4\n" + b"x" * (40_000 * (index + 1)), name=f"bench-{index}.pdf"
            ),
        )
        for index in range(2)
    ]
    return [image.pk for image in images], [document.pk for document in documents]


def survey_page(slug, body, *, title):
    """A published, open survey (signed-in audience: anonymous visitors see a notice, not
    the form) with the 20 bench questions and ``body``."""
    from pages.models import SurveyCampaignPage
    from participation.choices import AnonymityMode, Audience, ResultsVisibility

    now = timezone.now()
    return SurveyCampaignPage(
        title=title,
        slug=slug,
        intro=INTRO,
        body=body,
        questions=bq.stream_data(),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        audience=Audience.SIGNED_IN,
        anonymity=AnonymityMode.NAMED,
        results_visibility=ResultsVisibility.LIVE,
        results_published=True,
    )


def create_block_pages():
    """The 30-block survey page under the call index and its ``StandardPage`` twin."""
    from bench import seed
    from pages.models import StandardPage

    home, calls = seed.ensure_tree()
    image_ids, document_ids = create_media()
    body = body_blocks(image_ids, document_ids)
    call = survey_page(BLOCKS_SLUG, body, title="فراخوان سی‌بلوکی (سنجه)")
    standard = StandardPage(
        title="همان سی بلوک در صفحهٔ ساده", slug=BLOCKS_BASELINE_SLUG, intro=INTRO, body=body
    )
    with transaction.atomic():
        calls.add_child(instance=call)
        call.save_revision().publish()
        home.add_child(instance=standard)
        standard.save_revision().publish()
    call.refresh_from_db()
    standard.refresh_from_db()
    return call, standard


def measure_page(client, url, repeats, *, warmup=3, before=None, check=None, prime=True):
    """Median and p95 of GET ``url``, with the query count and size of one response.

    ``before`` runs before each request, inside its timing (the drafts' cold-cache line
    clears the cache there); ``check(response)`` validates the counted response; with
    ``prime`` one request goes first (it creates image renditions), so the counted one
    is a steady-state request.
    """
    from django.db import connection as db

    def get():
        if before:
            before()
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert response.headers.get("X-Hadaf-Cache") != "hit", f"{url} came from the page cache"
        return response

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    if prime:
        get()
    with db.execute_wrapper(count):
        response = get()
    if check:
        check(response)
    samples = benchmarks.timed(get, repeats, warmup=warmup)
    return {
        "samples": samples,
        "median": benchmarks.median(samples),
        "p95": benchmarks.p95(samples),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def bench_blocks(call, standard, repeats, checks):
    """The uncached render of both 30-block pages (and the home page, for reference)."""
    from django.test import Client

    client = Client()
    markers = block_markers()

    def every_block(response):
        html = response.content.decode()
        missing = [marker for marker in markers if marker not in html]
        assert not missing, f"{response.wsgi_request.path}: blocks {missing} not rendered"

    rows = [
        (
            "baseline: StandardPage, the same 30 blocks",
            measure_page(client, standard.url, repeats, check=every_block),
        ),
        (
            "survey call page, 30 blocks (anonymous)",
            measure_page(client, call.url, repeats, check=every_block),
        ),
        ("reference: the home page", measure_page(client, "/", repeats)),
    ]
    checks.append("both 30-block pages answered 200 with all 30 blocks in the HTML, never a hit")
    return rows


# --- The read API over 1,000 pages ---------------------------------------------------------


def api_body():
    """A shorter body for the listed pages: six blocks of the kinds the API serialises."""
    blocks = body_blocks([None], [None])  # no image or download blocks are kept
    keep = ("heading", "paragraph", "key_figures", "timeline", "notice", "faq")
    chosen, seen = [], set()
    for block in blocks:
        if block["type"] in keep and block["type"] not in seen:
            seen.add(block["type"])
            chosen.append({**block, "id": str(uuid.uuid4())})
    return chosen


def seed_api_pages(count, progress=None):
    """``count`` live survey pages under the call index, each with the 20 bench questions
    and the API body; created with ``add_child`` (no revisions: the API reads the live
    tables)."""
    from django.conf import settings
    from django.test import override_settings

    from bench import seed

    _home, calls = seed.ensure_tree()
    body = api_body()
    # The listing never searches: no search indexing while seeding (most of its time).
    backends = {
        name: {**backend, "AUTO_UPDATE": False}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        for index in range(count):
            title = f"نظرسنجی فهرست {index}"
            with transaction.atomic():
                calls.add_child(instance=survey_page(f"bench-api-{index:05d}", body, title=title))
            if progress and (index + 1) % 250 == 0:
                progress(index + 1, count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailcore_page")


API_LISTING = "/api/v2/pages/?type=pages.SurveyCampaignPage"
API_CASES = (
    ("`fields=*`, default limit (20)", "&fields=*", 20),
    ("`fields=*`, `limit=50`", "&fields=*&limit=50", 50),
    ("default fields, default limit (20)", "", 20),
)


def plain_wagtail_urlconf():
    """The project's URLs with /api/v2/pages/ served by Wagtail's own ``PagesAPIViewSet``:
    the same page types and ``api_fields``, without the project's viewset (no prefetching
    of related rows, no reader caching), as the baseline."""
    import types

    from django.urls import path
    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail.api.v2.views import PagesAPIViewSet

    from site import urls as project_urls

    router = WagtailAPIRouter("wagtailapi")
    router.register_endpoint("pages", PagesAPIViewSet)
    urlconf = types.ModuleType("bench_plain_wagtail_api_urls")
    urlconf.urlpatterns = [path("api/v2/", router.urls), *project_urls.urlpatterns]
    return urlconf


def bench_api(count, repeats, checks):
    """Median and p95 of each survey listing: the project's API beside plain Wagtail's."""
    from django.test import Client, override_settings

    client = Client()
    baseline_urls = plain_wagtail_urlconf()
    # Every request is rendered: the API's server-side store (site.api_cache) is off.
    with override_settings(HADAF_API_CACHE_SECONDS=0):
        rows = [
            bench_api_case(client, baseline_urls, label, query, limit, count, repeats)
            for label, query, limit in API_CASES
        ]
    checks.append(
        f"every API listing answered 200 with `limit` items of ≥ {count:,} survey pages, on"
        " the project's viewset and on Wagtail's own (the baseline, no `X-API-Limit`), none"
        " served from the API's store"
    )
    return rows


def bench_api_case(client, baseline_urls, label, query, limit, count, repeats):
    """One listing through the project's viewset, then Wagtail's: ``(label, ours, plain)``."""
    import json

    from django.test import override_settings

    url = API_LISTING + query

    def check(response):
        assert response.headers.get("X-Hadaf-API-Cache") != "hit", f"{url} was kept"
        data = json.loads(response.content)
        total = data["meta"]["total_count"]
        assert total >= count, f"{url}: total_count {total} < {count} seeded"
        assert len(data["items"]) == min(limit, total), (url, len(data["items"]))
        if "fields=*" in url:
            assert "form" in data["items"][0], f"{url}: no form in the items"

    ours = measure_page(client, url, repeats, check=check)
    ours["total"] = json.loads(client.get(url).content)["meta"]["total_count"]
    with override_settings(ROOT_URLCONF=baseline_urls):
        plain = measure_page(client, url, repeats, check=check)
        response = client.get(url)
        assert "X-API-Limit" not in response, "the baseline must be Wagtail's own viewset"
        plain["total"] = json.loads(response.content)["meta"]["total_count"]
    return label, ours, plain
