"""A call's published opinion map for the read APIs (``opinion_map`` of /api/v2/ and /api/v3/).

Only a published snapshot is read, and only its group-level figures go out: groups with
their sizes, and the representative, consensus and divisive items (statements, survey
questions and table rows, a draft's clauses, each with its ``kind``) with each group's
shares where at least the threshold of the group voted (hidden shares are ``null``). No
position on the map, nothing per participant. The types below are the OpenAPI schema of
the field (Wagtail's v3 API reads them from ``OpinionMapField.to_representation``).
"""

from django.utils.translation import gettext as _
from typing_extensions import TypedDict

from participation.choices import ModerationState
from participation.jalali import jalali_text
from participation.persian import localize_digits

from . import inputs, maps
from .models import Statement

ShareOut = TypedDict(
    "ShareOut",
    {
        "group": int | None,  # the group's id; null for everyone in a group
        "voters": int | None,  # null: fewer than min_group of the group voted (hidden)
        "agree": int | None,  # whole percent of the voters
        "disagree": int | None,
        "pass": int | None,
    },
)


class StatementOut(TypedDict):
    statement: str  # the item's id: a statement's uuid, or "<kind>:<id>" for another item
    kind: str  # "statement", "likert" (a survey question), "matrix" (a table's row), "clause"
    kind_label: str  # the kind, for people
    text: str  # the statement, the question, the table's row or the clause's name
    context: str  # a table row's question, a clause's wording; "" for the others
    direction: str  # "agree" or "disagree": how the group (or every group) leans
    by_group: list[ShareOut]
    everyone: ShareOut


class GroupOut(TypedDict):
    id: int
    label: str
    size: int
    percent: int  # of the participants in a group
    representative: list[StatementOut]


class OpinionMapOut(TypedDict):
    published_at: str
    published_at_jalali: str
    min_group: int  # groups and shares below this many people are merged or hidden
    participants: int  # participants in a group
    groups: list[GroupOut]
    consensus: list[StatementOut]
    divisive: list[StatementOut]


def _share(group, cell):
    if cell.get("n") is None:
        return {"group": group, "voters": None, "agree": None, "disagree": None, "pass": None}
    return {
        "group": group,
        "voters": cell["n"],
        "agree": cell.get("agree"),
        "disagree": cell.get("disagree"),
        "pass": cell.get("pass"),
    }


class PublishedMaps:
    """The published maps of the calls among ``pages``, read in two queries in all."""

    def __init__(self, pages):
        keys = {page.call_key for page in pages if getattr(page, "call_kind", None)}
        self.snapshots = maps.published_by_call(keys) if keys else {}
        wanted = set()
        for snapshot in self.snapshots.values():
            data = snapshot.data
            listed = {row["statement"] for rows in data.get("representative", []) for row in rows}
            listed |= {
                row["statement"] for row in data.get("consensus", []) + data.get("divisive", [])
            }
            wanted |= {key for key in listed if maps.column_of(data, key) is None}
        self.statement_texts = (
            {
                str(uuid): text
                for uuid, text in Statement.objects.filter(
                    uuid__in=wanted, moderation_state=ModerationState.PUBLISHED
                ).values_list("uuid", "text")
            }
            if wanted
            else {}
        )

    def _statements(self, rows, data, keys, texts):
        out = []
        for row in rows:
            described, item = texts.get(row["statement"]), data["items"].get(row["statement"])
            if described is None or item is None:
                continue
            kind, text, context = described
            out.append(
                {
                    "statement": row["statement"],
                    "kind": kind,
                    "kind_label": str(inputs.kind_label(kind)),
                    "text": text,
                    "context": context,
                    "direction": row["direction"],
                    "by_group": [
                        _share(key, cell) for key, cell in zip(keys, item["groups"], strict=True)
                    ],
                    "everyone": _share(None, item["all"]),
                }
            )
        return out

    def json(self, page):
        """The page's published map (:class:`OpinionMapOut`), or ``None``."""
        snapshot = self.snapshots.get(page.call_key)
        if snapshot is None or not snapshot.data.get("groups"):
            return None
        data = snapshot.data
        keys = [group["key"] for group in data["groups"]]
        total = data["in_groups"] or 1
        representative = data["representative"] or [[] for _ in keys]
        texts = maps.item_texts(data, self.statement_texts)
        return {
            "published_at": snapshot.published_at.isoformat() if snapshot.published_at else "",
            "published_at_jalali": jalali_text(snapshot.published_at, "fa") or "",
            "min_group": data["threshold"],
            "participants": data["in_groups"],
            "groups": [
                {
                    "id": group["key"],
                    "label": localize_digits(_("Group %(number)s") % {"number": group["key"]}),
                    "size": group["size"],
                    "percent": round(100 * group["size"] / total),
                    "representative": self._statements(rows, data, keys, texts),
                }
                for group, rows in zip(data["groups"], representative, strict=True)
            ],
            "consensus": self._statements(data["consensus"], data, keys, texts),
            "divisive": self._statements(data["divisive"], data, keys, texts),
        }
