"""Realistic ledgers (人民调解台账) built by the tests, in the shapes communities keep them.

Shapes: a merged title row and a 填报单位 line above the header, a 合计 row and a 制表人 line below it
(``ledger_xlsx``); a two-row header with 当事人 merged over 申请人/被申请人 (``two_row_header_xlsx``);
a GBK CSV with one 当事人 column and dates and amounts as text (``ledger_csv``); dates as Excel serial
numbers (``serial_dates_xlsx``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlsxwriter

from tests.factories import id_number

STANDARD = (
    "序号",
    "受理日期",
    "案件编号",
    "申请人",
    "被申请人",
    "联系电话",
    "身份证号",
    "纠纷类型",
    "纠纷简要情况",
    "调解员",
    "调解结果",
    "协议形式",
    "涉及金额",
    "结案日期",
    "回访情况",
    "备注",
)


@dataclass
class LedgerRow:
    """One case as a ledger writes it."""

    accepted: Any  # a date, or the text/number the ledger holds
    applicant: str = "张三"
    respondent: str = "李四"
    category: str = "邻里纠纷"
    facts: str = "楼上卫生间漏水致楼下天花板受损"
    mediator: str = "王调解"
    result: str = "调解成功"
    kind: str = "书面"
    amount: Any = "1200"
    closed: Any = None
    follow_up: str = "已回访，已履行，满意"
    number: str = ""
    phone: str = ""
    id_number: str = ""
    remark: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def cells(self, seq: int) -> list[Any]:
        return [
            seq,
            self.accepted,
            self.number,
            self.applicant,
            self.respondent,
            self.phone,
            self.id_number,
            self.category,
            self.facts,
            self.mediator,
            self.result,
            self.kind,
            self.amount,
            self.closed if self.closed is not None else "",
            self.follow_up,
            self.remark,
        ]


def _write(sheet: Any, r: int, c: int, value: Any, day: Any) -> None:
    if isinstance(value, datetime | date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)
    elif value not in ("", None):
        sheet.write_string(r, c, str(value))


def ledger_xlsx(rows: list[LedgerRow], *, headers: tuple[str, ...] = STANDARD, total: bool = True) -> bytes:
    """A ledger as most committees keep it: title and 填报单位 above, 合计 and 制表人 below."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("2025年台账")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(
        0,
        0,
        0,
        len(headers) - 1,
        "幸福社区人民调解委员会矛盾纠纷排查化解台账",
        book.add_format({"bold": True}),
    )
    sheet.write_string(1, 0, "填报单位：幸福社区人民调解委员会")
    for c, title in enumerate(headers):
        sheet.write_string(2, c, title)
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate(row.cells(i)):
            _write(sheet, 2 + i, c, value, day)
    last = 2 + len(rows)
    if total:
        sheet.write_string(last + 1, 0, "合计")
        sheet.write_string(last + 1, 2, f"共 {len(rows)} 件")
        sheet.write_string(last + 3, 0, "制表人：王芳        审核人：李主任")
    book.close()
    return out.getvalue()


def two_row_header_xlsx(rows: list[LedgerRow]) -> bytes:
    """Other spellings, and 当事人 merged over 申请人 and 被申请人 in a two-row header."""
    top = (
        "序号",
        "登记日期",
        "案号",
        "当事人",
        "",
        "电话",
        "身份证号码",
        "纠纷类别",
        "主要事实",
        "承办人",
        "是否成功",
        "协议类型",
        "标的额",
        "办结日期",
        "回访",
        "备注",
    )
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "yyyy/m/d"})
    sheet.merge_range(0, 0, 0, len(top) - 1, "人民调解台账（2024年）")
    for c, title in enumerate(top):
        if c == 3:
            sheet.merge_range(1, 3, 1, 4, "当事人")
        elif c != 4:
            sheet.merge_range(1, c, 2, c, title)
    sheet.write_string(2, 3, "申请人")
    sheet.write_string(2, 4, "被申请人")
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate(row.cells(i)):
            _write(sheet, 2 + i, c, value, day)
    book.close()
    return out.getvalue()


def ledger_csv(rows: list[LedgerRow], *, encoding: str = "gbk") -> bytes:
    """A CSV saved by Excel on a Chinese Windows: GBK, one 当事人 column (张三、李四), text dates."""
    headers = [
        "序号",
        "受理时间",
        "当事人",
        "联系方式",
        "纠纷种类",
        "简要案情",
        "调解人员",
        "调解情况",
        "涉案金额",
        "结案时间",
        "回访情况",
    ]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for i, row in enumerate(rows, start=1):
        writer.writerow(
            [
                i,
                row.accepted,
                f"{row.applicant}、{row.respondent}",
                row.phone,
                row.category,
                row.facts,
                row.mediator,
                row.result,
                row.amount,
                row.closed or "",
                row.follow_up,
            ]
        )
    return text.getvalue().encode(encoding)


def serial_dates_xlsx(rows: list[LedgerRow]) -> bytes:
    """Dates as Excel serial numbers (a column formatted as 常规)."""
    for row in rows:
        for name in ("accepted", "closed"):
            value = getattr(row, name)
            if isinstance(value, date):
                setattr(row, name, (value - date(1899, 12, 30)).days)
    return ledger_xlsx(rows, total=False)


def person(n: int) -> tuple[str, str]:
    """A valid mobile number and ID number for party ``n``."""
    return f"139{n:08d}", id_number(serial=n % 1000)
