"""Who may open which case page: every route of the case pages × every role."""

from __future__ import annotations

import pytest

from models import Case
from tests.web.case_helpers import distinct_parties, fresh, login, snapshot, text, token_in
from tests.web.test_intake import valid

ROLES = ["staff", "volunteer", "mediator", "judge", "leader", "admin", "anonymous"]

# route -> expected status per role, in ROLES order
MATRIX: dict[str, tuple[int, ...]] = {
    "GET /cases/": (200, 200, 200, 200, 200, 200, 302),
    "GET /cases/mine": (200, 200, 200, 200, 302, 302, 302),
    "GET /cases/new": (200, 403, 403, 403, 403, 200, 302),
    "GET /cases/{own}": (200, 200, 200, 200, 200, 200, 302),
    "GET /cases/{own}/agreement": (200, 200, 200, 200, 200, 200, 302),
    "GET /cases/{own}/file": (200, 200, 200, 200, 200, 200, 302),
    "GET /cases/{foreign}": (404, 404, 404, 404, 404, 200, 302),
    "GET /cases/{foreign}/agreement": (404, 404, 404, 404, 404, 200, 302),
    "GET /cases/{foreign}/file": (404, 404, 404, 404, 404, 200, 302),
    "GET /cases/999999": (404, 404, 404, 404, 404, 404, 302),
    "POST /cases/{registered} accept": (303, 409, 409, 409, 409, 409, 302),
    "POST /cases/{foreign_registered} accept": (404, 404, 404, 404, 404, 409, 302),
    "POST /cases/{registered} no_such_trigger": (404, 404, 404, 404, 404, 404, 302),
    "POST /cases/new": (303, 403, 403, 403, 403, 303, 302),
}

CASES = [(route, role, codes[i]) for route, codes in MATRIX.items() for i, role in enumerate(ROLES)]


@pytest.fixture
def world(factory):
    home, away = factory.default_community(), factory.community()
    agreed = factory.case("agreed", parties=distinct_parties())
    return {
        "own": agreed.id,
        "registered": factory.case("registered", parties=distinct_parties()).id,
        "foreign": factory.case("agreed", community=away, parties=distinct_parties()).id,
        "foreign_registered": factory.case("registered", community=away, parties=distinct_parties()).id,
        "home": home,
    }


def _user(factory, role: str):
    if role == "anonymous":
        return None
    if role == "admin":
        return factory.user("admin", communities=[])
    if role in ("volunteer", "mediator", "judge"):
        return factory.user(role)  # a member of the community, not the case's assignee
    return factory.staff() if role == "staff" else factory.user(role)


@pytest.mark.parametrize(("route", "role", "expected"), CASES)
def test_route_by_role(client, factory, session, world, route, role, expected):
    user = _user(factory, role)
    if user is not None:
        login(client, user)
    method, path, *trigger = route.split(" ")
    path = path.format(**world)
    if method == "GET":
        resp = client.get(path)
        assert resp.status_code == expected, text(resp)[:300]
        return
    token = token_in(text(client.get("/login" if user is None else "/cases/")))
    data = {"csrf_token": token, "version": "1", "trigger": "".join(trigger)}
    if path == "/cases/new":
        data = {**valid(world["home"].id), "csrf_token": token}
    before = snapshot(session)
    resp = client.post(path, data=data)
    assert resp.status_code == expected, text(resp)[:300]
    after = snapshot(session)
    changed = after != before
    allowed = expected == 303 and (role == "staff" or path == "/cases/new")
    assert changed == allowed
    if allowed and trigger:
        assert fresh(session, Case, world["registered"]).state == "accepted"


def test_refused_role_gets_a_reason(client, factory, world):
    login(client, factory.user("leader"))
    page = text(client.get(f"/cases/{world['registered']}"))
    assert 'class="action"' not in page  # no forms for a read-only role
    token = token_in(page)
    resp = client.post(
        f"/cases/{world['registered']}", data={"csrf_token": token, "version": "1", "trigger": "accept"}
    )
    assert resp.status_code == 409
    assert 'data-testid="error-summary"' in text(resp) and "您的角色无权执行此操作" in text(resp)
