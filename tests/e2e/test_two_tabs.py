"""Two staff members on the same registered case: the second click is refused, and nothing is doubled."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Case, CaseEvent
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory


def test_second_staff_accepting_a_case_already_accepted_is_told_why(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, session: Session
) -> None:
    case = seed.case("registered", community=cast.community)
    colleague = seed.user("staff", communities=[cast.community])
    first, second = open_ui(), open_ui()
    first.login(cast.staff)
    second.login(colleague)
    for tab in (first, second):
        tab.goto(f"/cases/{case.id}")
        expect(tab.action("accept")).to_have_count(1)

    first.fire("accept")
    number = first.testid("case-number").inner_text()
    assert number.endswith("第0001号"), number

    second.action("accept").locator("summary").click()
    second.action("accept").locator('button[type="submit"]').click()
    error = second.page.locator("p.flash.error[role=alert]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("受理")
    expect(second.testid("case-number")).to_have_text(number)
    expect(second.testid("state")).to_have_text("已受理")
    second.shot("second-accept-refused")

    session.rollback()
    session.expire_all()
    accepts = session.exec(
        select(func.count()).select_from(CaseEvent).where(col(CaseEvent.trigger) == "accept")
    ).one()
    assert accepts == 1
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.number == number


def test_stale_form_is_refused_with_a_flash(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, session: Session
) -> None:
    """A form built on an old version of the case (another tab changed it since) is refused, not applied."""
    case = seed.case("registered", community=cast.community)
    first, second = open_ui(), open_ui()
    first.login(cast.staff)
    second.login(cast.staff)
    for tab in (first, second):
        tab.goto(f"/cases/{case.id}")
    first.fire("flag_risk", {"level": "yellow"})
    expect(first.testid("risk")).to_have_text("黄色")

    action = second.action("flag_risk")
    action.locator("summary").click()
    action.locator('[name="level"]').select_option("orange")
    action.locator('button[type="submit"]').click()
    expect(second.page.locator("p.flash.error[role=alert]")).to_be_visible()
    expect(second.testid("risk")).to_have_text("黄色")
    second.shot("stale-refused")
    session.rollback()
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.risk_level == "yellow"
