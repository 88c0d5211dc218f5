"""Intake (登记纠纷): the form, its validation, and the case it creates."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from models import Case, Category, Party
from tests.factories import id_number
from tests.web.case_helpers import fresh, login, snapshot, text, token_from, token_in

GOOD_ID = id_number("19850615", 42)
BAD_CHECKSUM = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def valid(community_id: int, /, **over: str) -> dict[str, str]:
    data = {
        "community_id": str(community_id),
        "category": "邻里",
        "source": "当事人申请",
        "facts": "楼上装修噪音影响休息",
        "claimed_amount": "500",
        "people_involved": "2",
        "risk_level": "none",
        "reported_to": "",
        "place_xiaoqu": "幸福小区",
        "place_building": "3栋",
        "parties-0-role": "applicant",
        "parties-0-name": "王五",
        "parties-0-phone": "13912345678",
        "parties-0-id_number": GOOD_ID,
        "parties-0-address_xiaoqu": "幸福小区",
        "parties-0-address_building": "3栋",
        "parties-0-address_room": "502",
        "parties-1-role": "respondent",
        "parties-1-name": "赵六",
        "parties-1-phone": "",
        "parties-1-id_number": "",
        "parties-1-address_xiaoqu": "幸福小区",
        "parties-1-address_building": "3栋",
        "parties-1-address_room": "602",
        "submit": "1",
    }
    data.update(over)
    return data


@pytest.fixture
def staff_in(client, factory):
    staff = factory.staff()
    login(client, staff)
    return factory.default_community()


def submit(client, data: dict[str, Any]):
    return client.post("/cases/new", data={**data, "csrf_token": token_from(client, "/cases/new")})


def test_form_has_every_input_with_a_label(client, staff_in):
    page = text(client.get("/cases/new"))
    for name in (
        "community_id", "category", "source", "facts", "claimed_amount", "people_involved", "injury",
        "risk_level", "reported_to", "place_xiaoqu", "place_building", "parties-0-role", "parties-0-name",
        "parties-0-phone", "parties-0-id_number", "parties-0-address_xiaoqu", "parties-0-address_building",
        "parties-0-address_room", "parties-1-name",
    ):  # fmt: skip
        assert f'name="{name}"' in page, name
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"[^>]*>', page)
    visible = [i for i in ids if not re.search(rf'id="{re.escape(i)}"[^>]*type="hidden"', page)]
    assert visible
    for ident in visible:
        if "csrf" in ident:
            continue
        assert f'<label for="{ident}"' in page, ident
    assert '<option selected value="respondent">' in page or 'value="respondent" selected' in page
    assert ">登记</button>" in page and ">添加当事人</button>" in page


def test_valid_intake_creates_case_and_shows_triage(client, session, staff_in):
    resp = submit(client, valid(staff_in.id, claimed_amount="25000"))
    assert resp.status_code == 303
    case_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    case = fresh(session, Case, case_id)
    assert case.state == "registered" and case.claimed_amount == Decimal("25000.00")
    assert case.severity_computed == "major"
    parties = session.exec(select(Party).where(Party.case_id == case_id).order_by(Party.id)).all()
    assert [(p.role, p.name, p.id_number) for p in parties] == [
        ("applicant", "王五", GOOD_ID),
        ("respondent", "赵六", ""),
    ]
    page = text(client.get(resp.headers["Location"]))
    assert 'data-testid="severity">较大<' in page and 'data-testid="tier">社区法官<' in page
    assert "争议金额 ≥ 20,000 元" in page
    assert 'data-trigger="accept"' in page and 'data-trigger="reject"' in page


def test_add_party_adds_a_row_without_saving(client, session, staff_in):
    before = snapshot(session)
    resp = submit(client, {**valid(staff_in.id), "add_party": "1"})
    assert resp.status_code == 200
    body = text(resp)
    assert 'name="parties-2-name"' in body and "王五" in body
    assert 'class="field-error"' not in body
    assert snapshot(session) == before


def test_three_parties_are_saved(client, session, staff_in):
    extra = {"parties-2-role": "respondent", "parties-2-name": "孙七", "parties-2-phone": "13700000001"}
    resp = submit(client, valid(staff_in.id, **extra))
    assert resp.status_code == 303
    case = fresh(session, Case, int(resp.headers["Location"].rsplit("/", 1)[1]))
    assert case.parties_count == 3 and case.severity_computed == "general"


def test_id_number_lower_case_x_is_accepted(client, session, factory, staff_in):
    first = "11010119900307002"
    from services.validation import id_check_digit

    number = first + id_check_digit(first)
    resp = submit(client, valid(staff_in.id, **{"parties-0-id_number": number.lower()}))
    assert resp.status_code == 303


BAD = [
    ({"facts": ""}, "请填写纠纷简要情况"),
    ({"facts": "   "}, "请填写纠纷简要情况"),
    ({"facts": "长" * 5001}, "不能超过 5000 个字"),
    ({"parties-0-name": ""}, "请填写当事人姓名"),
    ({"parties-0-name": "名" * 51}, "姓名不能超过 50 个字"),
    ({"parties-0-phone": "12345"}, "手机号码格式不正确"),
    ({"parties-0-phone": "23912345678"}, "手机号码格式不正确"),
    ({"parties-0-id_number": "12345"}, "身份证号码须为 18 位"),
    ({"parties-0-id_number": "110101198002311237"}, "出生日期 1980-02-31 不存在"),
    ({"parties-0-id_number": "110101203001011236"}, "出生日期 2030-01-01 晚于今天"),
    ({"parties-0-id_number": BAD_CHECKSUM}, "校验位不正确"),
    ({"parties-0-address_room": "室" * 21}, "室不能超过 20 个字"),
    ({"place_xiaoqu": "区" * 101}, "小区不能超过 100 个字"),
    ({"reported_to": "报" * 201}, "不能超过 200 个字"),
    ({"claimed_amount": "-1"}, "争议金额须在 0 至 10 亿元之间"),
    ({"claimed_amount": "abc"}, "请填写有效的数字金额"),
    ({"people_involved": "-3"}, "涉及人数须在 0 至 100000 之间"),
    ({"people_involved": "1.5"}, "请填写整数"),
    ({"risk_level": "red", "reported_to": ""}, "红色风险须记录已报告"),
    ({"risk_level": "purple"}, "选项无效"),
    ({"category": "不存在的类型"}, "选项无效"),
    ({"category": ""}, "请选择纠纷类型"),
    ({"source": "随便"}, "选项无效"),
    ({"community_id": ""}, "请选择社区"),
    ({"community_id": "abc"}, "选项无效"),
    ({"parties-1-role": "applicant"}, "至少须有一名申请人和一名被申请人"),
    ({"parties-1-role": "judge"}, "选项无效"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_is_422_with_message_and_saves_nothing(client, session, staff_in, change, message):
    before = snapshot(session)
    resp = submit(client, valid(staff_in.id, **change))
    assert resp.status_code == 422
    body = text(resp)
    assert message in body
    assert 'class="field-error' in body
    assert snapshot(session) == before


def test_other_communitys_id_is_refused(client, session, factory, staff_in):
    other = factory.community()
    before = snapshot(session)
    resp = submit(client, valid(other.id))
    assert resp.status_code == 422
    assert "选项无效" in text(resp)
    assert snapshot(session) == before


def test_script_tags_are_stored_and_shown_escaped(client, session, staff_in):
    resp = submit(
        client, valid(staff_in.id, facts="<script>alert(1)</script>", **{"parties-0-name": "<script>alert"})
    )
    assert resp.status_code == 303
    page = text(client.get(resp.headers["Location"]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_script_tags_are_escaped_on_rerender(client, staff_in):
    resp = submit(client, valid(staff_in.id, facts="<script>alert(1)</script>", **{"parties-0-phone": "1"}))
    assert resp.status_code == 422
    assert "&lt;script&gt;" in text(resp) and "<script>alert" not in text(resp)


def test_post_without_csrf_is_400_and_saves_nothing(client, session, staff_in):
    before = snapshot(session)
    resp = client.post("/cases/new", data=valid(staff_in.id))
    assert resp.status_code == 400
    assert snapshot(session) == before


def test_bad_csrf_token_is_400(client, session, staff_in):
    before = snapshot(session)
    resp = client.post("/cases/new", data={**valid(staff_in.id), "csrf_token": "forged"})
    assert resp.status_code == 400
    assert snapshot(session) == before


def test_only_own_communities_are_offered(client, factory):
    mine, theirs = factory.community("东园社区", "东园"), factory.community("西园社区", "西园")
    login(client, factory.staff(mine))
    page = text(client.get("/cases/new"))
    assert "东园社区" in page and "西园社区" not in page
    assert theirs.id is not None


def test_active_categories_are_offered(client, session, factory, staff_in):
    session.add(Category(name="物业", active=True, position=1))
    session.add(Category(name="邻里", active=True, position=0))
    session.add(Category(name="消费", active=False, position=2))
    session.commit()
    page = text(client.get("/cases/new"))
    select_html = page.split('name="category"', 1)[1].split("</select>", 1)[0]
    assert "物业" in select_html and "邻里" in select_html and "消费" not in select_html
    assert "婚姻家庭" not in select_html


def test_policy_categories_when_none_administered(client, staff_in):
    page = text(client.get("/cases/new"))
    select_html = page.split('name="category"', 1)[1].split("</select>", 1)[0]
    for name in ("婚姻家庭", "邻里", "道路交通事故", "其他"):
        assert name in select_html


@pytest.mark.parametrize("role", ["volunteer", "mediator", "judge", "leader"])
def test_non_staff_cannot_open_intake(client, factory, session, role):
    login(client, factory.user(role))
    assert client.get("/cases/new").status_code == 403
    token = token_in(text(client.get("/cases/")))
    before = snapshot(session)
    resp = client.post("/cases/new", data={**valid(factory.default_community().id), "csrf_token": token})
    assert resp.status_code == 403
    assert snapshot(session) == before


def test_admin_may_register_in_any_community(client, factory, session):
    other = factory.community()
    login(client, factory.user("admin", communities=[]))
    resp = submit(client, valid(other.id))
    assert resp.status_code == 303
    case = fresh(session, Case, int(resp.headers["Location"].rsplit("/", 1)[1]))
    assert case.community_id == other.id


def test_facts_over_the_limit_are_refused_by_the_server_and_kept(client, session, staff_in):
    """A client without the browser's maxlength or the live count gets the message; nothing is lost."""
    before = snapshot(session)
    pasted = "长" * 10_000
    resp = submit(client, valid(staff_in.id, facts=pasted))
    assert resp.status_code == 422
    body = text(resp)
    assert "纠纷简要情况不能超过 5000 个字。" in body
    assert re.search(r'<textarea[^>]*maxlength="5000"[^>]*name="facts"', body)
    assert re.search(rf">\s*{pasted}</textarea>", body), "the text sent is not shown back whole"
    assert "/static/js/charcount.js" in body
    assert snapshot(session) == before


