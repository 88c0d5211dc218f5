"""The monthly report as tables, read back: CSV with the csv module, XLSX with openpyxl.

``month_data`` (tests/services/conftest.py): two cases accepted in October 2026, one agreed.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from services.exports import to_csv, to_xlsx
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.report_tables import report_filename, report_tables

OCT = Month(2026, 10)


def test_report_csv_has_bom_headers_and_totals(session, month_data) -> None:  # type: ignore[no-untyped-def]
    data = to_csv(report_tables(monthly_report(session, month_data["scope"], OCT)))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
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


def test_report_file_name_carries_scope_and_month(session, month_data) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, month_data["scope"], OCT)
    assert report_filename(report, "xlsx") == "2026-10_幸福社区_人民调解月报.xlsx"
