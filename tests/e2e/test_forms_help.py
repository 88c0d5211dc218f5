"""What the browser does for the user on forms: live character counts, the party just added on screen."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.conftest import Cast
from tests.e2e.ui import UI

LIMIT = 5000


def test_pasting_over_the_limit_says_so(open_ui: Callable[..., UI], cast: Cast) -> None:
    """10,000 characters pasted into 纠纷简要情况 keep 5,000, and the count under the field says why."""
    ui = open_ui(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    ui.login(cast.staff)
    ui.goto("/cases/new")
    facts = ui.page.locator('textarea[name="facts"]')
    expect(facts).to_have_attribute("maxlength", str(LIMIT))
    count = ui.page.locator("#facts-count")
    expect(count).to_have_text(f"0 / {LIMIT} 字")
    facts.press_sequentially("楼上漏水")
    expect(count).to_have_text(f"4 / {LIMIT} 字")
    expect(facts).to_have_attribute("aria-describedby", re.compile(r"\bfacts-count\b"))

    facts.fill("")
    ui.page.evaluate("text => navigator.clipboard.writeText(text)", "长" * 10_000)
    facts.focus()
    ui.page.keyboard.press("Control+V")
    expect(facts).to_have_js_property("value", "长" * LIMIT)  # the browser keeps 5,000
    expect(count).to_contain_text(f"{LIMIT} / {LIMIT} 字")
    expect(count).to_contain_text("5000 字超出上限，没有输入")
    expect(count).to_have_attribute("data-state", "over")

    ui.page.keyboard.press("Backspace")
    expect(count).to_have_text(f"{LIMIT - 1} / {LIMIT} 字")
    ui.page.keyboard.type("长")
    expect(count).to_have_text(f"{LIMIT} / {LIMIT} 字，已达上限，不能再输入")
    ui.shot("facts-at-limit")


def test_added_party_is_on_screen(ui: UI, cast: Cast) -> None:
    """添加当事人 brings the page back at the new party's fields, not at the top."""
    ui.login(cast.staff)
    ui.goto("/cases/new")
    ui.page.locator('textarea[name="facts"]').fill("楼上漏水")
    for n in (3, 4):
        ui.page.locator('button[name="add_party"]').click()
        expect(ui.page).to_have_url(re.compile(rf"/cases/new#party-{n}$"))
        party = ui.page.locator(f"#party-{n}")
        expect(party.locator(f'[name="parties-{n - 1}-name"]')).to_be_in_viewport()
        assert ui.page.evaluate("window.scrollY") > 0, "the page came back at the top"
    expect(ui.page.locator('textarea[name="facts"]')).to_have_value("楼上漏水")  # nothing typed is lost
    ui.shot("fourth-party")