def _selected_community(page: str) -> list[str]:
    select_html = page.split('name="community_id"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option (?:data-i18n-keep )?selected value="([^"]*)"', select_html)


def test_staff_of_one_community_find_it_chosen(client, staff_in):
    assert _selected_community(text(client.get("/cases/new"))) == [str(staff_in.id)]


def test_staff_of_two_communities_choose_one(client, factory):
    mine, other = factory.community("东园社区", "东园"), factory.community("西园社区", "西园")
    login(client, factory.user("staff", communities=[mine, other]))
    assert _selected_community(text(client.get("/cases/new"))) == [""]  # 请选择社区


@pytest.mark.parametrize("people", ["0", "", "2"])
def test_people_involved_left_empty_counts_the_parties(client, session, staff_in, people):
    """The stored 涉及人数 is the number of parties; triage (10+ is 群体性) is as with 2 people typed."""
    case = fresh(session, Case, _created(submit(client, valid(staff_in.id, people_involved=people))))
    assert case.people_involved == 2
    assert (case.severity_computed, case.triage_reasons) == ("minor", "一般邻里小纠纷")


def test_people_involved_typed_is_kept(client, session, staff_in):
    case = fresh(session, Case, _created(submit(client, valid(staff_in.id, people_involved="1"))))
    assert case.people_involved == 1


def test_ten_parties_left_without_people_are_a_group_dispute(client, session, staff_in):
    """Ten parties are ten people involved: 群体性 (较大), as if 10 had been typed."""
    extra = {}
    for i in range(2, 10):
        extra |= {f"parties-{i}-role": "respondent", f"parties-{i}-name": f"邻居{i}"}
    case = fresh(session, Case, _created(submit(client, valid(staff_in.id, people_involved="", **extra))))
    assert (case.parties_count, case.people_involved, case.severity_computed) == (10, 10, "major")


def test_added_party_brings_the_page_back_to_its_fields(client, staff_in):
    body = text(submit(client, {**valid(staff_in.id), "add_party": "1"}))
    assert '<fieldset class="party" id="party-3">' in body
    assert 'formaction="/cases/new#party-4"' in body  # the next one added lands on its own fields


def _created(resp) -> int:
    assert resp.status_code == 303, text(resp)[:300]
    return int(resp.headers["Location"].rsplit("/", 1)[1])
