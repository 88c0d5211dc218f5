"""API clients from the admin pages and the command line: the token shown once, kept hashed, revocable,
its last use shown."""

from __future__ import annotations

import re

from flask import Flask
from sqlmodel import Session, select

from models import AdminEvent, ApiClient, User
from services.api_clients import digest
from tests.factories import Factory
from tests.web.case_helpers import fresh, login, text, token_from


def test_an_admin_creates_a_client_sees_its_token_once_and_revokes_it(
    client, factory: Factory, app_session: Session
) -> None:
    community = factory.default_community()
    login(client, factory.user("admin", communities=[]))
    token = token_from(client, "/admin/api-clients")
    form = {"csrf_token": token, "name": "12345热线", "communities": [str(community.id)], "scope": "write"}
    page = text(client.post("/admin/api-clients", data={**form, "role": "staff"}))
    shown = re.search(r'data-testid="api-token"><code>([^<]+)</code>', page)
    assert shown is not None
    issued = shown.group(1)
    row = app_session.exec(select(ApiClient)).one()
    assert row.token_hash == digest(issued) and issued not in row.token_hash and row.token_hint == issued[:10]
    listing = text(client.get("/admin/api-clients"))
    assert "12345热线" in listing and issued not in listing and "从未使用" in listing
    api = client.application.test_client()
    assert api.get("/api/v1/workflow", headers={"Authorization": f"Bearer {issued}"}).status_code == 200
    assert "从未使用" not in text(client.get("/admin/api-clients"))
    resp = client.post(f"/admin/api-clients/{row.id}/revoke", data={"csrf_token": token})
    assert resp.status_code == 303
    assert api.get("/api/v1/workflow", headers={"Authorization": f"Bearer {issued}"}).status_code == 401
    assert "已吊销" in text(client.get("/admin/api-clients"))
    app_session.rollback()
    actions = app_session.exec(select(AdminEvent.action)).all()
    assert {"create_api_client", "revoke_api_client"} <= set(actions)


def test_bad_client_forms_are_refused(client, factory: Factory, app_session: Session) -> None:
    community = factory.default_community()
    login(client, factory.user("admin", communities=[]))
    token = token_from(client, "/admin/api-clients")
    base = {
        "csrf_token": token,
        "name": "平台",
        "communities": [str(community.id)],
        "scope": "read",
        "role": "staff",
    }
    for change, message in [
        ({"name": ""}, "请填写客户端名称"),
        ({"name": "名" * 41}, "客户端名称须为 1–40 个字"),
        ({"communities": []}, "至少选择一个社区"),
        ({"scope": "admin"}, 'class="field-error"'),
        ({"role": "judge"}, 'class="field-error"'),
    ]:
        resp = client.post("/admin/api-clients", data={**base, **change})
        assert resp.status_code == 422, change
        assert message in text(resp), change
    assert app_session.exec(select(ApiClient)).first() is None


def test_only_admins_manage_clients(client, factory: Factory) -> None:
    login(client, factory.staff())
    assert client.get("/admin/api-clients").status_code == 403


def test_the_command_line_creates_lists_and_revokes(
    app: Flask, factory: Factory, app_session: Session
) -> None:
    factory.default_community()
    runner = app.test_cli_runner()
    out = runner.invoke(args=["api-client", "create", "综治中心", "--community", "幸福", "--scope", "read"])
    assert out.exit_code == 0, out.output
    issued = out.output.strip().splitlines()[-1]
    assert issued.startswith("tj_")
    row = app_session.exec(select(ApiClient)).one()
    assert row.token_hash == digest(issued) and row.scope == "read"
    acting = fresh(app_session, User, row.user_id)
    assert (acting.kind, acting.roles, acting.display_name) == ("api_client", "staff", "接口：综治中心")
    listing = runner.invoke(args=["api-client", "list"])
    assert "综治中心" in listing.output and issued not in listing.output
    refused = runner.invoke(args=["api-client", "create", "x", "--community", "无此社区", "--scope", "read"])
    assert refused.exit_code != 0 and "未知社区" in refused.output
    assert runner.invoke(args=["api-client", "revoke", "综治中心"]).exit_code == 0
    assert fresh(app_session, ApiClient, row.id).revoked_at is not None
