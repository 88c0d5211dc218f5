"""工作台 per role, its links to the case list, the inbox and its unread count, the case page's dates."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from models import Case, InboxMessage, User
from services import clock
from services.reminders import remind
from tests.factories import Factory, bj
from tests.web.case_helpers import distinct_parties, login, text, token_in
from web.display import cn_date

TODAY = clock.local_date()


def at(day: date) -> datetime:
    return bj(day.year, day.month, day.day, 8)


def due_on(factory: Factory, deadline: date, state: str = "assigned", **kw: object) -> Case:
    return factory.case(state, now=at(deadline - timedelta(days=30)), parties=distinct_parties(), **kw)


def section(page: str, key: str) -> str:
    found = re.search(rf'<section class="card" data-section="{key}">(.*?)</section>', page, re.S)
    assert found, f"no section {key}"
    return found.group(1)


def rows(part: str) -> dict[int, str]:
    """case id → the row's text, of one section."""
    return {
        int(case_id): re.sub(r"<[^>]+>", "", body)
        for case_id, body in re.findall(r'<tr data-case="(\d+)"[^>]*>(.*?)</tr>', part, re.S)
    }


def test_volunteer_desk_shows_due_dates_and_days_left(client: FlaskClient, factory: Factory) -> None:
    late = due_on(factory, TODAY - timedelta(days=1))
    soon = due_on(factory, TODAY + timedelta(days=3))
    later = due_on(factory, TODAY + timedelta(days=4))
    volunteer = factory.member("volunteer")
    login(client, volunteer)
    resp = client.get("/")
    page = text(resp)
    assert resp.status_code == 200 and "<h1>工作台</h1>" in page
    overdue = rows(section(page, "overdue"))
    assert list(overdue) == [late.id]
    assert cn_date(TODAY - timedelta(days=1)) in overdue[late.id] and "已超期 1 天" in overdue[late.id]
    due_soon = rows(section(page, "due_soon"))
    assert list(due_soon) == [soon.id] and "还剩 3 天" in due_soon[soon.id]
    assert later.id not in due_soon
    assert f'href="/cases/{late.id}"' in section(page, "overdue")
    assert "暂无" in section(page, "follow_up") and "暂无" in section(page, "confirmation")
    assert 'data-section="waiting"' not in page and 'data-section="communities"' not in page


def test_staff_desk(client: FlaskClient, factory: Factory) -> None:
    waiting = factory.case("registered", now=clock.now() - timedelta(days=2), parties=distinct_parties())
    unassigned = factory.case("accepted", parties=distinct_parties())
    overdue = due_on(factory, TODAY - timedelta(days=2))
    login(client, factory.staff())
    page = text(client.get("/"))
    assert list(rows(section(page, "waiting"))) == [waiting.id]
    assert "已等待 2 天" in rows(section(page, "waiting"))[waiting.id]
    assert list(rows(section(page, "unassigned"))) == [unassigned.id]
    assert "未指派" in rows(section(page, "unassigned"))[unassigned.id]
    assert list(rows(section(page, "community_overdue"))) == [overdue.id]
    assert factory.member("volunteer").display_name in rows(section(page, "community_overdue"))[overdue.id]
    assert 'data-section="overdue"' not in page


def _links(page: str, community_id: int) -> dict[str, tuple[str, int]]:
    row = re.search(rf'<tr data-community="{community_id}">(.*?)</tr>', page, re.S)
    assert row
    return {
        kind: (html.unescape(href), int(n))
        for href, kind, n in re.findall(r'<a href="([^"]+)"[^>]*data-count="(\w+)">(\d+)</a>', row.group(1))
    }


def test_leader_counts_link_to_the_case_list_showing_the_same_cases(
    client: FlaskClient, factory: Factory
) -> None:
    home, other = factory.default_community(), factory.community()
    for days in (1, 5):
        due_on(factory, TODAY - timedelta(days=days))
    due_on(factory, TODAY + timedelta(days=2))
    due_on(factory, TODAY + timedelta(days=2), community=other)
    login(client, factory.user("leader", communities=[home, other]))
    page = text(client.get("/"))
    home_links, other_links = _links(page, home.id or 0), _links(page, other.id or 0)
    assert {k: n for k, (_, n) in home_links.items()} == {"overdue": 2, "due_soon": 1}
    assert {k: n for k, (_, n) in other_links.items()} == {"overdue": 0, "due_soon": 1}
    for href, n in [*home_links.values(), *other_links.values()]:
        listed = text(client.get(href))
        assert f'data-testid="total">{n}<' in listed, href
    assert 'name="due_within" value="3" checked' in text(client.get(home_links["due_soon"][0]))


