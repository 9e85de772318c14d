"""Paste-to-structure: the plain text of a bylaw as chapter, article, clause and note blocks.

An editor pastes a regulation copied from Word, a PDF or a web page; :func:`parse_legal_text`
reads it line by line and returns raw StreamField data for ``LegalTextBlock``, so nobody
retypes it. The rules are deliberately few, so that the result is predictable.

Cleaning
--------
Every line is cleaned before it is read, and the cleaned line is what the blocks keep:
bidi marks and embeddings (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), zero-width
spaces, byte order marks and control characters are removed; Arabic presentation forms (PDFs)
become letters; Arabic ``ي``/``ى``/``ك`` become ``ی``/``ک`` and Arabic-Indic digits become Persian;
kashida (tatweel between two letters, «مـاده») is removed; tabs and runs of spaces become one
space and the ends are trimmed. Any line ending is accepted; blank lines are dropped.

Headings
--------
A line is a heading when it starts with one of these, followed by a *separator* (one or more
of ``- ـ – — : ) .``, with or without spaces) or, where said, by nothing:

* chapter: ``فصل`` or ``بخش`` and a number in digits or an ordinal word (``اول``, ``دوم``,
  ``بیست و یکم``). The rest of the line, after a separator or a space, is the title
  («فصل اول - کلیات», «فصل ۱: کلیات», «فصل دوم کلیات»); when the line has no title, the next
  line that is not a heading is the title.
* article: ``ماده`` (also «مادّه», «مادة») and a number in digits or a word (``۱``, ``یک``,
  ``اول``, ``واحده``), then a separator or the end of the line. **The rest of the line is the
  article's text**, however short and even when it ends with «:»; a title is never guessed
  (the editor may add one). The text may also start on the next line.
* note: ``تبصره``, optionally a number or number word, then a separator or the end of the line.
* clause: a single Persian letter or «الف» («الف -», «ب)», «(پ)», «هـ -»), or a number of up to
  three digits («۱-», «۲)»), then a separator; or ``بند`` and a letter, number or number word,
  then a separator or the end of the line («بند الف -», «بند ۱ -»).

A separator directly followed by a digit is not one («۱.۵ درصد», «۱-۲ نفر»), and a full stop
must be followed by a space or the end of the line («ج.ا.ا»). Requiring a separator keeps body
lines that cite «ماده ۵ قانون…» or start «تبصره این ماده…» from being read as headings.

Everything else
---------------
Any other line continues the block above it, after a newline (a chapter's title, after a
space). Lines before the first chapter or article, whatever they look like, are the
``preamble`` (usually the bylaw's title and its enabling clause); they are not blocks.

A clause line in the other style from the article's clauses (a numbered «۱-» under lettered
clauses, or the reverse) right after a clause or note is a sub-item of that clause or note and
continues its text, since the stream has no deeper level. Likewise, clause lines right after a
note of an article that has no clauses yet are the note's items.

Numbers typed in the source are not kept: the structure numbers itself by order (see
``outline``). Each heading whose number does not follow the previous one (a skip or a repeat)
gets a warning naming its line. Clause letters may follow the Persian alphabet (الف، ب، پ، ت)
or the abjad order of older laws (الف، ب، ج، د).
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from persiantools import digits

from participation import bidi
from participation.forms import normalize_text
from participation.persian import ZWNJ, localize_digits, to_latin_digits

from .outline import ARTICLE, CHAPTER, CLAUSE, NOTE, PERSIAN_CLAUSE_LETTERS, chapter_ordinal

# The chapter title's limit in ``blocks.ChapterBlock``.
CHAPTER_TITLE_MAX_LENGTH = 250
ABJAD_CLAUSE_LETTERS = [
    "الف",
    "ب",
    "ج",
    "د",
    "ه",
    "و",
    "ز",
    "ح",
    "ط",
    "ی",
    "ک",
    "ل",
    "م",
    "ن",
    "س",
    "ع",
    "ف",
    "ص",
    "ق",
    "ر",
    "ش",
    "ت",
    "ث",
    "خ",
    "ذ",
    "ض",
    "ظ",
    "غ",
]
LETTER_ORDERS = (PERSIAN_CLAUSE_LETTERS, ABJAD_CLAUSE_LETTERS)
SNIPPET_LENGTH = 50

# --- Cleaning -------------------------------------------------------------------------------

_REMOVED = str.maketrans(
    dict.fromkeys(
        [
            *range(0x00, 0x09),
            *range(0x0E, 0x20),
            *range(0x7F, 0xA0),
            0x00AD,  # soft hyphen
            0x200B,  # zero-width space
            0x2060,  # word joiner
            0xFEFF,  # byte order mark
            *map(ord, bidi.CONTROLS),  # pasted text: marks, embeddings, overrides, isolates
        ]
    )
)
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")
_KASHIDA = re.compile(r"(?<=[^\W\d_])\u0640+(?=[^\W\d_])")
_SPACES = re.compile("[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_SPACE_AND_ZWNJ = re.compile(f"[ {ZWNJ}]* [ {ZWNJ}]*")
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")

# --- Headings -------------------------------------------------------------------------------

_DIGIT = "[0-9۰-۹]"
_LETTER = "[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]"
_MARKS = "[\u064b-\u065f\u0670]*"
_GAP = f"[\\s{ZWNJ}]*"
_SEPARATOR = "[-\u0640\u2010-\u2015\u2212:).]"
_WORD = f"{_LETTER}(?:{_LETTER}|{ZWNJ})*"
_NUMBER = (
    f"(?P<digits>{_DIGIT}{{1,6}})(?!{_DIGIT})"
    f"|(?P<word>{_WORD}(?:\\s+و\\s+{_WORD}|\\s+ام(?!{_LETTER}))*)"
)
_SINGLE_LETTERS = "".join(letter for letter in PERSIAN_CLAUSE_LETTERS if len(letter) == 1)


def _keyword(*words):
    """A regex for heading words, tolerating diacritics such as the shadda of «مادّه»."""
    spelled = ("".join(re.escape(char) + _MARKS for char in word) for word in words)
    return f"(?:{'|'.join(spelled)})(?!{_LETTER})"


_CHAPTER_RE = re.compile(f"^(?P<keyword>{_keyword('فصل', 'بخش')}){_GAP}(?:{_NUMBER})(?P<tail>.*)$")
_ARTICLE_RE = re.compile(f"^{_keyword('ماده', 'مادة')}{_GAP}(?:{_NUMBER})(?P<tail>.*)$")
_NOTE_RE = re.compile(f"^{_keyword('تبصره', 'تبصرة')}(?:{_GAP}(?:{_NUMBER}))?(?P<tail>.*)$")
_CLAUSE_RE = re.compile(
    f"^\\(?{_GAP}(?:(?P<band>{_keyword('بند')}){_GAP})?"
    f"(?:(?P<letter>الف|[{_SINGLE_LETTERS}])(?!{_LETTER})"
    f"|(?P<digits>{_DIGIT}{{1,3}})(?!{_DIGIT})"
    f"|(?P<word>{_WORD}(?:\\s+و\\s+{_WORD}|\\s+ام(?!{_LETTER}))*))"
    "(?P<tail>.*)$"
)
_SEPARATORS_RE = re.compile(f"(?:{_GAP}{_SEPARATOR})+")
_STARTS_WITH_DIGIT = re.compile(_DIGIT)


@dataclass
class ParsedText:
    """A pasted text read as blocks.

    Attributes:
        blocks: Raw StreamField data for ``LegalTextBlock``, in reading order: dicts of
            ``type`` (chapter, article, clause or note), ``value`` and a new uuid4 ``id``.
        warnings: Translated messages about lines the editor should check.
        preamble: The lines before the first chapter or article (the bylaw's title and
            preamble), joined with newlines; not part of ``blocks``.
    """

    blocks: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    preamble: str = ""


@dataclass
class Heading:
    """What a heading line says: its kind, the number or letter typed, the text after it."""

    kind: str
    rest: str
    number: int | None = None
    letter: str = ""
    keyword: str = ""


def parse_legal_text(text: str) -> ParsedText:
    """Read the plain text of a bylaw as chapter, article, clause and note blocks.

    See the module docstring for the rules.

    Args:
        text: The pasted text; any line endings, Arabic or Persian letters and digits.

    Returns:
        ParsedText: The blocks, the warnings and the preamble.

    Raises:
        ValidationError: When the text is empty or has no article.
    """
    lines = [(number, clean_line(line)) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise ValidationError(_("The text is empty: paste the text of the regulation."), "empty")
    reader = _Reader()
    for number, line in lines:
        reader.read(number, line)
    if not any(block["type"] == ARTICLE for block in reader.blocks):
        raise ValidationError(
            _(
                "The text has no article (a line starting with «ماده» and its number, such "
                "as «ماده ۱ -»)."
            ),
            "no_article",
        )
    return reader.result()


def clean_line(line: str) -> str:
    """One line as the blocks keep it: see "Cleaning" in the module docstring."""
    line = line.translate(_REMOVED)
    line = _PRESENTATION_FORMS.sub(lambda match: unicodedata.normalize("NFKC", match[0]), line)
    line = digits.ar_to_fa(normalize_text(line))
    line = _KASHIDA.sub("", line)
    line = _SPACES.sub(" ", line)
    line = _ZWNJ_RUN.sub(ZWNJ, line)
    line = _SPACE_AND_ZWNJ.sub(" ", line)
    return line.strip(f" {ZWNJ}")


def read_heading(line: str) -> Heading | None:
    """The heading a cleaned line starts with, or ``None`` for a line of text."""
    match = _ARTICLE_RE.match(line)
    if match:
        number = _number(match, ordinal=True, cardinal=True)
        rest = _after_separator(match["tail"], end_ok=True)
        if number is not None and rest is not None:
            return Heading(ARTICLE, rest, number)
    match = _CHAPTER_RE.match(line)
    if match:
        number = _number(match, ordinal=True, cardinal=False)
        rest = _after_separator(match["tail"], end_ok=True, title_ok=True)
        if number is not None and rest is not None:
            return Heading(CHAPTER, rest, number, keyword=match["keyword"][0])
    match = _NOTE_RE.match(line)
    if match:
        number = _number(match, ordinal=True, cardinal=True)
        rest = _after_separator(match["tail"], end_ok=True)
        if rest is not None and (number is not None or not (match["digits"] or match["word"])):
            return Heading(NOTE, rest, number)
    match = _CLAUSE_RE.match(line)
    if match and (match["band"] or not match["word"]):
        rest = _after_separator(match["tail"], end_ok=bool(match["band"]))
        number = None if match["letter"] else _number(match, ordinal=True, cardinal=True)
        if rest is not None and (match["letter"] or number is not None):
            return Heading(CLAUSE, rest, number, letter=match["letter"] or "")
    return None


def _after_separator(tail, *, end_ok, title_ok=False):
    """The text after a heading's separator; ``None`` if ``tail`` does not start with one."""
    separator = _SEPARATORS_RE.match(tail)
    if separator is None:
        rest = tail.strip(f" {ZWNJ}")
        if not rest:
            return "" if end_ok else None
        return rest if title_ok and tail[0] in f" {ZWNJ}" else None
    rest = tail[separator.end() :]
    if _STARTS_WITH_DIGIT.match(rest):
        return None
    if separator[0].endswith(".") and rest and rest[0] not in f" {ZWNJ}":
        return None
    return rest.strip(f" {ZWNJ}")


