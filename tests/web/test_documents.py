"""Printable documents: the mediation agreement (调解协议书) and the case file cover and contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from models import Party, User
from services.validation import mask_id_number, mask_phone
from tests.web.case_helpers import distinct_parties, login, text


def _applicant(factory, case) -> Party:
    query = select(Party).where(Party.case_id == case.id, Party.role == "applicant")
    return factory.session.exec(query).one()


def test_written_agreement_has_the_contents_of_article_29(client, factory):
    case = factory.case("agreed", parties=distinct_parties())
    party = _applicant(factory, case)
    assignee = factory.session.get(User, case.assignee_id)
    login(client, factory.staff())
    resp = client.get(f"/cases/{case.id}/agreement")
    assert resp.status_code == 200
    page = text(resp)
    assert "幸福社区人民调解委员会" in page and "人民调解协议书" in page
    assert case.number in page
    assert "申请人：</strong>张三" in page and "被申请人：</strong>李四" in page
    assert party.phone in page and party.id_number in page  # staff print the full details
    assert "楼上漏水致楼下天花板受损" in page  # facts and responsibilities
    assert "楼上住户赔偿维修费" in page  # agreed terms
    assert "现金一次性支付" in page  # performance method, place, deadline
    assert "1,200.00 元" in page and "壹仟贰佰元整" in page
    assert "起生效" in page
    assert page.count("（签名）") == 3  # two parties and the mediator
    assert assignee.display_name in page
    assert "人民调解委员会（盖章）" in page


def test_oral_agreement_prints_its_record(client, factory):
    case = factory.case("mediating", parties=distinct_parties())
    factory.fire(case, "record_agreement", kind="oral", content="双方口头约定互不打扰", amount=None)
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/agreement"))
    assert "口头调解协议记录" in page and "双方口头约定互不打扰" in page
    assert "大写" not in page


def test_agreement_masks_for_leaders(client, factory):
    case = factory.case("agreed", parties=distinct_parties())
    party = _applicant(factory, case)
    login(client, factory.user("leader"))
    page = text(client.get(f"/cases/{case.id}/agreement"))
    assert mask_phone(party.phone) in page and party.phone not in page
    assert mask_id_number(party.id_number) in page and party.id_number not in page


def test_agreement_for_assignee_is_whole(client, factory):
    case = factory.case("agreed", parties=distinct_parties())
    party = _applicant(factory, case)
    login(client, factory.session.get(User, case.assignee_id))
    page = text(client.get(f"/cases/{case.id}/agreement"))
    assert party.phone in page and party.id_number in page


@pytest.mark.parametrize("state", ["registered", "accepted", "mediating"])
def test_no_agreement_is_404(client, factory, state):
    case = factory.case(state, parties=distinct_parties())
    login(client, factory.staff())
    resp = client.get(f"/cases/{case.id}/agreement")
    assert resp.status_code == 404 and "找不到" in text(resp)


def test_print_css_is_a4():
    css = Path(__file__).resolve().parents[2].joinpath("static/css/app.css").read_text()
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    assert "@media print" in css


def test_file_cover_and_contents_of_a_closed_case(client, factory):
    case = factory.case("mediating", parties=distinct_parties())
    case = factory.fire(case, "record_session")
    case = factory.fire(case, "record_agreement")
    case = factory.fire(case, "follow_up")
    mediator = factory.session.get(User, case.assignee_id)
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/file"))
    assert "人民调解卷宗" in page and case.number in page and "邻里" in page
    assert "申请人：张三" in page and mediator.display_name in page
    assert 'data-testid="result">调解成功，协议已履行<' in page
    rows = dict(re.findall(r"<td>\d+</td><td>([^<]+)(?:<span[^>]*>[^<]*</span>)?</td>\s*<td>[^<]*</td>\s*"
                           r'<td data-present="(yes|no)"', page))  # fmt: skip
    assert rows["人民调解申请书或纠纷受理登记表"] == "yes"
    assert rows["当事人权利义务告知书"] == "yes"
    assert rows["调解笔录"] == "yes"
    assert rows["调解协议书"] == "yes"
    assert rows["回访记录"] == "yes"
    assert rows["当事人身份证明"] == "no"  # the respondent's ID number was never recorded
    assert rows["司法确认材料"] == "no"


def test_file_marks_missing_required_items(client, factory):
    case = factory.case("accepted", parties=distinct_parties())
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/file"))
    assert page.count('class="missing"') == 4  # notice, identity, sessions, agreement
    assert "本案尚未结案" in page


@pytest.mark.parametrize("doc", ["agreement", "file"])
def test_documents_of_another_community_are_404(client, factory, doc):
    theirs = factory.community()
    case = factory.case("agreed", community=theirs, parties=distinct_parties())
    login(client, factory.staff())
    assert client.get(f"/cases/{case.id}/{doc}").status_code == 404


def test_documents_escape_user_text(client, factory):
    case = factory.case("mediating", parties=distinct_parties("<script>alert(1)</script>", "李四"))
    factory.fire(case, "record_agreement", terms="<script>alert(2)</script>")
    login(client, factory.staff())
    for doc in ("agreement", "file"):
        page = text(client.get(f"/cases/{case.id}/{doc}"))
        assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_agreement_prints_the_mediator_beneath_the_signature_line(client, factory):
    """人民调解员（签名）：____ with the name and tier printed beneath, also once the case is closed."""
    case = factory.case("agreed", parties=distinct_parties())
    mediator = factory.session.get(User, case.assignee_id)
    case = factory.fire(case, "follow_up")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/agreement"))
    signature = page.split('data-testid="mediator-signature"', 1)[1].split("</div>", 1)[0]
    assert "人民调解员（签名）：" in signature and 'class="blank"' in signature
    assert f'class="sign-name">{mediator.display_name}（调解志愿者）<' in signature


def test_terms_print_one_clause_a_line(client, factory):
    case = factory.case("mediating", parties=distinct_parties())
    factory.fire(case, "record_agreement", terms="一、赔偿维修费\n\n二、互不追究\n")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/agreement"))
    assert '<p class="clause">一、赔偿维修费</p>' in page and '<p class="clause">二、互不追究</p>' in page
    assert '<p class="clause"></p>' not in page  # the blank line is no clause
