"""Fixtures of the API tests: clients of the API with their tokens, and a helper to call it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from models import Community
from services.api_clients import create_client
from tests.factories import Factory


@dataclass
class Platform:
    """An API client as a city platform holds it: its token, and its community."""

    token: str
    community: Community
    client_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_platform(
    factory: Factory,
    name: str,
    *,
    community: Community | None = None,
    scope: str = "write",
    role: str = "staff",
) -> Platform:
    community = community or factory.default_community()
    assert community.id is not None
    issued = create_client(
        session=factory.session, name=name, community_ids=[community.id], scope=scope, role=role
    )
    assert issued.client.id is not None
    return Platform(issued.token, community, issued.client.id)


@pytest.fixture
def platform(factory: Factory) -> Platform:
    """A write client of 幸福社区 acting as staff."""
    return make_platform(factory, "综治中心")


class Api:
    """Calls /api/v1 with a platform's token."""

    def __init__(self, client: FlaskClient, platform: Platform) -> None:
        self.client, self.platform = client, platform

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.platform.headers, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.client.post(f"/api/v1{path}", json=body, headers=self.platform.headers, **kw)


@pytest.fixture
def api(client: FlaskClient, platform: Platform) -> Api:
    return Api(client, platform)


def intake_body(community_id: int, ref: str = "ZZ-2026-0001", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_ref": ref,
        "community_id": community_id,
        "category": "邻里",
        "source": "委托移送",
        "facts": "楼上住户夜间噪音扰民，多次协商未果",
        "claimed_amount": "800",
        "parties": [
            {"role": "applicant", "name": "张三", "phone": "13812345678", "id_number": "110101198001011232"},
            {"role": "respondent", "name": "李四", "phone": "13987654321"},
        ],
    }
    body.update(over)
    return body