def _number(match, *, ordinal, cardinal):
    """The number a heading's ``digits`` or ``word`` group spells, or ``None``."""
    if match["digits"]:
        return int(to_latin_digits(match["digits"]))
    if not match["word"]:
        return None
    cardinals, ordinals = _number_words()
    key = _word_key(match["word"])
    if ordinal and key in ordinals:
        return ordinals[key]
    if cardinal and key in cardinals:
        return cardinals[key]
    return None


def _word_key(word):
    return re.sub(f"[\\s{ZWNJ}]+", "", word)


@cache
def _number_words():
    """Cardinal and ordinal number words (without spaces or ZWNJ) to their numbers."""
    cardinals, ordinals = {"واحده": 1}, {"یکم": 1, "نخست": 1}
    with translation.override("fa"):
        for number in range(1, 201):
            for words, spelled in (
                (cardinals, digits.to_word(number)),
                (ordinals, chapter_ordinal(number)),
            ):
                words[_word_key(spelled)] = number
                if spelled.startswith("یکصد"):  # also written «صد و ده»
                    words[_word_key(spelled.removeprefix("یک"))] = number
    return cardinals, ordinals


def _snippet(line):
    if len(line) <= SNIPPET_LENGTH:
        return line
    return line[: SNIPPET_LENGTH - 1] + "…"


