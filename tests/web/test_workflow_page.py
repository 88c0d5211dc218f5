"""The workflow page: vendored Mermaid with the Chinese diagram, and a table of every trigger."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.web.case_helpers import login, text
from workflow.diagram import mermaid
from workflow.triggers import TRIGGERS

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("role", ["staff", "volunteer", "mediator", "judge", "leader", "admin"])
def test_every_logged_in_role_sees_the_page(client, factory, role):
    login(client, factory.user(role))
    resp = client.get("/workflow")
    assert resp.status_code == 200
    assert "办案流程" in text(resp)


def test_page_carries_the_chinese_mermaid_text(client, factory):
    login(client, factory.staff())
    page = text(client.get("/workflow"))
    found = re.search(r'<pre class="mermaid"[^>]*>(.*?)</pre>', page, re.S)
    assert found
    diagram = html.unescape(found.group(1))
    assert diagram == mermaid(chinese=True)
    assert diagram.startswith("stateDiagram-v2")
    assert "registered : 已登记" in diagram
    assert "registered --> accepted : 受理" in diagram


def test_page_loads_the_vendored_script_only(client, factory):
    login(client, factory.staff())
    page = text(client.get("/workflow"))
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert "/static/vendor/mermaid/mermaid.min.js" in sources
    assert all(s.startswith("/static/") for s in sources), sources  # ours or vendored, never a CDN
    assert not re.search(r"<script(?![^>]*src=)[^>]*>", page), "no inline scripts"
    assert (STATIC / "vendor/mermaid/mermaid.min.js").stat().st_size > 1_000_000
    with client.get("/static/vendor/mermaid/mermaid.min.js") as resp:
        assert resp.status_code == 200


def test_table_lists_every_rule_with_labels_guards_and_who(client, factory):
    login(client, factory.staff())
    page = text(client.get("/workflow"))
    rows = re.findall(r'<tr data-trigger="([a-z_]+)">(.*?)</tr>', page, re.S)
    assert [t for t, _ in rows] == [t.name for t in TRIGGERS for _branch in t.branches]
    cells = dict(rows)
    assert str(TRIGGERS["start_mediation"].label) in cells["start_mediation"]
    assert "已告知权利义务" in cells["start_mediation"]  # its guard, in Chinese
    assert "已指派" in cells["start_mediation"] and "调解中" in cells["start_mediation"]
    assert "社区工作人员" in cells["accept"] and "本案承办人" not in cells["accept"]
    assert "本案承办人" in cells["record_agreement"]
    assert "社区法官" in cells["delegate"]
    assert "状态不变" in cells["record_session"]


def test_diagram_page_alone_allows_inline_styles(client, factory):
    login(client, factory.staff())
    csp = client.get("/workflow").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" in csp.split("style-src", 1)[1].split(";")[0]
    assert "unsafe-eval" not in csp
    other = client.get("/settings").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in other
