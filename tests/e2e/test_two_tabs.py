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

    second.problems.allow(r"status of 409")
    second.action("accept").locator('[name="note"]').fill("已与双方电话核实")
    second.action("accept").locator('button[type="submit"]').click()  # its form came open: the next step
    error = second.testid("error-summary")
    expect(error).to_be_visible()
    expect(error).to_contain_text("受理")
    expect(second.page.locator('[data-testid="unsent"] [name="note"]')).to_have_value("已与双方电话核实")
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


def test_stale_form_is_refused_and_keeps_what_was_chosen(
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
    second.problems.allow(r"status of 409")
    action.locator('button[type="submit"]').click()
    expect(second.testid("error-summary")).to_contain_text("此案件已被他人修改")
    expect(second.testid("risk")).to_have_text("黄色")
    expect(second.action("flag_risk").locator('[name="level"]')).to_have_value("orange")  # kept as chosen
    second.shot("stale-refused")
    session.rollback()
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.risk_level == "yellow"
