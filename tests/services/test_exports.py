"""The month's case list and the file writers, read back: CSV with the csv module, XLSX with openpyxl.

``month_data`` (tests/services/conftest.py): two cases accepted in October 2026, one agreed.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from services.exports import case_table, cases_filename, csv_text, to_csv, to_xlsx
from services.statistics.months import Month
from services.statistics.scope import Scope

OCT = Month(2026, 10)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


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


def test_case_list_file_names_carry_scope_and_month(month_data) -> None:  # type: ignore[no-untyped-def]
    assert cases_filename(month_data["scope"], OCT, "csv") == "2026-10_幸福社区_受理案件清单.csv"
    odd = Scope("street", "street:a/b", "a/b 街道", None)
    assert cases_filename(odd, OCT, "csv") == "2026-10_a_b_街道_受理案件清单.csv"
