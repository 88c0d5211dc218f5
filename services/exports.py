"""Tables as CSV (UTF-8 with BOM) and XLSX files, and the month's case list as such a table.

User text never becomes a formula: XLSX cells of text are written with ``write_string``; CSV cells that
a spreadsheet would read as a formula (= + - @, tab, CR first) get a leading single quote.
Datetimes are written as Beijing wall-clock time without a zone (spreadsheets have no zones).

The files are in Chinese whatever the language of the page they are downloaded from: the monthly report
and the case list are the office's returns to the street and the justice bureau, in their wording (the
web view builds them in Chinese; labels shared with the statistics page are turned into text here).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from models import Agreement, Case, Party
from services import clock
from services.queries import community_names, user_names
from services.statistics.months import Month
from services.statistics.scope import Scope
from services.validation import mask_id_number, mask_phone
from workflow import State, Tier

Cell = str | int | Decimal | float | datetime | date | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RISK_LABELS = {"none": "无", "yellow": "黄色", "orange": "橙色", "red": "红色"}
FORMATS = {"int": "0", "money": "#,##0.00", "rate": "0.0", "datetime": "yyyy-mm-dd hh:mm"}


@dataclass
class Table:
    """One sheet: a title, headers, rows, an optional totals row, and how each column is shown."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    totals: list[Cell] | None = None
    formats: list[str] = field(default_factory=list)  # per column: text | int | money | rate | number
    caption: str = ""  # printed in the page header


