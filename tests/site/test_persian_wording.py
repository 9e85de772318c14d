"""Persian pages say numbers in Persian digits and use one formal vocabulary: «گذرواژه» for
password, «به‌روزرسانی», one name for workflow («گردش کار»)."""

import glob
import re

import polib
import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests.helpers import PROJECT_ROOT
from tests.helpers.results import make_survey, respond_many

LATIN_DIGIT = re.compile(r"[0-9]")
# «رمز عبور» besides «گذرواژه»; «وارد کنی», «کرده‌ای», «-ات»: the informal second person.
INFORMAL_OR_MIXED = re.compile(r"رمز عبور|وارد کنی\b|کرده‌ای|\u200cات\b|گذرواژه‌ات")


def text_of(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_password_rules_use_persian_digits_and_one_word():
    with translation.override("fa"):
        rules = password_validators_help_texts()
    assert any("۸" in rule for rule in rules), rules
    assert not [rule for rule in rules if LATIN_DIGIT.search(rule)]
    assert not [rule for rule in rules if INFORMAL_OR_MIXED.search(rule)]


@pytest.mark.django_db
def test_the_sign_up_page_is_formal_consistent_and_in_persian_digits(client):
    response = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "گذرواژه" in text
    assert INFORMAL_OR_MIXED.findall(text) == []
    assert "حداقل از 8" not in text and "۸" in text


@pytest.mark.django_db
def test_a_short_password_is_refused_in_persian_digits(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@ut.ac.ir", "password1": "kq7", "password2": "kq7"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    text = text_of(response.content.decode())
    assert "۸" in text and "گذرواژه" in text
    assert "رمز عبور" not in text


@pytest.mark.parametrize(
    ("msgid", "context", "expected"),
    [
        ("Updated", None, "به‌روزرسانی شده"),
        ("Give your workflow a name", None, "برای گردش کار خود نامی بگذارید"),
        ("Task", None, "مرحله"),
    ],
)
def test_the_admin_vocabulary_is_consistent(msgid, context, expected):
    with translation.override("fa"):
        text = pgettext(context, msgid) if context else gettext(msgid)
    assert text == expected


def wagtail_msgids():
    """Every msgid whose Wagtail Persian translation used the words we replaced."""
    found = set()
    pattern = re.compile("بروزرسانی|رویه کاری|رویه‌ی کاری|دستورالعمل")
    venv = PROJECT_ROOT / ".venv"
    for path in glob.glob(
        str(venv / "lib/python*/site-packages/wagtail/**/fa/LC_MESSAGES/django.po"), recursive=True
    ):
        for entry in polib.pofile(path):
            texts = [entry.msgstr, *(entry.msgstr_plural or {}).values()]
            if any(pattern.search(text) for text in texts) and not entry.msgid_plural:
                found.add((entry.msgctxt, entry.msgid))
    return sorted(found, key=str)


def test_no_admin_text_says_workflow_three_ways_or_misspells_update():
    msgids = wagtail_msgids()
    assert msgids, "Wagtail's Persian catalogue was not found"
    with translation.override("fa"):
        translated = {
            msgid: pgettext(context, msgid) if context else gettext(msgid)
            for context, msgid in msgids
        }
    bad = {
        msgid: text
        for msgid, text in translated.items()
        if re.search("بروزرسانی|رویه کاری|دستورالعمل", text)
    }
    assert bad == {}


@pytest.mark.django_db
def test_rating_rows_on_the_results_page_are_in_persian_digits(client, results_index):
    page = make_survey(results_index)
    respond_many(page, 60)
    html = client.get(page.url + "results/").content.decode()
    rows = re.findall(r'<th scope="row">([^<]*)</th>', html)
    assert "۵" in rows
    assert not [row for row in rows if LATIN_DIGIT.fullmatch(row.strip())]


def test_admin_listing_counts_are_in_persian_digits():
    from django.template.loader import get_template

    template = get_template("wagtailadmin/pages/listing/_page_title_column_header.html")
    context = {
        "column": type("Column", (), {"label": "عنوان", "classname": ""})(),
        "start_index": 1,
        "end_index": 2,
        "items_count": 2,
        "model_name": "صفحه",
    }
    with translation.override("fa"):
        html = template.render(context)
    assert "۱ تا ۲ از ۲ صفحه" in " ".join(html.split())
    assert not LATIN_DIGIT.search(text_of(html))
