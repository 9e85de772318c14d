"""Numbering and reading a draft's text: the flat block stream as labelled provisions.

"Provision" is any block of the text; articles, clauses and notes are the ones
people comment on and editors decide ("clauses" in the broad sense the pages use).

Numbering follows Iranian drafting practice: chapters by ordinal word (فصل اول),
articles numbered through the whole text (ماده ۱۲), clauses lettered within their
article (بند الف، ب، پ…), notes numbered within their article (تبصره ۱، ۲), and a
lone note is just «تبصره».
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from persiantools import digits

from participation.persian import is_persian, localize_digits

CHAPTER, ARTICLE, CLAUSE, NOTE = "chapter", "article", "clause", "note"
COMMENTABLE_KINDS = (ARTICLE, CLAUSE, NOTE)

PERSIAN_CLAUSE_LETTERS = [
    "الف",
    "ب",
    "پ",
    "ت",
    "ث",
    "ج",
    "چ",
    "ح",
    "خ",
    "د",
    "ذ",
    "ر",
    "ز",
    "ژ",
    "س",
    "ش",
    "ص",
    "ض",
    "ط",
    "ظ",
    "ع",
    "غ",
    "ف",
    "ق",
    "ک",
    "گ",
    "ل",
    "م",
    "ن",
    "و",
    "ه",
    "ی",
]
LATIN_CLAUSE_LETTERS = "abcdefghijklmnopqrstuvwxyz"
PERSIAN_ORDINAL_EXCEPTIONS = {1: "اول", 3: "سوم"}


@dataclass
class Provision:
    """One block of the text with its number and label."""

    id: str
    kind: str
    number: int
    title: str = ""
    text: str = ""
    # The article a clause or note belongs to (an article's is its own id).
    article_id: str = ""
    chapter_id: str = ""
    # Set for notes: how many notes their article has (a lone note has no number).
    siblings: int = 1
    position: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def commentable(self):
        return self.kind in COMMENTABLE_KINDS

    @cached_property
    def label(self):
        """«ماده ۳», «بند ب», «تبصره ۲», «فصل دوم» in the language active when first read."""
        return provision_label(self.kind, self.number, self.siblings)


def chapter_ordinal(number):
    """«اول», «دوم», «سی‌ام» in Persian; the digit otherwise."""
    if not is_persian():
        return str(number)
    if number in PERSIAN_ORDINAL_EXCEPTIONS:
        return PERSIAN_ORDINAL_EXCEPTIONS[number]
    word = digits.to_word(number)
    if word.endswith("سه"):
        return word[:-2] + "سوم"
    return word + ("\u200cام" if word.endswith("ی") else "م")


def clause_letter(number):
    """The letter of the ``number``-th clause (1-based): «الف», «ب»… or a, b…"""
    letters = PERSIAN_CLAUSE_LETTERS if is_persian() else LATIN_CLAUSE_LETTERS
    if number <= len(letters):
        return letters[number - 1]
    return localize_digits(number)


def provision_label(kind, number, siblings=1):
    if kind == CHAPTER:
        return _("Chapter %(ordinal)s") % {"ordinal": chapter_ordinal(number)}
    if kind == ARTICLE:
        return _("Article %(number)s") % {"number": localize_digits(number)}
    if kind == CLAUSE:
        return _("Clause %(letter)s") % {"letter": clause_letter(number)}
    if siblings == 1:
        return _("Note")
    return _("Note %(number)s") % {"number": localize_digits(number)}


def full_label(provision, by_id):
    """«ماده ۳، تبصره ۲»: a clause's or note's label after its article's, read on its own
    (in lists and queues); an article's or chapter's label as it is.

    Args:
        provision: the :class:`Provision`.
        by_id: the text's provisions by id (to find the article).
    """
    article = by_id.get(provision.article_id) if provision.kind in (CLAUSE, NOTE) else None
    if article is None or article.id == provision.id:
        return provision.label
    return _("%(article)s, %(provision)s") % {
        "article": article.label,
        "provision": provision.label,
    }


def stream_items(stream_value):
    """(type, value, id) of each block of a StreamField value."""
    return [(child.block_type, child.value, child.id) for child in stream_value]


def raw_items(raw_data):
    """(type, value, id) of each block of a stored stream (a list of dicts)."""
    return [(item["type"], item.get("value") or {}, item.get("id") or "") for item in raw_data]


def build_outline(items):
    """Number the blocks of a text.

    Args:
        items: (block type, value mapping, block id) in reading order; see
            :func:`stream_items` and :func:`raw_items`.

    Returns:
        list[Provision]: every block, numbered; clauses and notes before the first
        article belong to no article.
    """
    provisions = []
    counters = {CHAPTER: 0, ARTICLE: 0, CLAUSE: 0, NOTE: 0}
    article_id = chapter_id = ""
    notes_of_article = {}
    for position, (kind, value, block_id) in enumerate(items):
        if kind not in counters:
            continue
        if kind == CHAPTER:
            counters[CHAPTER] += 1
            chapter_id = block_id
        elif kind == ARTICLE:
            counters[ARTICLE] += 1
            counters[CLAUSE] = counters[NOTE] = 0
            article_id = block_id
        else:
            counters[kind] += 1
        provision = Provision(
            id=block_id,
            kind=kind,
            number=counters[kind],
            title=(value.get("title") or "").strip(),
            text=(value.get("text") or "").strip(),
            article_id=article_id if kind != CHAPTER else "",
            chapter_id=chapter_id,
            position=position,
        )
        provisions.append(provision)
        if kind == NOTE:
            notes_of_article.setdefault(article_id, []).append(provision)
    for notes in notes_of_article.values():
        for note in notes:
            note.siblings = len(notes)
    return provisions


def outline_of(stream_value):
    """The numbered provisions of a page's text (a StreamField value)."""
    return build_outline(stream_items(stream_value))


def commentable(provisions):
    """Only the provisions people comment on (articles, clauses, notes), by id."""
    return {provision.id: provision for provision in provisions if provision.commentable}


def snapshot(stream_value):
    """The text as plain data to keep with a round: [{type, id, value}] in order."""
    return [
        {"type": child.block_type, "id": child.id, "value": dict(child.value)}
        for child in stream_value
        if child.block_type in (CHAPTER, ARTICLE, CLAUSE, NOTE)
    ]


def same_text(first, second):
    """Whether two provisions read the same (title and text, ignoring spacing)."""
    return " ".join(f"{first.title} {first.text}".split()) == " ".join(
        f"{second.title} {second.text}".split()
    )
