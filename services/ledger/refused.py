"""The rows that were not imported, as an XLSX to fix and import again: the sheet's own columns (so the
community's remembered mapping applies to it), the row's number in the original sheet, and why.

Like the other exports it is filed in Chinese: the web view builds it under ``force_locale("zh")``.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import xlsxwriter

from services.ledger.check import REFUSED, CheckReport
from services.ledger.reading import Cell

REASON = "未导入原因"
ORIGINAL_ROW = "原表行号"


def refused_xlsx(report: CheckReport) -> bytes:
    """The refused rows as an XLSX workbook (opens in Excel, WPS and LibreOffice)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet("未导入的行")
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    wrap = book.add_format({"text_wrap": True, "font_color": "#B00020"})
    headers = [*map(str, report.titles), ORIGINAL_ROW, REASON]
    for c, title in enumerate(headers):
        sheet.write_string(0, c, title, bold)
    width = len(report.titles)
    r = 0
    for row in report.rows:
        if row.status != REFUSED:
            continue
        r += 1
        for c, cell in enumerate((row.cells or [])[:width]):
            _write(sheet, r, c, cell, day, moment)
        sheet.write_number(r, width, row.number)
        sheet.write_string(r, width + 1, "；".join(map(str, row.problems)), wrap)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, max(width - 1, 0), 14)
    sheet.set_column(width + 1, width + 1, 60)
    book.close()
    return out.getvalue()


def _write(
    sheet: xlsxwriter.worksheet.Worksheet, r: int, c: int, cell: Cell, day: object, moment: object
) -> None:
    if cell is None or cell == "":
        return
    if isinstance(cell, bool):
        sheet.write_boolean(r, c, cell)
    elif isinstance(cell, int | float):
        sheet.write_number(r, c, cell)
    elif isinstance(cell, datetime):
        sheet.write_datetime(r, c, cell.replace(tzinfo=None), moment)
    elif isinstance(cell, date):
        sheet.write_datetime(r, c, datetime.combine(cell, time()), day)
    elif isinstance(cell, time | timedelta):
        sheet.write_string(r, c, str(cell))
    else:
        sheet.write_string(r, c, str(cell))
