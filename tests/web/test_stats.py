"""The statistics page and its exports: who may see what, and what comes back."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import openpyxl
import pytest

from services.cases import PartyInput
from tests.factories import bj
from tests.web.case_helpers import login, text

OCT = "2026-10"


@pytest.fixture
def two(factory):  # type: ignore[no-untyped-def]
    """Community A (幸福街道) with an agreed case and a case still open; B (和平街道) with one case."""
    a = factory.community("幸福社区", "幸福", street="幸福街道")
    b = factory.community("和平社区", "和平", street="和平街道")
    people = [
        PartyInput("applicant", "张三", "13812345678", "", "幸福小区", "1栋", "101"),
        PartyInput("respondent", "李四", "13987654321", "", "幸福小区", "1栋", "201"),
    ]
    case = factory.case("registered", community=a, now=bj(2026, 10, 3), parties=people)
    for trigger in ("accept", "assign", "notify_rights", "start_mediation"):
        case = factory.fire(case, trigger, now=bj(2026, 10, 3, 11))
    factory.fire(case, "record_agreement", now=bj(2026, 10, 9), amount="5000")
    open_case = factory.case("registered", community=a, now=bj(2026, 10, 20))
    factory.fire(open_case, "accept", now=bj(2026, 10, 20))
    other = factory.case("registered", community=b, now=bj(2026, 10, 5), facts="和平社区的秘密纠纷")
    factory.fire(other, "accept", now=bj(2026, 10, 5))
    return {"a": a, "b": b}


def page(client, **params):  # type: ignore[no-untyped-def]
    return client.get("/stats/", query_string=params)


def test_staff_sees_their_community_month(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    resp = page(client, month=OCT, scope=f"community:{two['a'].id}")
    html = text(resp)
    assert resp.status_code == 200
    assert "幸福社区" in html and "2026年10月" in html
    accepted = re.search(r'data-indicator="accepted">.*?data-label="本月" class="num">(\d+)<', html, re.S)
    assert accepted and accepted.group(1) == "2"
    success = re.search(r'data-indicator="success">.*?data-label="本月" class="num">(\d+)<', html, re.S)
    assert success and success.group(1) == "1"
    assert "5,000.00" in html  # 协议涉及金额 in 元
    assert "和平社区" not in html  # B is neither in the figures nor among the scope choices
    assert re.search(
        r'data-testid="kept-at">本月已结束，数据于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 定稿', html
    )


def test_the_current_month_says_it_is_live(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    html = text(page(client, scope=f"community:{two['a'].id}"))  # no month: the current one
    assert 'data-testid="kept-at">本月尚未结束，数据为实时统计。' in html


def test_charts_come_from_embedded_json_and_vendored_files(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    html = text(page(client, month=OCT, scope=f"community:{two['a'].id}"))
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, body in scripts:  # no inline executable script: JSON data or an external file
        assert 'type="application/json"' in attrs or ("src=" in attrs and not body.strip())
    data = json.loads(
        re.search(r'<script type="application/json" id="stats-data">(.*?)</script>', html, re.S)[1]
    )
    assert data["trend"]["labels"][-1] == OCT and len(data["trend"]["labels"]) == 12
    assert data["trend"]["accepted"][-1] == 2 and data["trend"]["success"][-1] == 1
    assert data["categories"] == {"labels": ["邻里"], "accepted": [2]}
    assert "http" not in "".join(a for a, _ in scripts)  # no CDN
    for src in re.findall(r'<script src="([^"]+)"', html):
        with client.get(src) as served:
            assert served.status_code == 200 and len(served.data) > 1000


def test_default_month_and_scope(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.user("leader", communities=[two["a"]]))
    resp = client.get("/stats/")
    assert resp.status_code == 200
    assert "全部可见社区" in text(resp)


def test_admin_sees_all_and_a_street(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.user("admin", communities=[]))
    html = text(page(client, month=OCT, scope="all"))
    assert "和平社区" in html and "幸福社区" in html
    resp = page(client, month=OCT, scope="street:和平街道")
    assert resp.status_code == 200
    assert re.search(r'data-indicator="accepted">.*?class="num">1<', text(resp), re.S)


def test_breakdown_totals_are_the_sums_and_the_rate_of_the_sums(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    """合计 adds the rows up; its 成功率 is that of the sums (2 of 3), not the mean of the rows' (75%)."""
    for community, last in ((two["a"], "terminate"), (two["b"], "record_agreement")):
        case = factory.case("registered", community=community, now=bj(2026, 10, 6))
        for trigger in ("accept", "assign", "notify_rights", "start_mediation", last):
            case = factory.fire(case, trigger, now=bj(2026, 10, 7))
    login(client, factory.user("admin", communities=[]))
    html = text(page(client, month=OCT, scope="all"))
    table = re.search(r'data-table="by-community">(.*?)</table>', html, re.S)[1]
    rows = re.findall(r'<t[hd][^>]*data-label="([^"]+)"[^>]*>([^<]*)<', table)
    cells = {label: value for label, value in rows[-5:]}  # the 合计 row, last in the table
    assert cells == {"社区": "合计", "受理数": "5", "调解成功": "2", "调解不成功": "1", "成功率": "66.7%"}
    assert ("成功率", "50.0%") in rows and ("成功率", "100.0%") in rows  # A 1 of 2, B 1 of 1


