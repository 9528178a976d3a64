"""schemathesis against the OpenAPI document: no generated request gets a server error.

Every operation of /api/openapi.json is called with requests generated from its schema
(valid and invalid bodies, odd path and query values), as a signed-in owner of a workspace with
evidence, a problem and a job in it, through the real WSGI application.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from problemspace.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, not through Django's test client, so nothing stops
    Django from closing the database connection after each one, and with it the transaction
    the test runs in (PostgreSQL). Do what the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(db: None, keep_connection: None) -> dict[str, str]:
    from django.contrib.auth.models import User

    from problemspace.evidence.tests.factories import make_account, make_evidence
    from problemspace.jobs.models import Job, Kind
    from problemspace.problems.models import Problem
    from problemspace.workspaces.models import Member, Role, Workspace
    from problemspace.workspaces.tokens import create_token

    workspace = Workspace.objects.create(name="Acme", slug="acme")
    user = User.objects.create_user("owner@example.org", "owner@example.org", "x" * 20)
    Member.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    account = make_account(workspace, "Globex", segment="Enterprise")
    make_evidence(workspace, "Exports fail at month end.", account=account)
    Problem.objects.create(workspace=workspace, title="Exports fail")
    Job.objects.create(workspace=workspace, kind=Kind.SYNTHESIS)
    _, key = create_token(user, "schemathesis")
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_is_a_server_error(case: schemathesis.Case, api_headers: dict[str, str]) -> None:
    if case.path_parameters and "slug" in case.path_parameters:
        # Into the workspace the key can see: a random slug stops at the first 404.
        case.path_parameters["slug"] = "acme"
    response = case.call(headers=api_headers)
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
