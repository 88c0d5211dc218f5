"""Bad input in the browser: a clear Chinese message beside the field, nothing written, nothing lost."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from models import Case, CaseEvent, Party, User
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI, PartyRow, bad_check_digit, fill_intake, id_number, submit_intake
from tests.factories import Factory

FACTS = "两户因共用楼道堆放杂物发生争执。"

# The field-error next to a field: inside the same small container, or named by aria-describedby.
FIELD_ERROR_JS = """
(name) => {
  const input = document.querySelector(`[name="${name}"]`);
  if (!input) return null;
  const texts = [];
  for (const id of (input.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)) {
    const el = document.getElementById(id);
    if (el) texts.push(el.textContent.trim());
  }
  let box = input.parentElement;
  for (let depth = 0; box && depth < 3 && texts.length === 0; depth += 1, box = box.parentElement) {
    for (const el of box.querySelectorAll('.field-error')) texts.push(el.textContent.trim());
  }
  return texts;
}
"""


def count(session: Session, model: type) -> int:
    session.rollback()
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(model)).one())


def test_wrong_id_check_digit_is_refused_beside_the_field(ui: UI, cast: Cast, session: Session) -> None:
    page = ui.page
    good = id_number("19800215", 46)
    ui.login(cast.staff)
    ui.goto("/cases/new")
    fill_intake(
        ui,
        community="幸福社区",
        facts=FACTS,
        amount="300",
        parties=[
            PartyRow("applicant", "钱小燕", "13822223333", bad_check_digit(good)),
            PartyRow("respondent", "孙大勇", "13944445555", room="801"),
        ],
    )
    ui.problems.allow(r"status of 422")
    with page.expect_response(
        lambda r: r.url.endswith("/cases/new") and r.request.method == "POST"
    ) as posted:
        submit_intake(ui)
    assert posted.value.status == 422, f"bad input answered {posted.value.status}, expected 422"
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    messages = page.evaluate(FIELD_ERROR_JS, "parties-0-id_number")
    assert messages, "no field-level error beside parties-0-id_number"
    assert any("身份证" in m and re.search(r"校验|无效", m) for m in messages), messages
    # nothing written, nothing lost
    assert count(session, Case) == 0
    assert count(session, Party) == 0
    assert count(session, CaseEvent) == 0
    expect(page.locator('textarea[name="facts"]')).to_have_value(FACTS)
    expect(page.locator('[name="parties-0-name"]')).to_have_value("钱小燕")
    expect(page.locator('[name="parties-0-id_number"]')).to_have_value(bad_check_digit(good))
    expect(page.locator('[name="parties-1-name"]')).to_have_value("孙大勇")
    ui.shot("id-refused")

    page.locator('[name="parties-0-id_number"]').fill(good)
    submit_intake(ui)
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(ui.testid("state")).to_have_text("已登记")
    assert count(session, Case) == 1
    ui.shot("fixed-and-registered")


def test_terminate_without_the_notice_is_refused(ui: UI, cast: Cast, seed: Factory, session: Session) -> None:
    """法 §26: terminating needs the 'routes remain open' notice; without it: 422, field error, no change."""
    case = seed.case("mediating", community=cast.community)
    assert case.assignee_id is not None and case.id is not None
    assignee = session.get(User, case.assignee_id)
    assert assignee is not None
    version = case.version
    ui.login(assignee)
    ui.goto(f"/cases/{case.id}")
    action = ui.action("terminate")
    action.locator("summary").click()
    action.locator('[name="reason"]').fill("双方分歧过大")
    action.locator('[name="route_told"]').fill("可向人民法院起诉")
    expect(action.locator('[name="notice_given"]')).not_to_be_checked()
    ui.problems.allow(r"status of 422")
    ui.page.once("dialog", lambda dialog: dialog.accept())  # terminating asks for confirmation first
    with ui.page.expect_response(
        lambda r: r.request.method == "POST" and f"/cases/{case.id}" in r.url
    ) as posted:
        action.locator('button[type="submit"]').click()
    assert posted.value.status == 422, posted.value.status
    expect(ui.testid("state")).to_have_text("调解中")
    errors = ui.page.evaluate(FIELD_ERROR_JS, "notice_given")
    assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors), errors
    expect(ui.action("terminate").locator('[name="reason"]')).to_have_value("双方分歧过大")
    session.rollback()
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.state == "mediating" and fresh.version == version
    ui.shot("terminate-refused")