@pytest.mark.parametrize("role", ["volunteer", "mediator", "judge"])
@pytest.mark.parametrize("url", ["/stats/", "/stats/export.csv", "/stats/export.xlsx", "/stats/cases.csv"])
def test_case_workers_are_refused(client, factory, two, role, url) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.user(role, communities=[two["a"]]))
    resp = client.get(url, query_string={"month": OCT, "scope": f"community:{two['a'].id}"})
    assert resp.status_code == 403


@pytest.mark.parametrize(
    "url", ["/stats/", "/stats/export.csv", "/stats/export.xlsx", "/stats/cases.csv", "/stats/cases.xlsx"]
)
@pytest.mark.parametrize("scope", ["community", "street"])
def test_another_communitys_scope_is_refused(client, factory, two, url, scope) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    key = f"community:{two['b'].id}" if scope == "community" else "street:和平街道"
    resp = client.get(url, query_string={"month": OCT, "scope": key})
    assert resp.status_code == 403
    assert "和平社区的秘密纠纷".encode() not in resp.data and "attachment" not in resp.headers.get(
        "Content-Disposition", ""
    )


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-1x"])
def test_bad_month_is_a_clear_400(client, factory, two, month) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    for url in ("/stats/", "/stats/export.xlsx"):
        resp = client.get(url, query_string={"month": month})
        assert resp.status_code == 400
        assert "月份格式不正确" in text(resp)


@pytest.mark.parametrize("month", ["1999-01", "2100-01", "9999-12"])
def test_month_out_of_range_is_a_clear_400(client, factory, two, month) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    for url in ("/stats/", "/stats/export.csv", "/stats/cases.xlsx"):
        resp = client.get(url, query_string={"month": month})
        assert resp.status_code == 400
        assert f"月份超出范围：{month}" in text(resp) and "月份格式不正确" not in text(resp)


def test_month_picker_offers_the_months_there_are(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    html = text(page(client, month=OCT, scope=f"community:{two['a'].id}"))
    assert 'min="2000-01" max="2099-12"' in html


def test_unknown_scope_is_404(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.user("admin", communities=[]))
    assert page(client, month=OCT, scope="community:9999").status_code == 404
    assert page(client, month=OCT, scope="nonsense").status_code == 404


def test_anonymous_is_sent_to_login(client, two) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/stats/export.csv", query_string={"month": OCT})
    assert resp.status_code in (302, 303) and "/login" in resp.headers["Location"]


def test_report_exports_download(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    query = {"month": OCT, "scope": f"community:{two['a'].id}"}
    resp = client.get("/stats/export.xlsx", query_string=query)
    assert resp.status_code == 200
    assert quote("2026-10_幸福社区_人民调解月报.xlsx") in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    rows = {r[0].value: r for r in book["月报汇总"].iter_rows(min_row=2)}
    assert rows["受理数"][2].value == 2
    resp = client.get("/stats/export.csv", query_string=query)
    assert resp.data.startswith(b"\xef\xbb\xbf") and resp.mimetype == "text/csv"
    assert quote("2026-10_幸福社区_人民调解月报.csv") in resp.headers["Content-Disposition"]


def test_case_list_exports_are_masked(client, factory, two) -> None:  # type: ignore[no-untyped-def]
    login(client, factory.staff(two["a"]))
    query = {"month": OCT, "scope": f"community:{two['a'].id}"}
    resp = client.get("/stats/cases.csv", query_string=query)
    assert resp.status_code == 200
    assert quote("2026-10_幸福社区_受理案件清单.csv") in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert len(rows) == 4  # headers, two cases of A, totals
    assert rows[1][rows[0].index("申请人电话")] == "138****5678"
    assert b"13812345678" not in resp.data and "和平社区的秘密纠纷".encode() not in resp.data
    xlsx = client.get("/stats/cases.xlsx", query_string=query)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None and sheet.max_row == 4
    assert "13812345678" not in " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
