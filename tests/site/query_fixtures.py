"""Worlds of chosen sizes for the query-count guards, and the helpers that count and compare.

Every builder adds to the database in place, so a test can measure a small world, grow it
and measure again on the same URL.
"""

import datetime
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail_factories import ImageFactory

from pages.models import NewsPage, RegulationDraftPage, StandardPage, SurveyCampaignPage
from participation.choices import ResultsVisibility
from participation.questions.choices import QuestionType
from participation.questions.schema import read_questions
from participation.submissions.models import Answer
from participation.submissions.services import submit_response
from tests.people.factories import university_named

# --- Counting ------------------------------------------------------------------------------

_LITERALS = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),  # strings (SQLite interpolates parameters)
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),  # numbers
    (re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)"), "(?, …)"),  # IN lists and VALUES rows
    (re.compile(r"(?:\(\?, …\)\s*,\s*)+\(\?, …\)"), "(?, …)…"),  # many VALUES rows
    (re.compile(r"\s+"), " "),
]


def statement_shape(sql):
    """``sql`` with its literals replaced, so repeats of one statement look alike."""
    for pattern, replacement in _LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql.strip()


@dataclass
class Measure:
    """The queries of one request, taken on the second of two identical GETs."""

    url: str
    statements: list
    response: object = field(repr=False)

    @property
    def count(self):
        return len(self.statements)

    def shapes(self):
        return Counter(statement_shape(sql) for sql in self.statements)


def measure(client, url):
    """GET ``url`` twice (the first warms Wagtail's and Django's per-process caches) and
    return the second request's queries."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Measure(url, [query["sql"] for query in queries.captured_queries], response)


_COLUMNS = re.compile(r"^SELECT (DISTINCT )?.+? FROM ")


def growth(small, large):
    """The statement shapes run more (or fewer) times in ``large`` than in ``small``, most
    repeated first (selected columns left out)."""
    before, after = small.shapes(), large.shapes()
    lines = []
    for shape in sorted(set(before) | set(after), key=lambda s: before[s] - after[s]):
        if before[shape] != after[shape]:
            short = _COLUMNS.sub(r"SELECT \1… FROM ", shape)
            lines.append(f"  {before[shape]:>4} → {after[shape]:<4} {short}")
    return "\n".join(lines)


def assert_same_queries(label, visitor, small, large, *, allowance=0):
    """Fail, naming the statements that repeat, when ``large`` costs more queries than
    ``small`` (plus ``allowance``, for a difference the test explains)."""
    note = f" (allowed difference {allowance:+d})" if allowance else ""
    print(f"QUERIES {label} [{visitor}]: small={small.count} large={large.count}{note}")
    assert large.count == small.count + allowance, (
        f"{label} [{visitor}]: {small.count} queries for {small.url} (small) but "
        f"{large.count} for {large.url} (large){note}. Statements whose count changed:\n"
        f"{growth(small, large)}"
    )


def assert_each_same_queries(visitor, comparisons):
    """:func:`assert_same_queries` for each ``(label, small, large)``; one failure lists all."""
    failures = []
    for label, small, large in comparisons:
        try:
            assert_same_queries(label, visitor, small, large)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


# --- Pages ---------------------------------------------------------------------------------


def publish(parent, page):
    """Add ``page`` under ``parent`` and publish a revision, as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def block_id(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "hadaf-query-counts:" + ":".join(map(str, parts))))


def call_dates(index, now=None):
    """Dates putting call number ``index`` in turn open, upcoming, closed, outcome published."""
    now = now or timezone.now()
    day = datetime.timedelta(days=1)
    state = index % 4
    if state == 0:
        return {"opens_at": now - day, "closes_at": now + 7 * day}
    if state == 1:
        return {"opens_at": now + 3 * day, "closes_at": now + 10 * day}
    closed = {"opens_at": now - 20 * day, "closes_at": now - 5 * day}
    if state == 2:
        return closed
    return {**closed, "outcome": "<p>پیشنهادها اعمال شد.</p>", "outcome_published_at": now - day}


def draft_text(clauses, key="draft"):
    """``clauses`` legal-text blocks: an article every six blocks, the rest clauses and notes."""
    blocks = []
    for index in range(clauses):
        this_id = block_id(key, index)
        if index % 6 == 0:
            value = {"title": "", "text": f"ماده {index}"}
            blocks.append({"type": "article", "id": this_id, "value": value})
        else:
            kind = "note" if index % 6 == 5 else "clause"
            blocks.append({"type": kind, "id": this_id, "value": {"text": f"متن بند {index}"}})
    return blocks


