"""The public tracker: Persian, Jalali, Persian digits, filters, sources, a call's section,
the Atom feed and /api/v2/commitments/, each at a query count that does not grow with the
number of commitments."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from participation.choices import SourceKind
from participation.impact import services
from participation.impact.choices import CommitmentStatus
from participation.impact.models import Milestone
from participation.sources import SourceRef

from .conftest import decision_ref, idea_ref, make, winning_idea

pytestmark = pytest.mark.django_db

NOWRUZ_1405 = datetime.date(2026, 3, 21)  # ۱ فروردین ۱۴۰۵


@pytest.fixture
def tracked(draft, decision, comment, idea_page, idea, editor, university):
    """A planned draft commitment citing the decision and the comment, and a done idea one."""
    bylaw = make(
        editor,
        draft,
        refs=[
            decision_ref(decision),
            SourceRef(SourceKind.CLAUSE_COMMENT, draft.call_key, object_id=comment.pk),
        ],
        due_date=NOWRUZ_1405,
        progress=35,
        status=CommitmentStatus.IN_PROGRESS,
    )
    Milestone.objects.create(commitment=bylaw, title="تدوین دستورالعمل", date=NOWRUZ_1405)
    workshop = make(
        editor,
        idea_page,
        refs=[idea_ref(idea)],
        title="برگزاری کارگاه‌های روایت‌نویسی",
        responsible_unit="",
        university=university,
    )
    workshop.status = CommitmentStatus.DONE
    services.change_commitment(editor, workshop)
    return bylaw, workshop


def test_the_tracker_is_persian_with_jalali_dates_and_the_sources_of_each_commitment(
    client, tracked
):
    response = client.get("/commitments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>گفتید، انجام دادیم</h1>" in html
    assert "۲ تعهد" in html
    assert "۱ فروردین ۱۴۰۵" in html  # the due date
    assert "۳۵٪ انجام شده" in html and "۱۰۰٪ انجام شده" in html
    assert "در حال انجام" in html and "انجام شد" in html
    # Each source says what it was and what became of it, and leads to it.
    assert "تصمیم دربارهٔ یک بند" in html and "پذیرفته شد" in html
    assert "clause/" in html and "?round=1" in html
    assert "کارگاه روایت‌نویسی دانشجویی" in html  # the idea, shown in the gallery
    assert "دانشگاه تهران" in html


def test_the_tracker_filters_by_status_kind_unit_and_university(client, tracked, university):
    bylaw, workshop = tracked

    def titles(query):
        html = client.get(f"/commitments/?{query}").content.decode()
        return {c.title for c in tracked if f'id="commitment-{c.pk}-title"' in html}

    assert titles("status=done") == {workshop.title}
    assert titles("status=in_progress") == {bylaw.title}
    assert titles("kind=idea") == {workshop.title}
    assert titles("kind=draft") == {bylaw.title}
    assert titles("unit=دفتر تشکل‌ها") == {bylaw.title}
    assert titles(f"university={university.pk}") == {workshop.title}
    assert titles(f"call={bylaw.call_key}") == {bylaw.title}
    assert titles("status=nonsense&kind=x&university=y") == {bylaw.title, workshop.title}


def test_a_commitment_page_shows_its_milestones_updates_and_why_it_was_dropped(
    client, tracked, editor
):
    bylaw, _workshop = tracked
    bylaw.status = CommitmentStatus.DROPPED
    services.change_commitment(editor, bylaw, reason="قانون بالادستی تغییر کرد.")
    services.publish_news(editor, bylaw, "گزارش پایانی منتشر شد.", date=NOWRUZ_1405)
    html = client.get(f"/commitments/{bylaw.pk}/").content.decode()
    assert "دلیل کنار گذاشتن:" in html and "قانون بالادستی تغییر کرد." in html
    assert "تدوین دستورالعمل" in html
    assert "اکنون: کنار گذاشته شد" in html
    assert "گزارش مالی باید عمومی منتشر شود." in html  # the published comment, quoted
    assert '<time datetime="2026-03-21">۱ فروردین ۱۴۰۵</time>' in html
    assert client.get("/commitments/999999/").status_code == 404


def test_a_call_page_shows_its_commitments(client, tracked, draft):
    html = client.get(draft.url).content.decode()
    assert "آنچه به آن متعهد شدیم" in html
    assert tracked[0].title in html and tracked[1].title not in html


def test_english_readers_get_the_tracker_in_english(client, tracked):
    html = client.get("/en/commitments/").content.decode()
    assert "You said, we did" in html and "In progress" in html


def _queries(client, url):
    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more(editor, draft, decision, idea_page, count):
    for number in range(count):
        idea = winning_idea(idea_page, editor, title=f"ایدهٔ {number}")
        commitment = make(
            editor, draft, refs=[decision_ref(decision), idea_ref(idea)], title=f"تعهد {number}"
        )
        Milestone.objects.create(commitment=commitment, title="گام", date=NOWRUZ_1405)
        services.publish_news(editor, commitment, "خبر")


@pytest.mark.parametrize(
    "url", ["/commitments/", "/api/v2/commitments/", "/feeds/commitments.atom"]
)
def test_query_counts_do_not_grow_with_the_commitments(
    client, tracked, editor, draft, decision, idea_page, url
):
    few = _queries(client, url)
    _more(editor, draft, decision, idea_page, 6)
    assert _queries(client, url) == few


def test_the_api_carries_commitments_with_sources_milestones_and_updates(client, tracked):
    bylaw, workshop = tracked
    data = client.get("/api/v2/commitments/?fields=*").json()
    assert data["meta"]["total_count"] == 2
    item = next(item for item in data["items"] if item["id"] == bylaw.pk)
    assert item["status"] == "in_progress" and item["status_label"] == "در حال انجام"
    assert item["due_date"] == "2026-03-21" and item["due_date_jalali"] == "۱۴۰۵/۰۱/۰۱"
    assert item["call"]["kind"] == "draft"
    assert [source["kind"] for source in item["sources"]] == ["clause_decision", "clause_comment"]
    assert item["sources"][0]["outcome"] == "پذیرفته شد"
    assert item["milestones"][0]["date_jalali"] == "۱۴۰۵/۰۱/۰۱"
    assert item["updates"][0]["kind"] == "created"
    done = client.get("/api/v2/commitments/?status=done").json()
    assert [item["id"] for item in done["items"]] == [workshop.pk]
    detail = client.get(f"/api/v2/commitments/{workshop.pk}/").json()
    assert detail["sources"][0]["label"] == "کارگاه روایت‌نویسی دانشجویی"
    assert detail["university"]["name"] == "دانشگاه تهران"
    assert client.get("/api/v2/commitments/?status=").status_code in (200, 400)
    assert client.get("/api/v2/commitments/?colour=red").status_code == 400


def test_the_atom_feed_has_an_entry_per_update(client, tracked):
    response = client.get("/feeds/commitments.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    titles = [
        entry.findtext("atom:title", namespaces=ns) for entry in root.findall("atom:entry", ns)
    ]
    assert len(titles) == 3  # two made, one done
    assert "«برگزاری کارگاه‌های روایت‌نویسی» اکنون: انجام شد" in titles
    assert any(title.startswith("تعهد تازه: ") for title in titles)
    ids = [entry.findtext("atom:id", namespaces=ns) for entry in root.findall("atom:entry", ns)]
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)


def test_a_restricted_calls_commitments_are_shown_nowhere(client, tracked, draft):
    """A password on the call hides its page; its commitments must not show its title, the
    cited contributions and the updates anyway (tracker, page, API, feed)."""
    from wagtail.models import PageViewRestriction

    bylaw, workshop = tracked
    PageViewRestriction.objects.create(
        page=draft, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    html = client.get("/commitments/").content.decode()
    assert bylaw.title not in html and workshop.title in html
    assert client.get(f"/commitments/{bylaw.pk}/").status_code == 404
    api = client.get("/api/v2/commitments/").json()
    assert [item["id"] for item in api["items"]] == [workshop.pk]
    assert client.get(f"/api/v2/commitments/{bylaw.pk}/").status_code == 404
    feed = client.get("/feeds/commitments.atom").content.decode()
    assert bylaw.title not in feed and workshop.title in feed


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "٣", "-1", "0", "1e3"])
def test_a_university_filter_that_is_no_id_is_ignored(client, tracked, value):
    response = client.get(f"/commitments/?university={value}")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'id="commitment-{c.pk}-title"' in html for c in tracked)


def test_an_editors_markup_reaches_feed_readers_as_text(client, tracked, editor):
    bylaw, _workshop = tracked
    services.publish_news(editor, bylaw, '<img src=x onerror="alert(1)">', date=NOWRUZ_1405)
    root = ET.fromstring(client.get("/feeds/commitments.atom").content)  # noqa: S314 (ours)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    summaries = [e.findtext("atom:summary", namespaces=ns) for e in root.findall("atom:entry", ns)]
    news = next(summary for summary in summaries if "onerror" in summary)
    # type="html": what the reader renders is this text as HTML, so the tag is escaped in it.
    assert "&lt;img" in news and "<img" not in news


def test_english_readers_are_sent_to_the_english_call(client, tracked, draft):
    """The call of a commitment is named and linked in the reader's language where the call
    has a version in it: an English reader was sent to the Persian page."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = draft.copy_for_translation(english, copy_parents=True)
    translated.title = "Draft bylaw on student associations"
    translated.save_revision().publish()
    translated.refresh_from_db()
    bylaw = tracked[0]
    for url in ("/en/commitments/", f"/en/commitments/{bylaw.pk}/"):
        html = client.get(url).content.decode()
        assert f'href="{translated.url}"' in html, url
        assert "Draft bylaw on student associations" in html
    # The Persian reader still gets the Persian call.
    html = client.get(f"/commitments/{bylaw.pk}/").content.decode()
    assert f'href="{draft.url}"' in html and draft.title in html


def test_a_clause_page_links_to_the_commitments_citing_its_comments_and_decision(
    client, tracked, draft
):
    """person21: a reader could go from a commitment to the clause, not back."""
    from tests.participation.drafts.factories import CLAUSE_A

    bylaw, workshop = tracked
    html = client.get(f"{draft.url}clause/{CLAUSE_A}/").content.decode()
    assert "آنچه تعهد شد" in html
    assert f'href="/commitments/{bylaw.pk}/"' in html and bylaw.title in html
    assert "در حال انجام، ۳۵٪ انجام شده" in html
    assert workshop.title not in html  # Cites an idea, not this clause.
