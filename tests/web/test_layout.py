"""The base layout: nav per role, flash messages, phone viewport, security headers, no outside scripts."""

from __future__ import annotations

import re

import pytest

from tests.web.case_helpers import login, text, token_from

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def _nav(client) -> str:
    found = NAV.search(text(client.get("/workflow")))
    assert found
    return found.group(0)


@pytest.mark.parametrize(
    ("role", "queue", "new_case", "stats", "admin"),
    [
        ("staff", True, True, True, False),
        ("volunteer", True, False, False, False),
        ("mediator", True, False, False, False),
        ("judge", True, False, False, False),
        ("leader", False, False, True, False),
        ("admin", False, True, True, True),
    ],
)
def test_nav_links_follow_the_roles(client, factory, role, queue, new_case, stats, admin):
    login(client, factory.user(role))
    nav = _nav(client)
    assert ('href="/cases/mine">我的案件</a>' in nav) is queue  # leaders and admins have no queue
    assert 'href="/cases/">案件列表</a>' in nav
    assert 'href="/workflow">流程图</a>' in nav
    assert ('href="/cases/new">登记纠纷</a>' in nav) is new_case
    assert ('href="/stats/">统计</a>' in nav) is stats
    assert ('href="/admin/">管理</a>' in nav) is admin


def test_header_has_user_name_settings_language_and_logout(client, factory):
    user = factory.staff()
    login(client, user)
    page = text(client.get("/workflow"))
    assert f'<span class="user-name" data-i18n-keep>{user.display_name}</span>' in page
    assert 'href="/settings"' in page
    assert re.search(
        r'<form method="post" action="/logout"[^>]*>\s*<input type="hidden" name="csrf_token"', page
    )
    assert re.search(r'<button type="submit" class="link">退出', page)
    assert 'action="/locale/en"' in page


def test_every_page_is_made_for_phones(client, factory):
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text(
        client.get("/login")
    )
    login(client, factory.user("admin"))
    for url in ["/workflow", "/settings", "/admin/", "/admin/users", "/admin/policy"]:
        page = text(client.get(url))
        assert 'name="viewport"' in page, url
        assert "/static/css/layout.css" in page, url


def test_flash_messages_follow_the_contract(client, factory):
    login(client, factory.staff())
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    page = text(client.get("/login"))
    assert '<p class="flash info" role="alert">已退出登录。</p>' in page


@pytest.mark.parametrize("url", ["/login", "/workflow", "/settings", "/admin/", "/nowhere"])
def test_security_headers_on_every_response(client, factory, url):
    login(client, factory.user("admin"))
    resp = client.get(url)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp


def test_static_files_carry_the_headers_too(client):
    with client.get("/static/css/layout.css") as resp:
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "style-src 'self'" in resp.headers["Content-Security-Policy"]


def test_no_page_loads_a_script_from_elsewhere_or_inline(client, factory):
    login(client, factory.user("admin"))
    for url in [
        "/workflow",
        "/settings",
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        "/admin/policy",
        "/login",
    ]:
        page = text(client.get(url))
        for src in re.findall(r'<script[^>]*src="([^"]+)"', page):
            assert src.startswith("/static/"), (url, src)
        assert not re.search(r"<script(?![^>]*src=)[^>]*>", page), url
        assert not re.search(r'(src|href)="(https?:)?//', page), url
        assert " style=" not in page, url  # the strict CSP would block inline style attributes


def test_unknown_pages_are_404_with_a_chinese_message(client, factory):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert "找不到该页面或案件" in text(resp)
    login(client, factory.staff())
    assert client.get("/no/such/page").status_code == 404
