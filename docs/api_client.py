#!/usr/bin/env python3
"""A small client of Hadaf's read API (/api/v2/), with the standard library only.

List the open calls of one language, then show one call's form as text, rendered from
the schema the API publishes (the same one the site's own form is built from)::

    python docs/api_client.py list
    python docs/api_client.py --locale en list
    python docs/api_client.py form 42
    python docs/api_client.py --base-url https://hadaf.example.ir form 42

Copy it, change it: it is an example of reading calls from another site, and the
project's tests run it against a live server so it keeps working.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
CALL_TYPES = ("pages.SurveyCampaignPage", "pages.RegulationDraftPage", "pages.IdeaCallPage")
LIST_FIELDS = ("kind", "state", "opens_at", "closes_at", "closes_at_jalali")
PAGE_SIZE = 50  # The server caps ?limit= (WAGTAILAPI_LIMIT_MAX); pages are fetched in turn.
TIMEOUT_SECONDS = 30

LABELS = {
    "fa": {
        "open_calls": "فراخوان‌های باز",
        "none": "اکنون فراخوان بازی نیست.",
        "closes": "مهلت",
        "required": "الزامی",
        "optional": "اختیاری",
        "step": "مرحله",
        "choices": "گزینه‌ها",
        "rows": "سطرها",
        "scale": "طیف",
        "limits": "محدودیت‌ها",
        "show_if": "فقط اگر پاسخ «{code}» یکی از این‌ها باشد",
        "clauses": "بندهای قابل نظر",
        "stances": "موضع‌ها",
        "kinds": "نوع ارسال",
        "themes": "محورها",
        "fields": "فیلدها",
        "files": "پیوست‌ها: حداکثر {files} فایل، هر کدام تا {mb} مگابایت",
        "no_form": "این فراخوان فرمی ندارد.",
    },
    "en": {
        "open_calls": "Open calls",
        "none": "No call is open now.",
        "closes": "closes",
        "required": "required",
        "optional": "optional",
        "step": "Step",
        "choices": "choices",
        "rows": "rows",
        "scale": "scale",
        "limits": "limits",
        "show_if": "only if the answer to “{code}” is one of",
        "clauses": "Clauses open to comments",
        "stances": "Stances",
        "kinds": "Submission kinds",
        "themes": "Themes",
        "fields": "Fields",
        "files": "Attachments: at most {files} files, each up to {mb} MB",
        "no_form": "This call has no form.",
    },
}


class APIError(Exception):
    """The site answered with an error, or could not be reached."""


def fetch_json(url):
    """GET ``url`` and decode its JSON body.

    Raises:
        APIError: on an HTTP error (with the server's message) or a network error.
    """
    if not url.startswith(("http://", "https://")):
        raise APIError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:300]
        raise APIError(f"{error.code} {error.reason} for {url}: {detail}") from error
    except urllib.error.URLError as error:
        raise APIError(f"cannot reach {url}: {error.reason}") from error


def api_url(base_url, path, **params):
    """``base_url`` + ``path`` with the query ``params`` (``None`` values left out)."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base_url.rstrip('/')}{path}" + (f"?{query}" if query else "")


def list_pages(base_url, **params):
    """Every item of an /api/v2/pages/ listing, following ``offset`` page by page."""
    items, offset = [], 0
    while True:
        data = fetch_json(
            api_url(base_url, "/api/v2/pages/", limit=PAGE_SIZE, offset=offset, **params)
        )
        items.extend(data["items"])
        offset += PAGE_SIZE
        if offset >= data["meta"]["total_count"]:
            return items


def open_calls(base_url, locale="fa"):
    """The open calls of ``locale``, the nearest deadline first.

    Args:
        base_url: the site, e.g. ``http://127.0.0.1:8000``.
        locale: ``fa`` or ``en``.

    Returns:
        list[dict]: API items with ``id``, ``title``, ``kind``, ``state``, the dates.
    """
    calls = []
    for page_type in CALL_TYPES:
        calls.extend(
            list_pages(
                base_url,
                type=page_type,
                locale=locale,
                state="open",
                fields=",".join(LIST_FIELDS),
            )
        )
    return sorted(calls, key=lambda call: call.get("closes_at") or "9999")


def call_detail(base_url, call_id):
    """One call with all its fields (its form schema included)."""
    return fetch_json(api_url(base_url, f"/api/v2/pages/{int(call_id)}/"))


def render_calls(calls, locale="fa"):
    """The open calls as lines of text: id, kind, title and deadline."""
    labels = LABELS.get(locale, LABELS["en"])
    if not calls:
        return labels["none"]
    lines = [f"{labels['open_calls']} ({locale})"]
    for call in calls:
        deadline = call.get("closes_at_jalali") if locale == "fa" else call.get("closes_at")
        closes = f" — {labels['closes']}: {deadline}" if deadline else ""
        lines.append(f"{call['id']:>6}  [{call.get('kind', '')}]  {call['title']}{closes}")
    return "\n".join(lines)


def limits_text(validation):
    return ", ".join(f"{name}={value}" for name, value in sorted(validation.items()))


def render_question(number, question, labels):
    """One question: its label, type, required or not, choices, rows, scale and limits."""
    needed = labels["required"] if question.get("required") else labels["optional"]
    lines = [f"{number}. {question['label']}  ({question['type']}, {needed})"]
    if question.get("help_text"):
        lines.append(f"     {question['help_text']}")
    for key in ("choices", "rows"):
        if question.get(key):
            lines.append(f"     {labels[key]}:")
            lines.extend(f"       - {option['label']}" for option in question[key])
    if question.get("scale"):
        scale = " | ".join(
            f"{point['value']}" + (f" {point['label']}" if point.get("label") else "")
            for point in question["scale"]
        )
        lines.append(f"     {labels['scale']}: {scale}")
    if question.get("validation"):
        lines.append(f"     {labels['limits']}: {limits_text(question['validation'])}")
    condition = question.get("show_if")
    if condition:
        answers = ", ".join(str(answer) for answer in condition.get("answers", []))
        lines.append(f"     {labels['show_if'].format(code=condition['question_code'])}: {answers}")
    return lines


def render_questions(form, labels):
    steps = form.get("steps") or [""]
    lines, current_step = [], None
    for number, question in enumerate(form.get("questions", []), start=1):
        step = question.get("step", 0)
        if len(steps) > 1 and step != current_step:
            current_step = step
            title = steps[step] if step < len(steps) else ""
            lines.append(f"\n{labels['step']} {step + 1}: {title}".rstrip(": "))
        lines.extend(render_question(number, question, labels))
    return lines


def render_form(call, locale=None):
    """A call's form as text, from the ``form`` field of its API detail.

    Surveys list their questions; regulation drafts their clauses and stances; idea
    calls their submission kinds, themes, fields, attachment limits and questions.
    """
    locale = locale or call.get("meta", {}).get("locale", "fa")
    labels = LABELS.get(locale, LABELS["en"])
    header = [call["title"], f"[{call.get('kind', '')}, {call.get('state', '')}]"]
    deadline = call.get("closes_at_jalali") if locale == "fa" else call.get("closes_at")
    if deadline:
        header.append(f"{labels['closes']}: {deadline}")
    form = call.get("form")
    if not form:
        return "\n".join([*header, labels["no_form"]])
    lines = [*header, ""]
    if form.get("clauses"):
        lines.append(f"{labels['clauses']}:")
        lines.extend(
            f"  - {clause.get('label') or clause.get('number') or clause.get('id')}"
            if isinstance(clause, dict)
            else f"  - {clause}"
            for clause in form["clauses"]
        )
    if form.get("stances"):
        stances = ", ".join(stance["label"] for stance in form["stances"])
        lines.append(f"{labels['stances']}: {stances}")
    if form.get("submission_kinds"):
        kinds = ", ".join(kind["label"] for kind in form["submission_kinds"])
        lines.append(f"{labels['kinds']}: {kinds}")
    if form.get("themes"):
        lines.append(f"{labels['themes']}: " + ", ".join(t["name"] for t in form["themes"]))
    if form.get("fields"):
        fields = ", ".join(
            f"{field['name']} ({labels['required' if field.get('required') else 'optional']})"
            for field in form["fields"]
        )
        lines.append(f"{labels['fields']}: {fields}")
    if form.get("attachments"):
        files = form["attachments"]
        lines.append(labels["files"].format(files=files["max_files"], mb=files["max_megabytes"]))
    lines.extend(render_questions(form, labels))
    return "\n".join(lines)


def main(argv=None, out=None):
    """Run the command line; returns the exit status (0, or 1 when the API fails)."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description="List Hadaf's open calls and show their forms.")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="the Hadaf site")
    parser.add_argument("--locale", choices=("fa", "en"), default="fa", help="calls' language")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the open calls")
    form_parser = commands.add_parser("form", help="show one call's form")
    form_parser.add_argument("id", type=int, help="the call's page id (from `list`)")
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            text = render_calls(open_calls(args.base_url, args.locale), args.locale)
        else:
            text = render_form(call_detail(args.base_url, args.id))
    except APIError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(text, file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
