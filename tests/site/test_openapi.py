"""schemathesis against the OpenAPI documents of /api/v3/ and /api/hadaf/v1/.

Every operation gets generated requests (a few each, to keep the module short) through
the WSGI application in this process, on the test database with a few live pages and
a partner with a key and a participant's token. Checks: no 5xx, and each response has
the declared content type and matches its schema. The partner API declares every status
it answers, so it is also checked for undeclared statuses.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.reporting import UnsatisfiableSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.pages.factories import (
    CallIndexPageFactory,
    RegulationDraftPageFactory,
    StandardPageFactory,
)
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.partners.factories import grant_token, json_answers, make_partner
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 6
COMMON_CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def calls(home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    StandardPageFactory(parent=home_page, slug="about")
    return {
        "survey": SurveyCampaignPageFactory(parent=calls),
        "draft": RegulationDraftPageFactory(parent=calls),
    }


@pytest.fixture
def app(calls):
    """The WSGI application, keeping the test's database transaction open across requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def run_operations(schema, checks, headers=None, operation_filter=None, **fixed):
    """Run ``checks`` on a few generated requests of every operation of ``schema``.

    Returns the labels of operations no request can be generated for (a path parameter
    whose enum is empty: the v3 snippets routes, with no snippet types registered).
    """
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    ungeneratable = []
    for operation in operations:
        if operation_filter and not operation_filter(operation):
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(**fixed))
        def check(case):
            case.call_and_validate(headers=headers, checks=checks)

        try:
            check()
        except UnsatisfiableSchema:
            ungeneratable.append(operation.label)
    return ungeneratable


def test_v3_api_anonymous(app):
    schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", app)
    # Reads only: anonymous writes are refused (tests/site/test_v3_api.py checks each).
    skipped = run_operations(
        schema, COMMON_CHECKS, operation_filter=lambda op: op.method.upper() == "GET"
    )
    assert all("/snippets/{type}/" in label for label in skipped), skipped


def test_partner_api_without_credentials(app):
    schema = schemathesis.openapi.from_wsgi("/api/hadaf/v1/openapi.json", app)
    assert not run_operations(schema, [*COMMON_CHECKS, status_code_conformance])


def test_partner_api_with_a_key_and_a_token(app, calls):
    """Random ids and bodies, then the real survey and draft: 200, 201, 409 and 422 answers."""
    site, _key, key_text = make_partner()
    token = grant_token(site, UserFactory())
    schema = schemathesis.openapi.from_wsgi("/api/hadaf/v1/openapi.json", app)
    credentials = {"X-Hadaf-Key": key_text, "Authorization": f"Bearer {token}"}
    checks = [*COMMON_CHECKS, status_code_conformance]
    assert not run_operations(schema, checks, headers=credentials)
    for kind in ("survey", "draft"):
        page_id = {"page_id": calls[kind].pk}
        assert not run_operations(schema, checks, headers=credentials, path_parameters=page_id)
    valid = {"answers": json_answers()}
    response_operation = schema["/api/hadaf/v1/calls/{page_id}/responses/"]["POST"]
    for expected in (201, 409):
        case = response_operation.Case(path_parameters={"page_id": calls["survey"].pk}, body=valid)
        assert case.call_and_validate(headers=credentials, checks=checks).status_code == expected
