"""Exports of an opinion map's group-level statistics for editors: XLSX and CSV.

The same figures as the editor's map view, and suppressed the same way (a snapshot holds
nothing else): the groups and their sizes, each item's shares per group (statements, survey
questions and table rows, clauses, with their kind), and the groups by role and by
university. Dates in Solar Hijri text beside ISO, group names with Persian digits; cells
never formulas (the survey exports' helpers, ``results.exports``).
"""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from participation.jalali import jalali_text
from participation.persian import to_persian_digits
from participation.results.exports import UTF8_BOM, neutralise, sheets_xlsx_response

from . import inputs, maps
from .models import Statement


def group_label(key):
    return to_persian_digits(_("Group %(number)s") % {"number": key})


def _blank(value):
    return "" if value is None else value


def summary_rows(page, snapshot):
    data = snapshot.data
    yield [_("Call"), _("Computed (Solar Hijri)"), _("Computed (ISO 8601)"), _("Participants"),
           _("Votes"), _("In a group"), _("Suppression threshold"), _("Published")]  # fmt: skip
    yield [
        page.title,
        jalali_text(snapshot.computed_at, "fa"),
        timezone.localtime(snapshot.computed_at).replace(tzinfo=None),
        snapshot.participant_count,
        snapshot.vote_count,
        data.get("in_groups", 0),
        data.get("threshold", 0),
        _("Yes") if snapshot.published else _("No"),
    ]


def group_rows(snapshot):
    data = snapshot.data
    total = data.get("in_groups") or 1
    yield [_("Group"), _("Participants"), _("Share of participants (%)")]
    for group in data.get("groups", []):
        yield [group_label(group["key"]), group["size"], round(100 * group["size"] / total)]


def statement_rows(snapshot):
    """One row per item (statement, survey question or table row, clause) and group:
    voters and shares (blank where hidden), with the item's kind."""
    data = snapshot.data
    texts = dict(Statement.objects.filter(call_key=snapshot.call_key).values_list("uuid", "text"))
    texts = maps.item_texts(data, {str(uuid): text for uuid, text in texts.items()})
    yield [_("Item"), _("Kind"), _("Item id"), _("Group"), _("Voters"), _("Agree (%)"),
           _("Disagree (%)"), _("Pass (%)")]  # fmt: skip
    groups = [group_label(group["key"]) for group in data.get("groups", [])]
    for statement, item in data.get("items", {}).items():
        kind, text, _context = texts.get(statement, (inputs.STATEMENT, "", ""))
        cells = list(zip(groups, item["groups"], strict=True))
        cells.append((_("Everyone in a group"), item["all"]))
        for name, cell in cells:
            yield [
                text,
                str(inputs.kind_label(kind)),
                statement,
                name,
                _blank(cell.get("n")),
                _blank(cell.get("agree")),
                _blank(cell.get("disagree")),
                _blank(cell.get("pass")),
            ]


def breakdown_rows(snapshot, by):
    """Groups × role or university; hidden counts blank."""
    table = snapshot.data.get("breakdown", {}).get(by)
    if not table:
        return
    label = maps.role_label if by == "role" else (lambda value: value)
    yield [_("Group"), *[label(column) or _("Not given") for column in table["columns"]]]
    for group, row in zip(snapshot.data["groups"], table["rows"], strict=True):
        yield [group_label(group["key"]), *[_blank(value) for value in row]]
    yield [_("Total"), *[_blank(value) for value in table["totals"]]]


def sheets(page, snapshot):
    return [
        (_("Summary"), list(summary_rows(page, snapshot))),
        (_("Groups"), list(group_rows(snapshot))),
        (_("Items"), list(statement_rows(snapshot))),
        (_("By role"), list(breakdown_rows(snapshot, "role"))),
        (_("By university"), list(breakdown_rows(snapshot, "university"))),
    ]


def filename(page, extension):
    return f"{page.slug}-opinion-map-{timezone.localdate().isoformat()}.{extension}"


def xlsx_response(page, snapshot):
    """Every sheet of :func:`sheets`, right to left."""
    return sheets_xlsx_response(filename(page, "xlsx"), sheets(page, snapshot), wrap=True)


class _Echo:
    def write(self, value):
        return value


def csv_lines(page, snapshot):
    """The sheets one after another, each with its title line, a blank line between."""
    writer = csv.writer(_Echo())
    yield UTF8_BOM
    for number, (title, rows) in enumerate(sheets(page, snapshot)):
        if number:
            yield writer.writerow([])
        yield writer.writerow([neutralise(title)])
        for row in rows:
            yield writer.writerow(
                [
                    value.isoformat() if hasattr(value, "isoformat") else neutralise(value)
                    for value in row
                ]
            )


def csv_response(page, snapshot):
    response = StreamingHttpResponse(
        csv_lines(page, snapshot), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename(page, "csv"))
    return response
