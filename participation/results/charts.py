"""Data for server-rendered, accessible bar charts (no JavaScript, nothing from a CDN).

A chart is a list of bars, each drawn as a CSS bar whose ``inline-size`` is its share, so
it grows from the inline start (the right in Persian, the left in English), plus the same
numbers as a data table. Numbers are written here, in the active language's digits,
because a percentage sign and a decimal separator are part of the text, not of the markup.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

from participation import persian


def number_text(value, decimals=1, language=None):
    """``value`` with at most ``decimals`` decimals and grouped thousands: "۳٫۴", "۱۲٬۰۰۰"."""
    if value is None:
        return ""
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return persian.format_number(int(rounded), language or get_language())
    return persian.format_number(rounded, language or get_language(), decimal_pos=decimals)


def percent_text(value, language=None):
    """A percentage in the active language: "۴۲٪" in Persian, "42%" in English."""
    if value is None:
        return ""
    language = language or get_language()
    sign = "٪" if persian.is_persian(language) else "%"
    return f"{number_text(value, 1 if value < 10 else 0, language)}{sign}"


def fewer_than_text(threshold):
    """What a suppressed count shows instead of its number: "fewer than ۵"."""
    return gettext("fewer than %(number)s") % {"number": number_text(threshold)}


def hidden_text():
    """What a count hidden by disclosure control shows (it may be large or small)."""
    return gettext("hidden")


@dataclass
class Bar:
    """One bar: its label, its share of the respondents (0–100) and the texts to show."""

    label: str
    share: float
    count_text: str
    percent_text: str
    suppressed: bool = False

    @property
    def width_css(self):
        """The share as a CSS percentage, in Latin digits whatever the language."""
        return f"{max(0.0, min(100.0, self.share)):.1f}"

    @property
    def value_text(self):
        if self.suppressed or not self.percent_text:
            return self.count_text
        return f"{self.percent_text} ({self.count_text})"


@dataclass
class BarChart:
    """A bar chart with the summary a screen reader announces and the table beside it."""

    id: str
    title: str
    bars: list = field(default_factory=list)
    label_heading: str = ""

    @property
    def summary(self):
        """The whole chart in one sentence, for ``aria-label``."""
        parts = "؛ ".join(f"{bar.label}: {bar.value_text}" for bar in self.bars)
        return f"{self.title} — {parts}" if parts else self.title


def cells_chart(chart_id, title, cells, threshold, label_heading=""):
    """A :class:`BarChart` of result cells (choices or scale points, see ``aggregates``).

    Args:
        chart_id: a unique id in the page (for ``aria`` references).
        title: what the chart shows (the question's label).
        cells: :class:`~participation.results.aggregates.Cell` items.
        threshold: the suppression threshold (kept for callers; hidden bars say "hidden").
        label_heading: the heading of the table's first column.
    """
    bars = []
    for cell in cells:
        if cell.suppressed:
            hidden = hidden_text()
            bars.append(
                Bar(label=cell.label, share=0, count_text=hidden, percent_text="", suppressed=True)
            )
        else:
            bars.append(
                Bar(
                    label=cell.label,
                    share=cell.percent or 0,
                    count_text=number_text(cell.count or 0),
                    percent_text=percent_text(cell.percent),
                )
            )
    return BarChart(
        id=chart_id,
        title=title,
        bars=bars,
        label_heading=label_heading or gettext("Answer"),
    )
