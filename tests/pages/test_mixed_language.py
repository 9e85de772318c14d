"""Words shown as they were written, in a page of the other language, carry their own
``lang`` and ``dir``: a Persian reason on the English dashboard reads right to left and is
read by a Persian voice."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from participation.drafts import services as drafts
from participation.persian import written_language
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import CLAUSE_A, add_draft, comment_on
from tests.people.factories import EditorFactory, UserFactory

REASON = "پیشنهاد با هدف آیین‌نامه سازگار بود و در متن دور دوم اعمال شد."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (REASON, "fa"),
        ("Accepted in round two", "en"),
        ("۱۴۰۵ — «پیش‌نویس»", "fa"),  # digits and punctuation say nothing; the letters do
        ("2026: Draft «پیش‌نویس»", "en"),
        ("۱۲۳ — 45", None),
        ("", None),
        (None, None),
    ],
)
def test_the_language_of_a_text_is_that_of_its_first_letter(text, language):
    assert written_language(text) == language


def render(language, source, **context):
    with translation.override(language):
        return Template("{% load persian %}" + source).render(Context(context))


def test_text_in_the_other_language_is_marked():
    source = "<p{{ text|lang_attrs }}>{{ text }}</p>"
    assert render("en", source, text=REASON) == f'<p lang="fa" dir="rtl">{REASON}</p>'
    assert render("fa", source, text="Accepted") == '<p lang="en" dir="ltr">Accepted</p>'
    # The page's own language needs nothing.
    assert render("fa", source, text=REASON) == f"<p>{REASON}</p>"
    assert render("en", source, text="Accepted") == "<p>Accepted</p>"


def test_inline_text_in_the_other_language_gets_a_span_and_stays_escaped():
    source = "{{ text|own_language }}"
    assert (
        render("en", source, text="دلیل <b>") == '<span lang="fa" dir="rtl">دلیل &lt;b&gt;</span>'
    )
    assert render("en", source, text="why <b>") == "why &lt;b&gt;"


@pytest.mark.django_db
def test_the_english_dashboard_marks_a_persian_reason(
    client, home_page, django_capture_on_commit_callbacks
):
    calls = CallIndexPageFactory(parent=home_page, slug="mixed-calls")
    draft = add_draft(calls, slug="mixed-draft")
    person = UserFactory(email="maryam@ut.ac.ir", first_name="مریم", last_name="احمدی")
    editor = EditorFactory()
    comment_on(draft, person, clause_id=CLAUSE_A)
    drafts.record_decision(
        draft, editor, round_number=1, clause_id=CLAUSE_A, outcome="accepted", reason=REASON
    )
    with django_capture_on_commit_callbacks(execute=True):
        drafts.start_new_round(draft, editor)
    client.force_login(person)

    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en"
    [reason] = [span for span in soup.select(".dashboard-card__reason span") if REASON in span.text]
    assert (reason["lang"], reason["dir"]) == ("fa", "rtl")
    # The call has no English translation: its Persian title is marked too, and so is the
    # person's name in the English sentence.
    [call] = soup.select(".dashboard-card__call")
    assert (call["lang"], call["dir"]) == ("fa", "rtl")
    name = soup.select_one(".dashboard__lead span")
    assert name.text == "مریم احمدی" and name["lang"] == "fa"
    # The English words around them are not marked.
    assert not soup.select_one(".dashboard-card__reason").has_attr("lang")