class _Reader:
    """The state of reading a text: the blocks so far and where a line belongs."""

    def __init__(self):
        self.blocks = []
        self.warnings = []
        self.preamble = []
        self.lines_of_blocks = []
        self.current = None
        # Source numbers of the last heading of each kind, to warn about skips and repeats.
        self.previous_numbers = {}
        self.leave_article()

    def read(self, number, line):
        """Add one cleaned, non-empty line."""
        heading = read_heading(line)
        if heading is None or (self.current is None and heading.kind in (CLAUSE, NOTE)):
            self.continue_block(line)
        elif heading.kind == CHAPTER:
            self.start_chapter(heading, number, line)
        elif heading.kind == ARTICLE:
            self.start_article(heading, number, line)
        elif self.is_sub_item(heading):
            self.continue_block(line)
        elif heading.kind == CLAUSE:
            self.start_clause(heading, number, line)
        else:
            self.start_note(heading, number, line)

    def result(self):
        """The parsed text, with warnings about blocks left without required text."""
        for block, number, line in self.lines_of_blocks:
            value = block["value"]
            if block["type"] == CHAPTER and not value["title"]:
                self.warn(
                    _("Line %(line)s («%(heading)s»): the chapter has no title."), number, line
                )
            elif block["type"] == CHAPTER and len(value["title"]) > CHAPTER_TITLE_MAX_LENGTH:
                self.warn(
                    _(
                        "Line %(line)s («%(heading)s»): the chapter title is longer than "
                        "%(max)s characters; shorten it."
                    ),
                    number,
                    line,
                    max=localize_digits(CHAPTER_TITLE_MAX_LENGTH),
                )
            elif block["type"] in (CLAUSE, NOTE) and not value["text"]:
                self.warn(_("Line %(line)s («%(heading)s»): it has no text."), number, line)
        return ParsedText(
            blocks=self.blocks, warnings=self.warnings, preamble="\n".join(self.preamble)
        )

    def warn(self, message, number, line, **params):
        self.warnings.append(
            message % {"line": localize_digits(number), "heading": _snippet(line), **params}
        )

    def add_block(self, kind, value, number, line):
        block = {"type": kind, "value": value, "id": str(uuid.uuid4())}
        self.blocks.append(block)
        self.lines_of_blocks.append((block, number, line))
        self.current = block
        return block

    def continue_block(self, line):
        """Append a line of text to the block being read (or to the preamble)."""
        if self.current is None:
            self.preamble.append(line)
            return
        value = self.current["value"]
        if self.current["type"] == CHAPTER:
            value["title"] = f"{value['title']} {line}".strip()
        else:
            value["text"] = f"{value['text']}\n{line}".strip()

    def is_sub_item(self, heading):
        """Whether a clause line is an item of the clause or note above it (see module doc)."""
        if heading.kind != CLAUSE or self.article is None:
            return False
        if self.current["type"] not in (CLAUSE, NOTE):
            return False
        style = "letter" if heading.letter else "number"
        if self.clause_style:
            return style != self.clause_style
        return self.current["type"] == NOTE

    def start_chapter(self, heading, number, line):
        self.check_number(("chapter", heading.keyword), heading.number, number, line)
        self.leave_article()
        self.add_block(CHAPTER, {"title": heading.rest}, number, line)

    def start_article(self, heading, number, line):
        self.check_number(ARTICLE, heading.number, number, line)
        self.leave_article()
        self.article = self.add_block(ARTICLE, {"title": "", "text": heading.rest}, number, line)

    def leave_article(self):
        """Forget the article's clause style and numbering: clauses and notes restart."""
        self.article = None
        self.previous_numbers.pop(CLAUSE, None)
        self.previous_numbers.pop(NOTE, None)
        self.clause_style = self.previous_letter = ""
        self.letter_orders = list(LETTER_ORDERS)

    def start_clause(self, heading, number, line):
        if self.article is None:
            self.warn(
                _("Line %(line)s («%(heading)s»): a clause outside any article."), number, line
            )
        if heading.letter:
            self.clause_style = self.clause_style or "letter"
            self.check_letter(heading.letter, number, line)
        else:
            self.clause_style = self.clause_style or "number"
            self.check_number(CLAUSE, heading.number, number, line)
        self.add_block(CLAUSE, {"text": heading.rest}, number, line)

    def start_note(self, heading, number, line):
        if self.article is None:
            self.warn(_("Line %(line)s («%(heading)s»): a note outside any article."), number, line)
        if heading.number is not None:
            self.check_number(NOTE, heading.number, number, line)
        self.add_block(NOTE, {"text": heading.rest}, number, line)

    def check_number(self, key, found, number, line):
        """Warn when a heading's number does not follow the previous one of its kind."""
        expected = self.previous_numbers.get(key, 0) + 1
        self.previous_numbers[key] = found
        if found != expected:
            self.warn_order(localize_digits(found), localize_digits(expected), number, line)

    def check_letter(self, letter, number, line):
        """Warn when a clause letter does not follow the previous one, in either order."""
        previous = self.previous_letter
        self.previous_letter = letter
        orders = [order for order in self.letter_orders if _next_letter(order, previous) == letter]
        if orders:
            self.letter_orders = orders
            return
        expected = _next_letter(self.letter_orders[0], previous)
        self.letter_orders = list(LETTER_ORDERS)
        if expected:
            self.warn_order(letter, expected, number, line)

    def warn_order(self, found, expected, number, line):
        self.warn(
            _(
                "Line %(line)s («%(heading)s»): numbered %(found)s where %(expected)s was "
                "expected. Numbers follow from the order of the text, so check that nothing "
                "is missing or repeated."
            ),
            number,
            line,
            found=found,
            expected=expected,
        )


def _next_letter(order, previous):
    if not previous:
        return order[0]
    if previous not in order or previous == order[-1]:
        return ""
    return order[order.index(previous) + 1]
