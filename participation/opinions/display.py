"""What the public map shows of a published snapshot: regions, tables and item lists.

Reads only a snapshot's group-level ``data`` (:mod:`.maps`), the statements still published,
and the names the snapshot keeps of its other items (survey questions, matrix rows, clauses:
``data["columns"]``, shown with their kind); the drawing is server-side SVG (no script, no
library): each group is an ellipse around its centre on the map's two axes, its area in
proportion to the group's size, its shape and angle those of its members' spread, with its
name and size written in it. A data table gives the same numbers.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from participation.choices import ModerationState

from . import inputs, maps
from .models import Statement

WIDTH, HEIGHT = 320, 240
PADDING = 8
LARGEST_RADIUS = 64  # the largest group's mean radius, in SVG units
SMALLEST_RADIUS = 18  # so a small group's label still fits
# Fill colours told apart by people with the common colour-vision deficiencies (Okabe–Ito);
# never the only cue: each region is named in it.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")


@dataclass
class Region:
    key: int
    name: str
    size: int
    percent: int
    colour: str
    cx: float = 0.0
    cy: float = 0.0
    rx: float = 0.0
    ry: float = 0.0
    angle: float = 0.0


@dataclass
class Share:
    """One group's (or everyone's) shares on a statement; ``shown`` False when hidden."""

    name: str
    shown: bool
    voters: int | None = None
    agree: int | None = None
    disagree: int | None = None
    passed: int | None = None


@dataclass
class StatementLine:
    """One listed item: a statement, a survey question or matrix row, or a draft's clause."""

    text: str
    direction: str
    direction_label: str
    shares: list = field(default_factory=list)
    everyone: Share | None = None
    kind: str = inputs.STATEMENT
    kind_label: str = ""
    context: str = ""  # a matrix row's question, a clause's wording


@dataclass
class MapView:
    regions: list
    participants: int
    in_groups: int
    threshold: int
    published_at: object
    width: int = WIDTH
    height: int = HEIGHT
    by_group: list = field(default_factory=list)  # [(region, [StatementLine])]
    consensus: list = field(default_factory=list)
    divisive: list = field(default_factory=list)


def group_name(key):
    return _("Group %(number)s") % {"number": key}


def _regions(groups, total):
    regions = [
        Region(
            key=group["key"],
            name=group_name(group["key"]),
            size=group["size"],
            percent=round(100 * group["size"] / total) if total else 0,
            colour=COLOURS[(group["key"] - 1) % len(COLOURS)],
        )
        for group in groups
    ]
    if not regions:
        return regions
    largest = max(group["size"] for group in groups)
    for region, group in zip(regions, groups, strict=True):
        radius = max(SMALLEST_RADIUS, LARGEST_RADIUS * math.sqrt(group["size"] / largest))
        major, minor, angle = group["spread"]
        # Aspect from the spread, bounded so a region stays readable; area from the size.
        aspect = min(2.0, max(1.0, major / minor)) if minor > 0 else (2.0 if major else 1.0)
        region.rx = round(radius * math.sqrt(aspect), 1)
        region.ry = round(radius / math.sqrt(aspect), 1)
        region.angle = -angle  # SVG's y axis points down
    _place(regions, [group["center"] for group in groups])
    return regions


def _place(regions, centres):
    """Centres scaled into the drawing, leaving room for each region."""
    xs, ys = [c[0] for c in centres], [c[1] for c in centres]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    margin = max(max(r.rx, r.ry) for r in regions) + PADDING
    usable_x, usable_y = max(WIDTH - 2 * margin, 1), max(HEIGHT - 2 * margin, 1)
    scale = min(usable_x / span_x, usable_y / span_y)
    for region, (x, y) in zip(regions, centres, strict=True):
        if len(regions) == 1:
            region.cx, region.cy = WIDTH / 2, HEIGHT / 2
            continue
        offset_x = (WIDTH - span_x * scale) / 2
        offset_y = (HEIGHT - span_y * scale) / 2
        region.cx = round(offset_x + (x - min(xs)) * scale, 1)
        region.cy = round(HEIGHT - (offset_y + (y - min(ys)) * scale), 1)


def _share(name, cell):
    if cell.get("n") is None:
        return Share(name=name, shown=False)
    return Share(
        name=name,
        shown=cell["n"] > 0,
        voters=cell["n"],
        agree=cell.get("agree"),
        disagree=cell.get("disagree"),
        passed=cell.get("pass"),
    )


def _direction_label(direction):
    return _("Agree") if direction == "agree" else _("Disagree")


def _lines(rows, data, regions, texts):
    lines = []
    for row in rows:
        described = texts.get(row["statement"])
        item = data["items"].get(row["statement"])
        if described is None or item is None:  # removed by moderation since
            continue
        kind, text, context = described
        lines.append(
            StatementLine(
                text=text,
                kind=kind,
                kind_label=str(inputs.kind_label(kind)),
                context=context,
                direction=row["direction"],
                direction_label=_direction_label(row["direction"]),
                shares=[
                    _share(region.name, cell)
                    for region, cell in zip(regions, item["groups"], strict=True)
                ],
                everyone=_share(_("Everyone in a group"), item["all"]),
            )
        )
    return lines


def map_view(snapshot):
    """The :class:`MapView` of a published snapshot (``None`` when it shows no group)."""
    data = snapshot.data or {}
    groups = data.get("groups") or []
    if not groups:
        return None
    regions = _regions(groups, data.get("in_groups") or 0)
    wanted = {row["statement"] for rows in data["representative"] for row in rows}
    wanted |= {row["statement"] for row in data["consensus"] + data["divisive"]}
    statements = {
        str(uuid): text
        for uuid, text in Statement.objects.filter(
            uuid__in=[key for key in wanted if maps.column_of(data, key) is None],
            moderation_state=ModerationState.PUBLISHED,
        ).values_list("uuid", "text")
    }
    texts = maps.item_texts(data, statements)
    view = MapView(
        regions=regions,
        participants=data.get("participants", 0),
        in_groups=data.get("in_groups", 0),
        threshold=data.get("threshold", 0),
        published_at=snapshot.published_at,
    )
    view.by_group = [
        (region, _lines(rows, data, regions, texts))
        for region, rows in zip(
            regions, data["representative"] or [[] for _ in regions], strict=True
        )
    ]
    view.consensus = _lines(data["consensus"], data, regions, texts)
    view.divisive = _lines(data["divisive"], data, regions, texts)
    return view
