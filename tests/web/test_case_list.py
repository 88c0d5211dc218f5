"""The case list (/cases/) and the user's queue (/cases/mine)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from models import Party
from services import clock
from tests.web.case_helpers import distinct_parties, login, text


def _listed(html: str) -> list[int]:
    """Case ids in the table, in order."""
    return [int(i) for i in re.findall(r'<a href="/cases/(\d+)">', html)]


def _case(factory, state="registered", **kw):
    return factory.case(state, parties=kw.pop("parties", None) or distinct_parties(), **kw)


def test_list_shows_chinese_labels_dates_and_counts(client, factory):
    a = _case(factory, "registered")
    _case(factory, "registered")
    _case(factory, "mediating")
    login(client, factory.staff())
    page = text(client.get("/cases/"))
    assert 'data-testid="total">3<' in page
    assert 'data-state-count="registered">2<' in page
    assert 'data-state-count="mediating">1<' in page
    assert 'data-state-count="closed">0<' in page
    assert "已登记" in page and "调解中" in page
    assert clock.local_date().strftime("%Y年") in page
    assert f"{clock.local_date().year}年{clock.local_date().month}月{clock.local_date().day}日" in page
    assert a.id in _listed(page)


def test_state_filter_keeps_counts_of_other_states(client, factory):
    _case(factory, "registered")
    m = _case(factory, "mediating")
    login(client, factory.staff())
    page = text(client.get("/cases/?state=mediating"))
    assert _listed(page) == [m.id]
    assert 'data-testid="total">1<' in page
    assert 'data-state-count="registered">1<' in page


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("tier=mediator", "general"),
        ("severity=major", "major"),
        ("category=物业", "property"),
        ("overdue=1", "overdue"),
    ],
)
def test_filters(client, factory, query, expect):
    made = {
        "minor": _case(factory, "accepted"),
        "general": _case(factory, "accepted", claimed_amount=Decimal("3000")),
        "major": _case(factory, "accepted", claimed_amount=Decimal("30000")),
        "property": _case(factory, "registered", category="物业"),
        "overdue": _case(factory, "accepted", now=datetime.now(UTC) - timedelta(days=40)),
    }
    login(client, factory.staff())
    assert _listed(text(client.get(f"/cases/?{query}"))) == [made[expect].id]


def test_assignee_and_month_filters(client, factory):
    assigned = _case(factory, "assigned")
    _case(factory, "accepted", now=datetime(2026, 3, 10, 4, 0, tzinfo=UTC))
    login(client, factory.staff())
    assert _listed(text(client.get(f"/cases/?assignee_id={assigned.assignee_id}"))) == [assigned.id]
    march = text(client.get("/cases/?month=2026-03"))
    assert len(_listed(march)) == 1
    bad = client.get("/cases/?month=2026-99")
    assert bad.status_code == 200 and "月份格式应为" in text(bad)


def test_search_by_number_name_and_phone(client, factory):
    a = _case(factory, "accepted", parties=distinct_parties("欧阳娜娜", "李四"))
    b = _case(factory, "registered", parties=distinct_parties("钱多多", "孙小美"))
    login(client, factory.staff())
    assert _listed(text(client.get("/cases/", query_string={"q": a.number}))) == [a.id]
    assert _listed(text(client.get("/cases/", query_string={"q": "欧阳"}))) == [a.id]
    assert _listed(text(client.get("/cases/", query_string={"q": "孙小美"}))) == [b.id]
    query = select(Party.phone).where(Party.case_id == b.id, Party.role == "applicant")
    ph = factory.session.exec(query).one()
    assert _listed(text(client.get("/cases/", query_string={"q": ph}))) == [b.id]
    nothing = text(client.get("/cases/", query_string={"q": "没有这个人"}))
    assert _listed(nothing) == [] and "没有符合条件的案件" in nothing


def test_pagination_links_keep_filters(client, factory, app):
    app.config["PAGE_SIZE"] = 2
    made = [_case(factory, "registered") for _ in range(5)]
    login(client, factory.staff())
    first = text(client.get("/cases/?state=registered"))
    assert _listed(first) == [made[4].id, made[3].id]
    assert "第 1 / 3 页" in first
    assert re.search(r'href="/cases/\?(?=[^"]*page=2)(?=[^"]*state=registered)[^"]*"', first)
    third = text(client.get("/cases/?state=registered&page=3"))
    assert _listed(third) == [made[0].id]
    far = client.get("/cases/?page=999")
    assert far.status_code == 200 and _listed(text(far)) == [made[0].id]


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-4", "community_id=abc", "assignee_id=x", "sort=evil", "state=nope", "tier=x",
     "q=" + "长" * 500, "q=%25%27%22<script>", "month=abcd-ef", "severity=';drop"],
)  # fmt: skip
def test_odd_parameters_never_500(client, factory, query):
    _case(factory)
    login(client, factory.staff())
    resp = client.get(f"/cases/?{query}")
    assert resp.status_code == 200
    assert "<script>" not in text(resp).split("<main>", 1)[1]


def test_other_communities_are_never_listed(client, factory):
    mine, theirs = factory.community(), factory.community()
    own = _case(factory, "registered", community=mine)
    hidden = _case(factory, "registered", community=theirs)
    login(client, factory.staff(mine))
    assert _listed(text(client.get("/cases/"))) == [own.id]
    assert _listed(text(client.get(f"/cases/?community_id={theirs.id}"))) == []
    assert _listed(text(client.get("/cases/", query_string={"q": "张三"}))) == [own.id]
    assert hidden.id not in _listed(text(client.get("/cases/mine")))


def test_mine_for_a_member_lists_overdue_first(client, factory):
    volunteer = factory.member("volunteer")
    recent = _case(factory, "mediating")
    overdue = _case(factory, "assigned", now=datetime.now(UTC) - timedelta(days=45))
    _case(factory, "closed")
    login(client, volunteer)
    page = text(client.get("/cases/mine"))
    assert _listed(page) == [overdue.id, recent.id]
    assert "已超期" in page and 'class="overdue"' in page


def test_mine_for_staff_lists_their_steps(client, factory):
    registered = _case(factory, "registered")
    accepted = _case(factory, "accepted")
    _case(factory, "mediating")
    login(client, factory.staff())
    assert set(_listed(text(client.get("/cases/mine")))) == {registered.id, accepted.id}


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_mine_sends_leaders_and_admins_to_the_list(client, factory, role):
    login(client, factory.user(role))
    resp = client.get("/cases/mine")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/cases/")


def test_list_needs_login(client):
    assert client.get("/cases/").status_code == 302
    assert client.get("/cases/mine").status_code == 302


def test_mine_pages_through_a_long_queue(app, client, factory):
    app.config["PAGE_SIZE"] = 3
    community = factory.community()
    ids = [_case(factory, "registered", community=community).id for _ in range(7)]
    login(client, factory.staff(community))
    first = text(client.get("/cases/mine"))
    assert 'data-testid="total">7<' in first and "第 1/3 页" in first
    assert _listed(first) == ids[:3]
    assert '<a rel="next" href="/cases/mine?page=2">下一页</a>' in first and 'rel="prev"' not in first
    last = text(client.get("/cases/mine?page=3"))
    assert _listed(last) == ids[6:] and 'rel="next"' not in last
    assert _listed(text(client.get("/cases/mine?page=99"))) == ids[6:]  # past the end: the last page
