"""The developers' page (Persian and English): the read APIs, the partner API and the feeds.

Its examples are built here with this site's own address and a real call id, so a reader
can copy them as they are, and ``tests/site/test_developers_page.py`` fetches every GET
example the page shows: if an endpoint moves, the test fails rather than the page rotting.
"""

import json

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pages.models import RegulationDraftPage, SurveyCampaignPage

app_name = "developers"

# Shown when the site has no call of that type yet; the examples then say 404 honestly.
PLACEHOLDER_ID = 1
LIST_FIELDS = "kind,state,closes_at,closes_at_jalali"


def example_call_ids(language):
    """Ids of a live, public survey and draft for the examples, ``language``'s first.

    Ids are the same whatever language the API is read in, so another language's call
    is the next best example; :data:`PLACEHOLDER_ID` when the site has none.
    """
    from django.db.models import Case, IntegerField, Value, When

    def first(model):
        other_language = Case(
            When(locale__language_code=language, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        pages = model.objects.live().public().order_by(other_language, "-first_published_at")
        return pages.values_list("pk", flat=True).first()

    return {
        "survey": first(SurveyCampaignPage) or PLACEHOLDER_ID,
        "draft": first(RegulationDraftPage) or PLACEHOLDER_ID,
    }


def as_json(value):
    return json.dumps(value, ensure_ascii=False, indent=2)


def read_api_examples(base_url, language, ids):
    """curl commands for the read API (v2) and the v3 API."""
    v2 = f"{base_url}/api/v2"
    return {
        "open_surveys": (
            f'curl "{v2}/pages/?type=pages.SurveyCampaignPage&locale={language}'
            f'&state=open&fields={LIST_FIELDS}"'
        ),
        "open_calls": f'curl "{v2}/pages/?state=open,upcoming&locale={language}"',
        "call_detail": f'curl "{v2}/pages/{ids["survey"]}/"',
        "only_form": f'curl "{v2}/pages/{ids["survey"]}/?fields=_,title,form"',
        "draft_discussion": f'curl "{v2}/pages/{ids["draft"]}/?fields=_,title,discussion"',
        "images": f'curl "{v2}/images/?limit=5"',
        "documents": f'curl "{v2}/documents/?limit=5"',
        "etag_first": f'curl -i "{v2}/pages/{ids["survey"]}/"',
        "etag_again": (
            f'curl -i -H \'If-None-Match: "…the ETag you received…"\' "{v2}/pages/{ids["survey"]}/"'
        ),
        "v3_openapi": f'curl "{base_url}/api/v3/openapi.json"',
        "v3_pages": f'curl "{base_url}/api/v3/pages/?locale={language}"',
    }


def partner_examples(base_url, ids):
    """curl commands for the partner API: reading a call with a key, submitting for a person."""
    partner = f"{base_url}/api/hadaf/v1"
    return {
        "openapi": f'curl "{partner}/openapi.json"',
        "oauth_metadata": f'curl "{base_url}/oauth/.well-known/oauth-authorization-server"',
        "call": f'curl -H "X-Hadaf-Key: $HADAF_KEY" "{partner}/calls/{ids["survey"]}/"',
        "me": (
            f'curl -H "X-Hadaf-Key: $HADAF_KEY" -H "Authorization: Bearer $ACCESS_TOKEN" '
            f'"{partner}/me/"'
        ),
        "submit": "\n".join(
            [
                f'curl -X POST "{partner}/calls/{ids["survey"]}/responses/" \\',
                '  -H "X-Hadaf-Key: $HADAF_KEY" \\',
                '  -H "Authorization: Bearer $ACCESS_TOKEN" \\',
                '  -H "Idempotency-Key: $(uuidgen)" \\',
                '  -H "Content-Type: application/json" \\',
                '  --data \'{"started_at": "…from the call…", "answers": {"q_<question id>": '
                '"<choice value>"}}\'',
            ]
        ),
    }


def feed_examples(base_url, language):
    """curl commands for the Atom and iCalendar feeds of ``language``."""
    with translation.override(language):
        atom = reverse("feeds:calls_atom")
        calendar = reverse("feeds:calls_calendar")
    return {
        "atom": f'curl "{base_url}{atom}"',
        "calendar": f'curl "{base_url}{calendar}"',
        "atom_url": f"{base_url}{atom}",
        "calendar_url": f"{base_url}{calendar}",
    }


def client_examples(base_url, language, ids):
    """How to run docs/api_client.py against this site."""
    script = "python docs/api_client.py"
    return {
        "list": f"{script} --base-url {base_url} --locale {language} list",
        "form": f"{script} --base-url {base_url} form {ids['survey']}",
    }


def listing_sample(base_url, ids):
    """What a listing of open surveys looks like (abbreviated)."""
    return as_json(
        {
            "meta": {"total_count": 1},
            "items": [
                {
                    "id": ids["survey"],
                    "meta": {
                        "type": "pages.SurveyCampaignPage",
                        "detail_url": f"{base_url}/api/v2/pages/{ids['survey']}/",
                        "html_url": f"{base_url}/calls/survey/",
                        "locale": translation.get_language(),
                    },
                    "title": _("Survey of cultural programmes"),
                    "kind": "survey",
                    "state": "open",
                    "closes_at": "2026-12-21T23:59:00+03:30",
                    "closes_at_jalali": "۱۴۰۵/۰۹/۳۰ ۲۳:۵۹",
                }
            ],
        }
    )


def form_sample():
    """A survey's ``form`` field (one question of each common shape)."""
    return as_json(
        {
            "kind": "survey",
            "steps": [_("About you")],
            "questions": [
                {
                    "id": "0b1e3c52-0000-4000-8000-000000000006",
                    "field_name": "q_0b1e3c52-0000-4000-8000-000000000006",
                    "type": "multiple_choice",
                    "label": _("Which programmes interest you?"),
                    "help_text": "",
                    "required": True,
                    "code": "interests",
                    "step": 0,
                    "show_if": None,
                    "choices": [
                        {"id": "c0000000-0000-4000-8000-000000000003", "label": _("Theatre")},
                        {"id": "c0000000-0000-4000-8000-000000000004", "label": _("Music")},
                    ],
                    "rows": [],
                    "scale": [],
                    "reverse_coded": False,
                    "display": "",
                    "validation": {"min_selected": 1, "max_selected": 2},
                }
            ],
        }
    )


def api_page(request):
    """``developers/api/``: the APIs explained, with examples that work on this site."""
    language = translation.get_language()
    base_url = request.build_absolute_uri("/").rstrip("/")
    ids = example_call_ids(language)
    context = {
        "base_url": base_url,
        "read": read_api_examples(base_url, language, ids),
        "partner": partner_examples(base_url, ids),
        "feeds": feed_examples(base_url, language),
        "client": client_examples(base_url, language, ids),
        "listing_sample": listing_sample(base_url, ids),
        "form_sample": form_sample(),
    }
    return render(request, "developers/api.html", context)


urlpatterns = [path("api/", api_page, name="api")]
