"""Admin pages of the clocks and reminders: 节假日安排 (override table) and 提醒发送记录 (delivery log)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from models import AdminEvent, HolidayOverride
from services.reminders import remind, set_channels
from services.reminders_channels import EmailChannel
from tests.factories import Factory
from tests.receivers import free_port
from tests.web.case_helpers import distinct_parties, login, text, token_from
from tests.web.test_desk import TODAY, at
from workflow.workdays import package_years


def admin(client: FlaskClient, factory: Factory) -> None:
    login(client, factory.user("admin", communities=[]))


def overrides(session: Session) -> dict[date, tuple[bool, str]]:
    session.rollback()
    return {o.day: (o.working, o.note) for o in session.exec(select(HolidayOverride))}


@pytest.mark.parametrize("role", ["staff", "volunteer", "leader"])
def test_only_admins_open_them(client: FlaskClient, factory: Factory, role: str) -> None:
    login(client, factory.user(role))
    assert client.get("/admin/holidays").status_code == 403
    assert client.get("/admin/deliveries").status_code == 403


def test_the_page_says_which_years_are_known_and_warns_of_a_missing_one(
    client: FlaskClient, factory: Factory
) -> None:
    admin(client, factory)
    page = text(client.get("/admin/holidays"))
    known = package_years()
    assert f"已收录 {known[0]}–{known[-1]} 年" in page
    missing = [y for y in (TODAY.year, TODAY.year + 1) if y > known[-1]]
    for year in missing:
        assert f"{year} 年的节假日安排尚未收录" in page


def test_add_a_day_off_and_a_working_day_then_delete_one(
    client: FlaskClient, factory: Factory, session: Session
) -> None:
    admin(client, factory)
    next_year = package_years()[-1] + 1
    for day, kind, note in (
        (date(next_year, 10, 1), "off", "国庆节"),
        (date(next_year, 9, 26), "work", "调休"),
    ):
        token = token_from(client, "/admin/holidays")
        resp = client.post(
            "/admin/holidays", data={"csrf_token": token, "day": day.isoformat(), "kind": kind, "note": note}
        )
        assert resp.status_code == 303
    assert overrides(session) == {
        date(next_year, 10, 1): (False, "国庆节"),
        date(next_year, 9, 26): (True, "调休"),
    }
    page = text(client.get("/admin/holidays"))
    assert f"{next_year}年10月1日" in page and "上班（调休工作日）" in page
    assert f"{next_year} 年的节假日安排尚未收录" not in page
    token = token_from(client, "/admin/holidays")
    assert (
        client.post(f"/admin/holidays/{next_year}-09-26/delete", data={"csrf_token": token}).status_code
        == 303
    )
    assert list(overrides(session)) == [date(next_year, 10, 1)]
    session.rollback()
    actions = [e.action for e in session.exec(select(AdminEvent).order_by(AdminEvent.id))]
    assert actions[-3:] == ["set_holiday", "set_holiday", "delete_holiday"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"day": "2027-02-30", "kind": "off"}, "日期格式不正确"),
        ({"day": "", "kind": "off"}, "请填写日期"),
        ({"day": "2027-02-01", "kind": "maybe"}, "不是有效的选择"),
        ({"day": "2027-02-01"}, "请选择放假或上班"),
        ({"day": "2027-02-01", "kind": "off", "note": "节" * 101}, "说明最多 100 个字"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    client: FlaskClient, factory: Factory, session: Session, form: dict[str, str], message: str
) -> None:
    admin(client, factory)
    token = token_from(client, "/admin/holidays")
    resp = client.post("/admin/holidays", data={"csrf_token": token, **form})
    page = text(resp)
    assert resp.status_code == 422 and message in page
    if form.get("day"):
        assert f'value="{form["day"]}"' in page
    assert overrides(session) == {}


def test_deleting_a_day_that_has_no_override_says_so(client: FlaskClient, factory: Factory) -> None:
    admin(client, factory)
    token = token_from(client, "/admin/holidays")
    resp = client.post("/admin/holidays/2027-01-01/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "该日期没有录入的安排" in text(resp)
    assert client.post("/admin/holidays/not-a-day/delete", data={"csrf_token": token}).status_code == 404


def test_an_override_moves_the_confirmation_deadline_on_the_case_page(
    client: FlaskClient, factory: Factory
) -> None:
    effective = TODAY - timedelta(days=10)
    case = factory.case("mediating", now=at(effective), parties=distinct_parties())
    case = factory.fire(case, "record_agreement", now=at(effective))
    closes = effective + timedelta(days=30)
    admin(client, factory)
    before = text(client.get(f"/cases/{case.id}"))
    token = token_from(client, "/admin/holidays")
    for offset in range(0, 12):  # every day from the last day on is a day off …
        day = closes + timedelta(days=offset)
        client.post("/admin/holidays", data={"csrf_token": token, "day": day.isoformat(), "kind": "off"})
    working = closes + timedelta(days=12)  # … up to a working day
    client.post("/admin/holidays", data={"csrf_token": token, "day": working.isoformat(), "kind": "work"})
    after = text(client.get(f"/cases/{case.id}"))
    shown = f"{working.year}年{working.month}月{working.day}日"
    assert shown not in before and f'data-testid="confirmation-closes">{shown}' in after


def test_the_delivery_log_shows_failures_with_their_reason(
    client: FlaskClient, factory: Factory, app_session: Session
) -> None:
    factory.case("assigned", now=at(TODAY - timedelta(days=32)), parties=distinct_parties())
    volunteer = factory.member("volunteer")
    set_channels(
        session=app_session, user_id=volunteer.id or 0, email="v@example.cn", by_email=True, by_webhook=False
    )
    port = free_port()
    remind(session=app_session, channels={"email": EmailChannel("127.0.0.1", port, "x@y.cn", timeout=2)})
    admin(client, factory)
    page = text(client.get("/admin/deliveries?status=failed"))
    assert 'data-status="failed"' in page and "v@example.cn" in page and f"127.0.0.1:{port}" in page
    assert volunteer.username in page
    assert 'data-status="failed"' not in text(client.get("/admin/deliveries?status=sent"))
    assert client.get("/admin/deliveries?status=nonsense").status_code == 200


def test_the_policy_page_sets_each_clocks_last_day_and_the_escalation(
    client: FlaskClient, factory: Factory
) -> None:
    from tests.web.test_admin import _policy_data

    effective = date(2026, 9, 1)  # + 30 days = National Day
    agreed = factory.case("mediating", now=at(effective), parties=distinct_parties())
    agreed = factory.fire(agreed, "record_agreement", now=at(effective))
    factory.case("assigned", now=at(TODAY - timedelta(days=32)), parties=distinct_parties())  # 2 days late
    leader = factory.user("leader")
    admin(client, factory)
    page = text(client.get("/admin/policy"))
    assert re.search(r'<input checked id="confirmation_last_day-\d"[^>]*value="next_working_day">', page)
    assert "最后一日遇节假日顺延至节后第一个工作日" in page
    assert "2026年10月8日" in text(client.get(f"/cases/{agreed.id}"))
    resp = client.post(
        "/admin/policy",
        data=_policy_data(client, confirmation_last_day="calendar", escalate_overdue_days="2"),
    )
    assert resp.status_code == 303
    assert 'data-testid="confirmation-closes">2026年10月1日' in text(client.get(f"/cases/{agreed.id}"))
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    login(client, leader)
    desk = text(client.get("/"))
    assert 'data-section="escalated"' in desk and "超期 2 天以上的案件" in desk


def test_a_database_fault_gives_the_holiday_form_back_as_typed(db_url: str) -> None:
    from tests.dbfaults import returns
    from tests.web.test_faults import BUSY, is_unavailable_page, lock_held, site

    with site(db_url) as (app, factory):
        client = app.test_client()
        login(client, factory.user("admin", communities=[]))
        typed = {"csrf_token": token_from(client, "/admin/holidays"), "day": "2027-10-01", "kind": "off",
                 "note": "锁期间的国庆节"}  # fmt: skip
        with lock_held(db_url, "holiday_override"):
            kept = returns(lambda: client.post("/admin/holidays", data=typed))
            is_unavailable_page(kept, BUSY, "5")
            assert 'value="2027-10-01"' in text(kept) and 'value="锁期间的国庆节"' in text(kept)
        assert client.post("/admin/holidays", data=typed).status_code == 303