def add_calls(index_page, count, *, start=0, questions=3, clauses=6, word="فراخوان"):
    """``count`` calls under ``index_page``, alternating surveys and drafts (even and odd
    ``start``) and cycling through the four states (a quarter have a published outcome)."""
    calls = []
    for number in range(start, start + count):
        fields = {
            "title": f"{word} شمارهٔ {number}",
            "slug": f"call-{number}",
            "search_description": f"خلاصهٔ فراخوان {number}",
            **call_dates(number),
        }
        if number % 2 == 0:
            page = SurveyCampaignPage(questions=question_blocks(questions, key=number), **fields)
        else:
            page = RegulationDraftPage(draft_text=draft_text(clauses, key=number), **fields)
        calls.append(publish(index_page, page))
    return calls


def add_news(index_page, count, *, start=0, images=True, word="خبر"):
    """``count`` news pages under ``index_page``, each with its own image."""
    items = []
    for number in range(start, start + count):
        image = (
            ImageFactory(title=f"تصویر {number}", file=get_test_image_file()) if images else None
        )
        page = NewsPage(
            title=f"{word} شمارهٔ {number}",
            slug=f"news-{number}",
            intro=f"<p>خلاصهٔ خبر {number}</p>",
            published_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            image=image,
        )
        items.append(publish(index_page, page))
    return items


def add_standard_pages(parent, count, *, start=0, word="آیین‌نامه", in_menu=True):
    """``count`` standard pages under ``parent`` whose title contains ``word``."""
    return [
        publish(
            parent,
            StandardPage(
                title=f"{word} شمارهٔ {number}",
                slug=f"standard-{number}",
                intro=f"<p>متن صفحهٔ {number}</p>",
                show_in_menus=in_menu,
            ),
        )
        for number in range(start, start + count)
    ]


def add_images(count):
    return [ImageFactory(title=f"عکس {n}", file=get_test_image_file()) for n in range(count)]


def add_documents(count, start=0):
    Document = get_document_model()
    return [
        Document.objects.create(
            title=f"سند {number}", file=ContentFile(b"x" * 512, name=f"doc-{number}.pdf")
        )
        for number in range(start, start + count)
    ]


def body_blocks(count, *, images, documents, pages):
    """``count`` body blocks cycling through text, image, downloads and call-to-action blocks,
    each image, document and page used by one block."""
    blocks = []
    images, documents, pages = list(images), list(documents), list(pages)
    for number in range(count):
        kind = number % 5
        if kind == 0:
            value = {"text": f"بخش {number}", "level": "h2"}
            blocks.append({"type": "heading", "value": value})
        elif kind == 1 and images:
            image = images.pop()
            value = {"image": image.pk, "alt_text": f"تصویر {number}", "caption": "زیرنویس"}
            blocks.append({"type": "image", "value": value})
        elif kind == 2 and documents:
            value = {
                "heading": "پرونده‌ها",
                "documents": [{"document": documents.pop().pk, "description": "شرح"}],
            }
            blocks.append({"type": "downloads", "value": value})
        elif kind == 3 and pages:
            value = {"title": "ببینید", "button_label": "رفتن", "page": pages.pop().pk, "url": ""}
            blocks.append({"type": "call_to_action", "value": value})
        else:
            blocks.append({"type": "paragraph", "value": f"<p>بند {number} از متن صفحه</p>"})
    for number, block in enumerate(blocks):
        block["id"] = block_id("body", count, number)
    return blocks


# --- Questions and responses ---------------------------------------------------------------


def _items(key, labels):
    return [
        {"type": "item", "value": {"label": label}, "id": block_id(key, label)} for label in labels
    ]


QUESTION_TYPES = [
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.MATRIX,
    QuestionType.LIKERT,
    QuestionType.RATING,
    QuestionType.NUMBER,
    QuestionType.RANKING,
    QuestionType.SHORT_TEXT,
    QuestionType.LONG_TEXT,
    QuestionType.DATE,
    QuestionType.CONSENT,
]


