"""The whole API, run from its own OpenAPI document by schemathesis (property-based): no server error,
and every response (status, media type, headers, body) as the document says."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Platform
from tests.factories import Factory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _document() -> dict[str, Any]:
    """The API's own OpenAPI document, as the app serves it (no database needed to describe it)."""
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "CHECK_SCHEMA": False})
    return app.test_client().get("/api/v1/openapi.json").get_json()  # type: ignore[no-any-return]


schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture
def world(app: Any, factory: Factory, platform: Platform) -> Platform:
    """Cases in several states for the generated requests to find (ids 1…6)."""
    app.config["API_RATE_PER_MINUTE"] = 1_000_000  # the run sends thousands of requests in a minute
    for state in ("registered", "accepted", "assigned", "mediating", "agreed", "closed"):
        factory.case(state)
    return platform


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_document(case: Any, app: Any, world: Platform) -> None:
    case.headers = {**(case.headers or {}), **world.headers}
    case.call_and_validate(app=app, checks=CHECKS)
