"""On a 390px phone every page fits the screen's width, and every visible input has a label."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from models import Case, User
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
LONG_FACTS = (
    "申请人反映被申请人长期在楼道堆放杂物并占用公共消防通道，多次协商未果，"
    "要求被申请人清理杂物并赔偿因此造成的电动车损坏费用。" * 3
)

# On a phone Chromium widens window.innerWidth to fit too-wide content, so the screen's width is passed in.
OVERFLOW_JS = """
(screen) => {
  const width = Math.min(window.innerWidth, screen);
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const testid = el.getAttribute('data-testid');
    if (testid) s += `[data-testid=${testid}]`;
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || clipped(el)) continue;
    const spills = getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth - el.clientWidth : 0;
    const right = r.right + Math.max(0, spills);
    if (right > width + 0.5) offenders.push({el, right, width: r.width + Math.max(0, spills)});
  }
  offenders.sort((a, b) => b.right - a.right || b.width - a.width);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    offenders: offenders.slice(0, 5).map(o => `${describe(o.el)} (right edge ${Math.round(o.right)}px)`),
  };
}
"""

UNLABELLED_JS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const hidden = style.visibility === 'hidden' || style.display === 'none';
    if ((r.width === 0 && r.height === 0) || hidden) continue;
    const byLabel = [...(el.labels || [])].some(l => l.textContent.trim() !== '');
    const byAria = (el.getAttribute('aria-label') || '').trim() !== '';
    const byRef = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .some(id => (document.getElementById(id)?.textContent || '').trim() !== '');
    if (!(byLabel || byAria || byRef)) {
      bad.push(`${el.tagName.toLowerCase()}[name=${el.name || ''}]#${el.id || ''}`);
    }
  }
  return bad;
}
"""


def check_phone_page(ui: UI, name: str) -> None:
    """No sideways scrolling (naming the widest culprits) and no unlabelled visible field."""
    ui.page.wait_for_load_state("load")
    found = ui.page.evaluate(OVERFLOW_JS, PHONE["viewport"]["width"])
    assert found["scrollWidth"] <= found["width"], (
        f"{name}: horizontal overflow, scrollWidth {found['scrollWidth']}px > {found['width']}px; "
        f"widest offending elements: {found['offenders']}"
    )
    unlabelled = ui.page.evaluate(UNLABELLED_JS)
    assert not unlabelled, f"{name}: visible inputs without a label: {unlabelled}"
    ui.shot(name)


def open_actions(ui: UI) -> int:
    """Open every action's <details> so its form's fields are on screen too."""
    actions = ui.page.locator("details.action")
    count = actions.count()
    for i in range(count):
        if not actions.nth(i).evaluate("details => details.open"):
            actions.nth(i).locator("summary").click()
        expect(actions.nth(i)).to_have_attribute("open", "")
    return count


@pytest.fixture
def phone(open_ui: Callable[..., UI]) -> UI:
    return open_ui(**PHONE)


@pytest.fixture
def cases(seed: Factory, cast: Cast) -> dict[str, Case]:
    """Cases in a few states, one with long facts, so lists and pages carry real content."""
    c = cast.community
    return {
        "registered": seed.case("registered", community=c, facts=LONG_FACTS),
        "accepted": seed.case("accepted", community=c),
        "mediating": seed.case("mediating", community=c),
        "agreed": seed.case("agreed", community=c),
    }


PAGES = ["login", "desk", "mine", "list", "new", "case", "workflow", "stats"]


@pytest.mark.parametrize("which", PAGES)
def test_staff_pages_fit_a_phone(phone: UI, cast: Cast, cases: dict[str, Case], which: str) -> None:
    if which == "login":
        phone.goto("/login")
        check_phone_page(phone, "login")
        return
    phone.login(cast.staff)
    if which == "desk":
        expect(phone.page.locator("main section[data-section] a[href^='/cases/']").first).to_be_visible()
    elif which == "mine":
        phone.goto("/cases/mine")
        expect(phone.page.locator("main a[href^='/cases/']").first).to_be_visible()
    elif which == "list":
        phone.goto("/cases/")
        expect(phone.page.locator("main a[href^='/cases/']").first).to_be_visible()
    elif which == "new":
        phone.goto("/cases/new")
        phone.page.locator('button[name="add_party"]').click()
        expect(phone.page.locator('[name="parties-2-name"]')).to_have_count(1)
    elif which == "case":
        phone.goto(f"/cases/{cases['registered'].id}")
        assert open_actions(phone) >= 2, "staff should have actions on a registered case"
    elif which == "workflow":
        phone.goto("/workflow")
        diagram = phone.page.locator("main svg").first
        expect(diagram).to_be_visible()  # drawn in the browser by the vendored Mermaid
        for label in ("已登记", "调解中", "已结案"):
            expect(diagram).to_contain_text(label)
    elif which == "stats":
        phone.goto("/stats/")
    check_phone_page(phone, which)


def test_assignee_case_page_fits_a_phone(phone: UI, cast: Cast, seed: Factory) -> None:
    """The assignee's view of a case in mediation: the longest action forms (agreement, session)."""
    case = seed.case("mediating", community=cast.community, facts=LONG_FACTS)
    assert case.assignee_id is not None
    assignee = seed.session.get(User, case.assignee_id)
    assert assignee is not None
    phone.login(assignee)
    phone.goto(f"/cases/{case.id}")
    assert open_actions(phone) >= 3, "the assignee should have actions on a case in mediation"
    expect(phone.action("record_agreement")).to_have_count(1)
    check_phone_page(phone, "case-mediating")