def question_blocks(count, *, key="survey", matrix_rows=2):
    """Raw question blocks: ``count`` questions cycling through every type (matrices with
    ``matrix_rows`` statements); the fourth and later ones include a conditional question."""
    blocks = []
    for number in range(count):
        kind = QUESTION_TYPES[number % len(QUESTION_TYPES)]
        qkey = f"{key}-{number}"
        value = {
            "label": f"پرسش {number}",
            "help_text": "",
            "required": kind not in {QuestionType.SHORT_TEXT, QuestionType.DATE},
            "code": f"q{number}",
            "show_if": {"question_code": "", "answer_in": ""},
        }
        if number == 3:  # Shown only when question 0's answer is the first choice.
            value["show_if"] = {"question_code": "q0", "answer_in": "گزینهٔ ۱"}
            value["required"] = False
        if kind == QuestionType.SINGLE_CHOICE:
            value["choices"] = _items(qkey, ["گزینهٔ ۱", "گزینهٔ ۲", "گزینهٔ ۳"])
            value["display"] = "select" if number % 2 else "radio"
        elif kind in {QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING}:
            value["choices"] = _items(qkey, ["تئاتر", "موسیقی", "کتاب"])
        elif kind == QuestionType.MATRIX:
            value.update(points="5", scale_labels=[], reverse_coded=False)
            value["rows"] = _items(qkey, [f"گزاره {row}" for row in range(matrix_rows)])
        elif kind == QuestionType.LIKERT:
            value.update(points="5", scale_labels=[], reverse_coded=number % 2 == 0)
        elif kind == QuestionType.RATING:
            value.update(low_label="کم", high_label="زیاد")
        elif kind == QuestionType.NUMBER:
            value.update(min_value=0, max_value=80, whole_numbers=False)
        elif kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
            value["max_length"] = 200
        blocks.append({"type": kind, "value": value, "id": block_id(qkey)})
    return blocks


def add_survey(parent, slug, *, questions, matrix_rows=2, **fields):
    """An open, published survey whose results are public."""
    now = timezone.now()
    values = {
        "title": f"نظرسنجی {slug}",
        "opens_at": now - datetime.timedelta(days=3),
        "closes_at": now + datetime.timedelta(days=30),
        "results_visibility": ResultsVisibility.WHEN_PUBLISHED,
        "results_published": True,
        "questions": question_blocks(questions, key=slug, matrix_rows=matrix_rows),
        **fields,
    }
    return publish(parent, SurveyCampaignPage(slug=slug, **values))


def answer_rows(questionnaire, number):
    """Valid, varied answers to every question of ``questionnaire`` (response ``number``)."""
    rows = []
    for question in questionnaire.questions:
        qid, kind = question.id, question.type
        if kind == QuestionType.SINGLE_CHOICE:
            rows.append(Answer(question_id=qid, choice_id=question.choices[number % 3].id))
        elif kind == QuestionType.MULTIPLE_CHOICE:
            chosen = question.choices[: 1 + number % 3]
            rows += [Answer(question_id=qid, choice_id=choice.id) for choice in chosen]
        elif kind == QuestionType.RANKING:
            order = question.choices[number % 3 :] + question.choices[: number % 3]
            rows += [
                Answer(question_id=qid, choice_id=choice.id, number=rank)
                for rank, choice in enumerate(order, start=1)
            ]
        elif kind == QuestionType.MATRIX:
            rows += [
                Answer(question_id=qid, row_id=row.id, number=1 + (number + index) % 5)
                for index, row in enumerate(question.rows)
            ]
        elif kind == QuestionType.LIKERT:
            rows.append(Answer(question_id=qid, number=1 + number % 5))
        elif kind == QuestionType.RATING:
            rows.append(Answer(question_id=qid, number=number % 11))
        elif kind == QuestionType.NUMBER:
            rows.append(Answer(question_id=qid, number=number % 40 + 0.5))
        elif kind in {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}:
            rows.append(Answer(question_id=qid, text=f"پاسخ {number}"))
        elif kind == QuestionType.DATE:
            day = datetime.date(2025, 9, 1) + datetime.timedelta(days=number % 20)
            rows.append(Answer(question_id=qid, date=day))
        elif kind == QuestionType.CONSENT:
            rows.append(Answer(question_id=qid, number=1))
    return rows


ROLES = ("student", "faculty", "staff")
UNIVERSITIES = ("دانشگاه تهران", "دانشگاه شیراز", "")


def add_responses(page, count, *, start=0):
    """``count`` responses to ``page`` from new participants of every role and a few
    universities, stored through the submission service (so tallies follow)."""
    User = get_user_model()
    people = User.objects.bulk_create(
        User(
            email=f"respondent-{page.pk}-{number}@university.test",
            first_name="پاسخ‌دهنده",
            last_name=str(number),
            role=ROLES[number % len(ROLES)],
        )
        for number in range(start, start + count)
    )
    questionnaire = read_questions(page.questions)
    universities = [university_named(name) for name in UNIVERSITIES]
    for number, person in enumerate(people, start=start):
        person.university = universities[number % len(universities)]
        submit_response(
            page, person, answer_rows(questionnaire, number), questionnaire, language="fa"
        )
