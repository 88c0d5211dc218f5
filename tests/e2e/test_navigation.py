"""The nav of the base layout: the links each role gets, each one working, and the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory

LINKS = {
    "工作台": "/",
    "我的案件": "/cases/mine",
    "案件列表": "/cases/",
    "登记纠纷": "/cases/new",
    "统计": "/stats/",
    "流程图": "/workflow",
    "管理": "/admin/",
}
# role -> the nav links it must have (all others must be absent); where login lands.
ROLES = {
    "staff": ({"工作台", "我的案件", "案件列表", "登记纠纷", "统计", "流程图"}, r"/$"),
    "volunteer": ({"工作台", "我的案件", "案件列表", "流程图"}, r"/$"),
    "judge": ({"工作台", "我的案件", "案件列表", "流程图"}, r"/$"),
    "leader": ({"工作台", "案件列表", "统计", "流程图"}, r"/$"),
    "admin": ({"工作台", "案件列表", "登记纠纷", "统计", "流程图", "管理"}, r"/$"),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_nav_links_by_role(ui: UI, seed: Factory, cast: Cast, role: str) -> None:
    wanted, lands = ROLES[role]
    user = seed.user(role, communities=[] if role == "admin" else [cast.community])
    ui.login(user, lands=lands)
    nav = ui.page.locator("nav")
    for text, href in LINKS.items():
        link = nav.get_by_role("link", name=text, exact=True)
        if text in wanted:
            expect(link, f"{role} should have the {text} link").to_have_count(1)
            expect(link).to_have_attribute("href", href)
        else:
            expect(link, f"{role} should not have the {text} link").to_have_count(0)
    for text in sorted(wanted, key=list(LINKS).index):
        ui.nav(text)
        expect(ui.page).to_have_url(re.compile(rf"{re.escape(LINKS[text])}$|/cases/$"))
        expect(ui.page.locator("h1").first).to_be_visible()
    ui.shot(f"nav-{role}")


def test_language_switch_and_back(ui: UI, cast: Cast) -> None:
    page = ui.page
    ui.login(cast.staff)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("nav").get_by_role("link", name="My cases")).to_be_visible()
    ui.shot("english")
    page.locator("header").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("nav").get_by_role("link", name="我的案件", exact=True)).to_be_visible()
    ui.logout()
