"""A volunteer's morning: the desk after login, the reminder in 消息 and its unread count, the case."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from models import User
from services import clock
from services.reminders import remind
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory, bj
from tests.web.case_helpers import distinct_parties


def test_a_volunteer_finds_the_overdue_case_on_the_desk_and_in_the_inbox(
    ui: UI, seed: Factory, cast: Cast, session: Session
) -> None:
    accepted = clock.local_date() - timedelta(days=32)  # deadline two days ago
    case = seed.case(
        "assigned",
        community=cast.community,
        now=bj(accepted.year, accepted.month, accepted.day),
        parties=distinct_parties(),
    )
    assignee = session.get(User, case.assignee_id)
    assert assignee is not None
    session.rollback()
    remind(session=session, channels={})
    page = ui.page
    ui.login(assignee)
    overdue = page.locator('section[data-section="overdue"]')
    expect(overdue.locator(f'tr[data-case="{case.id}"]')).to_contain_text("已超期 2 天")
    unread = page.get_by_test_id("unread")
    expect(unread).to_have_text("1")
    page.get_by_test_id("inbox-link").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))
    message = page.locator("li[data-message]")
    expect(message.locator("h3")).to_contain_text("我承办的超期案件")
    expect(message).to_contain_text("已超期 2 天")
    message.get_by_role("button", name="标为已读").click()
    expect(page.get_by_test_id("unread")).to_have_count(0)
    expect(message).to_contain_text("已读于")
    ui.shot("inbox-read")
    ui.nav("工作台")
    overdue.locator(f'tr[data-case="{case.id}"] a').click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.id}$"))
    expect(page.get_by_test_id("deadline")).to_contain_text("已超期 2 天")