# --- cells ---------------------------------------------------------------------------------
def csv_text(value: Cell) -> str:
    """A cell as CSV text, with formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return clock.local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _display_width(value: Cell) -> int:
    text = csv_text(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def safe_filename(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "导出"


def cases_filename(scope: Scope, month: Month, ext: str) -> str:
    return f"{month.key}_{safe_filename(str(scope.label))}_受理案件清单.{ext}"


# --- writers -------------------------------------------------------------------------------
def to_csv(tables: Sequence[Table]) -> bytes:
    """All tables in one CSV, each under its title and separated by a blank line; UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([csv_text(table.title)])
        writer.writerow([csv_text(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([csv_text(c) for c in row])
        if table.totals is not None:
            writer.writerow([csv_text(c) for c in table.totals])
    return buffer.getvalue().encode("utf-8-sig")


WIDTH_SAMPLE = 1000  # rows that decide a column's width


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table: bold headers, a bold totals row, numbers as numbers, widths set."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    header = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    formats = {name: book.add_format({"num_format": fmt}) for name, fmt in FORMATS.items()}
    bold = {name: book.add_format({"num_format": fmt, "bold": True}) for name, fmt in FORMATS.items()}
    bold_text = book.add_format({"bold": True})
    used: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        for c, text in enumerate(table.headers):
            sheet.write_string(0, c, text, header)
        body = [*table.rows, *([table.totals] if table.totals is not None else [])]
        for r, row in enumerate(body, start=1):
            is_total = table.totals is not None and r == len(body)
            for c, value in enumerate(row):
                kind = _format_of(table.formats[c] if c < len(table.formats) else "text", value)
                _write(
                    sheet,
                    r,
                    c,
                    value,
                    (bold if is_total else formats).get(kind),
                    bold_text if is_total else None,
                )
        sample = body[:WIDTH_SAMPLE] + body[-1:]  # a month's case list has tens of thousands of rows
        for c, text in enumerate(table.headers):
            width = max([_display_width(text), *(_display_width(row[c]) for row in sample if c < len(row))])
            sheet.set_column(c, c, min(60, max(8, width + 2)))
        sheet.freeze_panes(1, 0)
        if table.caption:
            sheet.set_header(f"&C{table.caption.replace('&', '&&')}")
    book.close()
    return buffer.getvalue()


def _format_of(kind: str, value: Cell) -> str:
    """``number`` columns mix counts, amounts and one-decimal figures: pick by the value."""
    if kind != "number":
        return kind
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return "money" if isinstance(exponent, int) and exponent <= -2 else "rate"
    return "int"


def _write(sheet: Any, r: int, c: int, value: Cell, number_format: Any, text_format: Any) -> None:
    if value is None:
        sheet.write_blank(r, c, None, text_format)
    elif isinstance(value, bool):
        sheet.write_string(r, c, "是" if value else "否", text_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(r, c, float(value), number_format)
    elif isinstance(value, datetime):
        sheet.write_datetime(r, c, clock.local(value).replace(tzinfo=None), number_format)
    elif isinstance(value, date):
        sheet.write_string(r, c, value.isoformat(), text_format)
    else:
        sheet.write_string(r, c, str(value), text_format)


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name)
    return name


# --- the month's case list -----------------------------------------------------------------
CASE_HEADERS = [
    "案件编号",
    "社区",
    "受理时间",
    "纠纷类型",
    "案件来源",
    "承办层级",
    "状态",
    "承办人",
    "申请人",
    "申请人电话",
    "申请人身份证号",
    "被申请人",
    "被申请人电话",
    "被申请人身份证号",
    "涉及人数",
    "风险等级",
    "纠纷简要情况",
    "协议金额(元)",
]
CASE_COLUMNS = (
    "id",
    "number",
    "community_id",
    "accepted_at",
    "category",
    "source",
    "tier",
    "state",
    "assignee_id",
    "people_involved",
    "risk_level",
    "facts",
)
CASE_FORMATS = ["text", "text", "datetime", *(["text"] * 11), "int", "text", "text", "money"]


def case_table(session: Session, scope: Scope, month: Month) -> Table:
    """Cases accepted in the month, oldest first; phones and ID numbers masked."""
    start, end = month.bounds
    # Plain rows, not ORM objects: a month at 1,000,000 cases is ~28,000 of them.
    cases = session.execute(
        core_select(*(col(getattr(Case, name)) for name in CASE_COLUMNS))
        .where(
            col(Case.accepted_at) >= start, col(Case.accepted_at) < end, scope.condition(Case.community_id)
        )
        .order_by(col(Case.accepted_at), col(Case.id))
    ).all()
    ids = [c.id for c in cases]
    parties: dict[int, list[Any]] = {}
    amounts: dict[int, Decimal | None] = {}
    for chunk in _chunks(ids, 500):
        for p in session.execute(
            core_select(
                col(Party.case_id), col(Party.role), col(Party.name), col(Party.phone), col(Party.id_number)
            )
            .where(col(Party.case_id).in_(chunk))
            .order_by(col(Party.id))
        ):
            parties.setdefault(p.case_id, []).append(p)
        for case_id, amount in session.execute(
            core_select(col(Agreement.case_id), col(Agreement.amount))
            .where(col(Agreement.case_id).in_(chunk))
            .order_by(col(Agreement.id))
        ):
            amounts[case_id] = amount
    communities = community_names(session, (c.community_id for c in cases))
    names = user_names(session, (c.assignee_id for c in cases))
    rows: list[list[Cell]] = []
    for case in cases:
        mine = parties.get(case.id, [])
        rows.append(
            [
                case.number or "",
                communities.get(case.community_id, ""),
                case.accepted_at,
                case.category,
                case.source,
                str(Tier(case.tier).label) if case.tier else "",
                str(State(case.state).label),
                names.get(case.assignee_id, "") if case.assignee_id else "",
                *_party_cells(mine, "applicant"),
                *_party_cells(mine, "respondent"),
                case.people_involved,
                RISK_LABELS.get(case.risk_level, case.risk_level),
                case.facts,
                amounts.get(case.id),
            ]
        )
    total_amount = sum((a for a in (r[-1] for r in rows) if isinstance(a, Decimal)), Decimal("0.00"))
    totals: list[Cell] = [f"合计 {len(rows)} 件", *([None] * (len(CASE_HEADERS) - 2)), total_amount]
    return Table(f"{month.title}受理案件", CASE_HEADERS, rows, totals, CASE_FORMATS)


def _party_cells(parties: list[Any], role: str) -> list[Cell]:
    people = [p for p in parties if p.role == role]
    return [
        "、".join(p.name for p in people),
        "、".join(mask_phone(p.phone) for p in people if p.phone),
        "、".join(mask_id_number(p.id_number) for p in people if p.id_number),
    ]


def _chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
