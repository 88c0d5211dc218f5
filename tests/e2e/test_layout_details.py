"""Small things of the layout: the site icon, whole ID numbers, the case list's filters on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Cast
from tests.e2e.test_phone_layout import PHONE
from tests.e2e.ui import UI, PartyRow, fill_intake, id_number, submit_intake
from tests.factories import Factory


def test_first_load_finds_the_icon(open_ui: Callable[..., UI]) -> None:
    """A fresh browser on the login page: no console error (a missing /favicon.ico was one), an icon."""
    ui = open_ui(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    ui.page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    ui.goto("/login")
    ui.page.wait_for_load_state("networkidle")
    assert not errors, f"console errors on first load: {errors}"
    href = ui.page.locator('link[rel="icon"]').get_attribute("href")
    assert href
    for path in (href, "/favicon.ico"):
        resp = ui.page.request.get(ui.base_url + path)
        assert resp.status == 200, path
        assert resp.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon"), path


LINES_OF = """
(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}
"""


@pytest.mark.parametrize("width", [1280, 1366, 390])
def test_id_number_stays_on_one_line(open_ui: Callable[..., UI], cast: Cast, width: int) -> None:
    options = PHONE if width == 390 else {"viewport": {"width": width, "height": 900}}
    ui = open_ui(**options)
    ui.login(cast.staff)
    ui.goto("/cases/new")
    number = id_number("19850615", 42)
    parties = [PartyRow("applicant", "王建华", "13912345678", number), PartyRow("respondent", "李秀兰")]
    fill_intake(ui, community="幸福社区", facts="楼上漏水", parties=parties)
    submit_intake(ui)
    cell = ui.page.locator("dd.pii").filter(has_text=number)
    expect(cell).to_have_count(1)
    assert ui.page.evaluate(LINES_OF, cell.element_handle()) == 1, f"the ID number wraps at {width}px"
    width_used = ui.page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, f"the page is wider than the screen ({width_used}px)"


def test_phone_list_shows_cases_before_filters(phone: UI, cast: Cast, seed: Factory) -> None:
    """On a 390px phone the first case is on the first screen; the filters are one tap away."""
    for _ in range(3):
        seed.case("accepted", community=cast.community)
    phone.login(cast.staff)
    phone.goto("/cases/?tier=volunteer")
    box = phone.page.locator("details.filters-box")
    expect(box).not_to_have_attribute("open", "")
    expect(box.locator("summary")).to_contain_text("已设 1 项")
    first = phone.page.locator("table.cases tbody tr").first
    expect(first).to_be_in_viewport()
    top = first.bounding_box()
    assert top and top["y"] + top["height"] <= PHONE["viewport"]["height"], "the first case is below the fold"
    box.locator("summary").click()
    expect(phone.page.locator("#q")).to_be_visible()
    expect(phone.page.locator("#tier")).to_have_value("volunteer")
    phone.shot("filters-open")


def test_desktop_list_keeps_filters_open(ui: UI, cast: Cast) -> None:
    ui.login(cast.staff)
    ui.goto("/cases/")
    expect(ui.page.locator("details.filters-box")).to_have_attribute("open", "")
    expect(ui.page.locator("#q")).to_be_visible()


@pytest.fixture
def phone(open_ui: Callable[..., UI]) -> UI:
    return open_ui(**PHONE)
