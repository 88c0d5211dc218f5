"""Exports read back: CSV with the csv module, XLSX with openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from services.cases import PartyInput
from services.exports import (
    case_table,
    cases_filename,
    csv_text,
    report_filename,
    report_tables,
    to_csv,
    to_xlsx,
)
from services.statistics import Month, Scope, monthly_report
from tests.factories import bj
from tests.factories import id_number as make_id_number

OCT = Month(2026, 10)


@pytest.fixture
def month_data(factory):  # type: ignore[no-untyped-def]
    """Two cases accepted in October 2026, one agreed for 1,234.50 元; texts that look like formulas."""
    a = factory.community("幸福社区", "幸福", street="幸福街道")
    id_number = make_id_number(birth="19800101", serial=123)
    people = [
        PartyInput("applicant", "@SUM(A1)", "13812345678", id_number, "幸福小区", "1栋", "101"),
        PartyInput("respondent", "李四", "13987654321", "", "幸福小区", "1栋", "201"),
    ]
    late = factory.case(
        "registered",
        community=a,
        now=bj(2026, 10, 31, 23, 30),
        parties=people,
        facts='=HYPERLINK("http://x","点我")',
    )
    factory.fire(late, "accept", now=bj(2026, 10, 31, 23, 30))
    other = [
        PartyInput("applicant", "王五", "13711112222", "", "和谐小区", "2栋", "301"),
        PartyInput("respondent", "赵六", "13633334444", "", "和谐小区", "2栋", "302"),
    ]
    case = factory.case("registered", community=a, now=bj(2026, 10, 3), parties=other, facts="+86 邻里噪音")
    for trigger in ("accept", "assign", "notify_rights", "start_mediation"):
        case = factory.fire(case, trigger, now=bj(2026, 10, 3, 11))
    factory.fire(case, "record_agreement", now=bj(2026, 10, 9), amount="1234.50")
    return {
        "scope": Scope("community", f"community:{a.id}", a.name, frozenset({a.id})),
        "id_number": id_number,
    }


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_report_csv_has_bom_headers_and_totals(session, month_data) -> None:  # type: ignore[no-untyped-def]
    data = to_csv(report_tables(monthly_report(session, month_data["scope"], OCT)))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data)
    assert rows[0] == ["月报汇总"]
    assert rows[1] == ["指标", "单位", "本月", "上月", "环比(%/百分点)", "去年同月", "同比(%/百分点)"]
    by_label = {(r[0], r[1]): r for r in rows if len(r) == 7}
    assert by_label[("受理数", "件")][2:4] == ["2", "0"]
    assert by_label[("受理数", "件")][4] == "—"  # no growth rate from zero
    assert by_label[("协议涉及金额", "元")][2] == "1234.50"
    assert by_label[("协议涉及金额", "万元")][2] == "0.12"
    assert by_label[("调解成功率", "%")][2] == "100.0"
    start = rows.index(["按纠纷类型"])
    assert rows[start + 1] == ["纠纷类型", "受理数", "调解成功数", "调解不成功数", "成功率(%)"]
    totals = next(r for r in rows[start:] if r and r[0] == "合计")
    assert totals == ["合计", "2", "1", "0", "100.0"]


def test_report_xlsx_sheets_numbers_totals_widths(session, month_data) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, month_data["scope"], OCT)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report_tables(report))))
    assert book.sheetnames == [
        "月报汇总",
        "按纠纷类型",
        "按案件来源",
        "按承办层级",
        "按社区",
        "调解人员工作量",
        "月度趋势",
    ]
    summary = book["月报汇总"]
    assert [c.value for c in summary[1]] == [
        "指标",
        "单位",
        "本月",
        "上月",
        "环比(%/百分点)",
        "去年同月",
        "同比(%/百分点)",
    ]
    rows = {(r[0].value, r[1].value): r for r in summary.iter_rows(min_row=2)}
    accepted = rows[("受理数", "件")]
    assert accepted[2].value == 2 and accepted[2].data_type == "n"
    assert rows[("协议涉及金额", "元")][2].value == pytest.approx(1234.5)
    assert rows[("协议涉及金额", "元")][2].number_format == "#,##0.00"
    assert rows[("协议涉及金额", "万元")][2].value == pytest.approx(0.12)
    assert rows[("受理数", "件")][4].value == "—"
    sources = book["按案件来源"]
    last = [c.value for c in sources[sources.max_row]]
    assert last == ["合计", 2, 1, 0, 100]
    assert sources[sources.max_row][0].font.bold
    assert summary.column_dimensions["A"].width >= 12  # "调解用时中位数" is 14 columns wide
    assert summary.freeze_panes == "A2"
    trend = book["月度趋势"]
    assert [c.value for c in trend[trend.max_row]] == ["合计", 2, 1]


def test_case_list_masks_pii_and_keeps_formulas_as_text(session, month_data) -> None:  # type: ignore[no-untyped-def]
    table = case_table(session, month_data["scope"], OCT)
    raw_csv, raw_xlsx = to_csv([table]), to_xlsx([table])
    rows = read_csv(raw_csv)
    assert rows[0][:3] == ["案件编号", "社区", "受理时间"]
    assert len(rows) == 4  # headers, 2 cases, totals
    first, second = rows[1], rows[2]  # oldest acceptance first
    assert second[2] == "2026-10-31 23:30"  # Beijing time
    assert second[rows[0].index("申请人")] == "'@SUM(A1)"
    assert second[rows[0].index("申请人电话")] == "138****5678"
    assert second[rows[0].index("申请人身份证号")] == "110101********" + month_data["id_number"][-4:]
    assert second[rows[0].index("纠纷简要情况")] == "'" + '=HYPERLINK("http://x","点我")'
    assert first[rows[0].index("纠纷简要情况")] == "'+86 邻里噪音"
    assert first[rows[0].index("协议金额(元)")] == "1234.50"
    assert rows[3][0] == "合计 2 件" and rows[3][-1] == "1234.50"
    for secret in (b"13812345678", month_data["id_number"].encode(), b"13987654321"):
        assert secret not in raw_csv
    sheet = openpyxl.load_workbook(io.BytesIO(raw_xlsx)).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    facts = sheet.cell(row=3, column=headers.index("纠纷简要情况") + 1)
    assert facts.data_type == "s" and facts.value == '=HYPERLINK("http://x","点我")'
    name = sheet.cell(row=3, column=headers.index("申请人") + 1)
    assert name.data_type == "s" and name.value == "@SUM(A1)"
    assert sheet.cell(row=3, column=3).value == datetime(2026, 10, 31, 23, 30)
    assert sheet.cell(row=3, column=headers.index("申请人电话") + 1).value == "138****5678"
    assert sheet.cell(row=2, column=len(headers)).value == pytest.approx(1234.5)
    all_text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "13812345678" not in all_text and month_data["id_number"] not in all_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
    ],
)
def test_csv_text_defuses_formulas(value: str, expected: str) -> None:
    assert csv_text(value) == expected


def test_numbers_in_csv_are_not_prefixed() -> None:
    assert csv_text(-5) == "-5" and csv_text(Decimal("-1.5")) == "-1.5"


def test_file_names_carry_scope_and_month(session, month_data) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, month_data["scope"], OCT)
    assert report_filename(report, "xlsx") == "2026-10_幸福社区_人民调解月报.xlsx"
    assert cases_filename(month_data["scope"], OCT, "csv") == "2026-10_幸福社区_受理案件清单.csv"
    odd = Scope("street", "street:a/b", "a/b 街道", None)
    assert cases_filename(odd, OCT, "csv") == "2026-10_a_b_街道_受理案件清单.csv"
