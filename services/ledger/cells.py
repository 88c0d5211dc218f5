"""One ledger cell as a typed value: dates (real, Excel serial numbers, 2025.3.4, 2025年3月4日), amounts in
元 (1,200.50, ¥800, 1.2万), names and numbers several to a cell; each fault a message for the row."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from services.ledger.reading import Cell
from workflow.errors import Refused
from workflow.fields import FIRST_YEAR, LAST_YEAR, Field, clean
from workflow.text import Text, _

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01; Excel's phantom 1900-02-29 is before any ledger
_SERIALS = (2, 73415)  # 1900-01-01 … 2100-12-31
_DATE = re.compile(r"^(\d{2,4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?(?:[\sT].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_ONLY = re.compile(r"^\d{4}\s*[年./\-]\s*\d{1,2}\s*月?$")
_SEPARATORS = re.compile(r"[、,，;；/／\s]+|(?<=\S)与(?=\S)")
_BLANK = {"", "无", "-", "—", "--", "/", "／", "空", "暂无"}
AMOUNT = Field("amount", _("金额"), "money", required=False)


class CellProblem(ValueError):
    """What is wrong with a cell, for the person who will fix the row (shown in their language)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def text_of(cell: Cell) -> str:
    """A cell as text: integral numbers without ``.0``, dates as 2025-03-04, spaces trimmed."""
    if type(cell) is str:
        return cell.strip()  # also 　 (U+3000) and non-breaking spaces
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def day_of(cell: Cell) -> date | None:
    """The date a cell holds (None when blank); CellProblem when it is not a date."""
    if isinstance(cell, datetime):
        return _in_range(cell.date())
    if isinstance(cell, date):
        return _in_range(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(float(cell), text_of(cell))
    text = text_of(cell)
    if text in _BLANK:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text), text)
    found = _DATE.match(text) or _COMPACT.match(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
        if year < 100:
            raise CellProblem(_("年份须写全 4 位：%(text)s").of(text=text))
        try:
            return _in_range(date(year, month, day))
        except ValueError:
            raise CellProblem(_("日期不存在：%(text)s").of(text=text)) from None
    if _MONTH_ONLY.match(text):
        raise CellProblem(_("日期不完整（缺少日）：%(text)s").of(text=text))
    raise CellProblem(
        _("无法识别的日期：%(text)s（可写作 2025-03-04、2025.3.4 或 2025年3月4日）").of(text=text)
    )


def _serial(value: float, text: str) -> date:
    if not _SERIALS[0] <= value <= _SERIALS[1]:
        raise CellProblem(_("无法识别的日期：%(text)s").of(text=text))
    return _in_range(EXCEL_EPOCH + timedelta(days=int(value)))


def _in_range(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellProblem(
            _("日期超出范围（%(first)s–%(last)s 年）：%(day)s").of(first=FIRST_YEAR, last=LAST_YEAR, day=day)
        )
    return day


def amount_of(cell: Cell) -> Decimal | None:
    """An amount in 元 (None when blank); CellProblem when it is not one."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raw = str(cell)
    else:
        text = text_of(cell)
        if text in _BLANK:
            return None
        raw = re.sub(r"[,，\s¥￥]|人民币|元$", "", text)
        factor = 1
        if raw.endswith("万"):
            raw, factor = raw[:-1], 10000
        try:
            raw = str(Decimal(raw) * factor)
        except InvalidOperation:
            raise CellProblem(_("金额不是数字：%(text)s").of(text=text)) from None
    if Decimal(raw) < 0:
        raise CellProblem(_("金额不能为负数：%(text)s").of(text=text_of(cell)))
    try:
        value: Decimal | None = clean((AMOUNT,), {"amount": raw})["amount"]
    except Refused:
        raise CellProblem(_("金额超出范围：%(text)s").of(text=text_of(cell))) from None
    return value


def count_of(cell: Cell) -> int | None:
    """A whole number of people (None when blank)."""
    text = text_of(cell).removesuffix("人")
    if text in _BLANK:
        return None
    if not text.isdigit() or int(text) > 100000:
        raise CellProblem(_("人数须为整数：%(text)s").of(text=text_of(cell)))
    return int(text)


def names_of(cell: Cell) -> list[str]:
    """The names in a cell (张三、李四 / 张三与李四 / one a line)."""
    return [name for name in _SEPARATORS.split(text_of(cell)) if name]


def numbers_of(cell: Cell) -> list[str]:
    """The phone or ID numbers in a cell, in order (13800000000/13900000000)."""
    text = re.sub(r"(?<=\d)[\s-](?=\d)", "", text_of(cell))
    return [n for n in re.split(r"[^0-9Xx]+", text) if n]


def dates_in(text: str) -> list[date]:
    """The dates written inside free text (回访情况: 2025.4.1 电话回访，已履行)."""
    out = []
    for match in re.finditer(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})", text):
        try:
            out.append(_in_range(date(*(int(g) for g in match.groups()))))
        except (ValueError, CellProblem):
            continue
    return out