def test_admin_desk_counts_every_community(client: FlaskClient, factory: Factory) -> None:
    due_on(factory, TODAY - timedelta(days=1))
    due_on(factory, TODAY - timedelta(days=1), community=factory.community())
    login(client, factory.user("admin", communities=[]))
    page = text(client.get("/"))
    assert len(re.findall(r"<tr data-community=", page)) == 2


def _digest(app_session: Session, day: date | None = None) -> None:
    app_session.rollback()
    remind(session=app_session, channels={}, day=day or TODAY)


def test_inbox_unread_count_and_mark_read(
    client: FlaskClient, factory: Factory, app_session: Session
) -> None:
    due_on(factory, TODAY - timedelta(days=1))
    volunteer = factory.member("volunteer")
    _digest(app_session, TODAY - timedelta(days=1))
    _digest(app_session)
    login(client, volunteer)
    page = text(client.get("/"))
    assert 'data-testid="unread"' in page and re.search(r'data-testid="unread"[^>]*>2<', page)
    inbox = text(client.get("/inbox"))
    ids = [int(i) for i in re.findall(r'data-message="(\d+)"', inbox)]
    assert len(ids) == 2 and "<h3>我承办的超期案件" in inbox
    late = cn_date(TODAY - timedelta(days=1))
    assert f"{late}（已超期 1 天）" in inbox and f"{late}（今日到期）" in inbox  # as of each digest's day
    resp = client.post(f"/inbox/{ids[0]}/read", data={"csrf_token": token_in(inbox)})
    assert resp.status_code == 303
    assert re.search(r'data-testid="unread"[^>]*>1<', text(client.get("/")))
    assert client.post(f"/inbox/{ids[1]}/read").status_code == 400  # no CSRF token
    inbox = text(client.get("/inbox"))
    client.post("/inbox/read", data={"csrf_token": token_in(inbox)})
    assert 'data-testid="unread"' not in text(client.get("/"))


def test_nobody_marks_anothers_messages(client: FlaskClient, factory: Factory, app_session: Session) -> None:
    due_on(factory, TODAY - timedelta(days=1))
    volunteer = factory.member("volunteer")
    _digest(app_session)
    app_session.rollback()
    message_id = app_session.exec(select(InboxMessage.id).where(InboxMessage.user_id == volunteer.id)).one()
    login(client, factory.staff())
    page = text(client.get("/inbox"))
    resp = client.post(
        f"/inbox/{message_id}/read", data={"csrf_token": token_in(page)}, follow_redirects=True
    )
    assert "该消息已读或不存在" in text(resp)
    client.post("/logout", data={"csrf_token": token_in(text(resp))})
    login(client, volunteer)
    assert re.search(r'data-testid="unread"[^>]*>1<', text(client.get("/")))


def test_case_page_shows_the_confirmation_deadline_rolled_past_a_day_off(
    client: FlaskClient, factory: Factory
) -> None:
    effective = date(2026, 9, 1)  # + 30 days = National Day: the window runs to 2026-10-08
    case = factory.case("mediating", now=at(effective), parties=distinct_parties())
    case = factory.fire(case, "record_agreement", now=at(effective))
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    shown = re.search(r'data-testid="confirmation-closes">([^<]+)<', page)
    assert shown and shown.group(1).startswith("2026年10月8日（")


def test_the_brand_and_the_nav_lead_to_the_desk(client: FlaskClient, factory: Factory) -> None:
    user: User = factory.user("leader")
    login(client, user)
    page = text(client.get("/cases/"))
    assert '<a class="brand" href="/">' in page and '<a href="/">工作台</a>' in page
    assert client.get("/inbox").status_code == 200


def test_the_desk_and_the_inbox_in_english_count_days_in_english(
    client: FlaskClient, factory: Factory, app_session: Session
) -> None:
    from tests.web.test_i18n import _in_english

    one = due_on(factory, TODAY - timedelta(days=1))
    ten = due_on(factory, TODAY - timedelta(days=10))
    soon = due_on(factory, TODAY + timedelta(days=1))
    volunteer = factory.member("volunteer")
    _digest(app_session)
    _in_english(client, volunteer)
    page = text(client.get("/"))
    overdue, due_soon = rows(section(page, "overdue")), rows(section(page, "due_soon"))
    assert overdue[one.id].strip().endswith("(1 day overdue)")
    assert overdue[ten.id].strip().endswith("(10 days overdue)")
    assert due_soon[soon.id].strip().endswith("(1 day left)") and "My overdue cases" in page
    inbox = text(client.get("/inbox"))
    assert "[People&#39;s mediation] To do on" in inbox and "(3 cases)" in inbox
    assert "(10 days overdue)" in inbox and "My cases due within 3 days" in inbox
    assert not re.search(
        r"[\u4e00-\u9fff]", re.sub(r"<[^>]+data-i18n-keep[^>]*>[^<]*<", "", inbox.split("<main")[1])
    )
