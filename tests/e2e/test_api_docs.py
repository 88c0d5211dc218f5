"""The API's docs page in Chromium: Swagger UI from our own static files draws every operation of the
document under the site's CSP, asks nothing of another origin, and calls the API with a token."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from services.api_clients import create_client
from tests.e2e.conftest import LiveServer
from tests.e2e.ui import UI
from tests.factories import Factory


def test_the_docs_page_shows_every_operation_and_tries_one_with_a_token(
    ui: UI, live_server: LiveServer, seed: Factory
) -> None:
    community = seed.community("幸福社区", "幸福")
    assert community.id is not None
    token = create_client(session=seed.session, name="网格", community_ids=[community.id], scope="read").token
    asked: list[str] = []
    ui.page.on("request", lambda request: asked.append(request.url))
    ui.goto("/api/v1/docs")
    operations = ui.page.locator(".opblock")
    spec = json.loads(ui.page.request.get(f"{live_server.url}/api/v1/openapi.json").text())
    count = sum(len(methods) for methods in spec["paths"].values())
    expect(operations).to_have_count(count)
    expect(ui.page.locator(".info .title")).to_contain_text("人民调解案件管理 API")

    ui.page.get_by_role("button", name="Authorize").first.click()
    dialog = ui.page.locator(".modal-ux")
    dialog.locator("#auth-bearer-value").fill(token)
    dialog.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close").click()
    workflow = ui.page.locator("#operations-workflow-get_workflow")
    workflow.locator(".opblock-summary").click()
    workflow.get_by_role("button", name="Try it out").click()
    workflow.get_by_role("button", name="Execute").click()
    expect(workflow.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(workflow.locator(".live-responses-table")).to_contain_text('"initial": "registered"')
    ui.shot("api-docs")
    assert asked and all(url.startswith(live_server.url) for url in asked), asked
