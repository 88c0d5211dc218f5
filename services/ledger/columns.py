"""The ledger's columns: the fields a row can fill, the header spellings recognised for each, where the
header is (below merged title rows, over one or two rows), and which column holds which field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from services.ledger.reading import Cell, LedgerError, Sheet
from workflow.text import Text, _, _p

HEADER_SCAN = 30  # rows looked at for the header (title rows, a blank row or two, the header)


@dataclass(frozen=True)
class LedgerField:
    name: str
    label: Text
    aliases: tuple[str, ...]  # the header spellings of Chinese ledgers (data, never translated)
    required: bool = False


FIELDS: tuple[LedgerField, ...] = (
    LedgerField("seq", _("序号"), ("序号", "编号序号", "顺序号", "No")),
    LedgerField(
        "accepted_on",
        _("受理日期"),
        ("受理日期", "登记日期", "收案日期", "受理时间", "登记时间", "立案日期", "日期", "时间", "排查日期"),
        required=True,
    ),
    LedgerField(
        "number", _("案件编号"), ("案件编号", "案号", "编号", "卷宗号", "案卷号", "调解案号", "文书编号")
    ),
    LedgerField(
        "applicant",
        _("申请人（当事人）"),
        ("申请人", "当事人", "申请方", "当事人姓名", "申请人姓名", "甲方", "纠纷当事人", "当事人双方"),
        required=True,
    ),
    LedgerField("respondent", _("被申请人"), ("被申请人", "被申请方", "对方当事人", "乙方", "被申请人姓名")),
    LedgerField(
        "phone", _("联系电话"), ("联系电话", "电话", "联系方式", "手机", "手机号", "电话号码", "手机号码")
    ),
    LedgerField("id_number", _("身份证号"), ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份号码")),
    LedgerField(
        "category",
        _p("one", "纠纷类型"),
        ("纠纷类型", "类别", "纠纷类别", "案件类型", "纠纷种类", "类型", "矛盾类型", "案由"),
        required=True,
    ),
    LedgerField(
        "facts",
        _("纠纷简要情况"),
        (
            "纠纷简要情况",
            "主要事实",
            "简要案情",
            "纠纷事实",
            "基本情况",
            "纠纷情况",
            "案情",
            "纠纷主要事实",
            "矛盾纠纷简要情况",
            "案情简介",
            "纠纷内容",
        ),
        required=True,
    ),
    LedgerField(
        "mediator", _("调解员"), ("调解员", "承办人", "经办人", "主持人", "调解人", "调解人员", "承办调解员")
    ),
    LedgerField(
        "result",
        _("调解结果"),
        ("调解结果", "是否成功", "调解情况", "处理结果", "结果", "化解情况", "调处结果", "办理结果"),
        required=True,
    ),
    LedgerField("agreement_kind", _("协议形式"), ("协议形式", "协议类型", "协议方式")),
    LedgerField(
        "amount", _("涉及金额（元）"), ("涉及金额", "标的额", "争议金额", "金额", "涉案金额", "标的金额")
    ),
    LedgerField("agreed_amount", _("协议金额（元）"), ("协议金额", "履行金额", "调解金额", "协议涉及金额")),
    LedgerField(
        "closed_on", _("结案日期"), ("结案日期", "办结日期", "调结日期", "结案时间", "办结时间", "化解日期")
    ),
    LedgerField("follow_up", _("回访情况"), ("回访情况", "回访", "回访记录", "履行情况", "回访结果")),
    LedgerField("source", _("案件来源"), ("案件来源", "来源", "纠纷来源", "受理方式")),
    LedgerField("people", _("涉及人数"), ("涉及人数", "人数", "当事人人数")),
    LedgerField("remark", _("备注"), ("备注", "说明", "附注")),
)
BY_NAME: dict[str, LedgerField] = {f.name: f for f in FIELDS}
REQUIRED = tuple(f.name for f in FIELDS if f.required)


def normalize(text: str) -> str:
    """A header as compared: no spaces, stars, colons or bracketed note (受理日期（年月日） → 受理日期)."""
    text = re.sub(r"[\s\u3000*＊:：]+", "", str(text))
    return re.sub(r"[（(][^）)]*[）)]$", "", text)


_ALIASES: dict[str, str] = {normalize(a): f.name for f in FIELDS for a in (f.label.msgid, *f.aliases)}
_BY_LENGTH = sorted(_ALIASES, key=len, reverse=True)


def field_for_header(text: str) -> str | None:
    """The field a header names: its exact spelling, else the longest spelling it ends with or contains."""
    name = normalize(text)
    if not name:
        return None
    if name in _ALIASES:
        return _ALIASES[name]
    for alias in _BY_LENGTH:  # 当事人电话 → 联系电话, 申请人身份证号 → 身份证号
        if len(alias) >= 2 and name.endswith(alias):
            return _ALIASES[alias]
    for alias in _BY_LENGTH:  # 调解员姓名 → 调解员
        if len(alias) >= 2 and alias in name:
            return _ALIASES[alias]
    return None


@dataclass
class Column:
    index: int
    key: str  # the header text (with #2, #3 for a repeated one): what a mapping remembers
    title: str | Text  # as shown to people: the header as written, or ours for a column without one
    field: str | None = None


@dataclass
class Layout:
    """Where the header is and what each column holds."""

    header_rows: tuple[int, ...]  # row numbers in the sheet
    columns: list[Column]
    first_data: int  # index into sheet.rows

    def field_columns(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field}

    def missing(self) -> list[Text]:
        """Required fields no column is mapped to (their labels)."""
        mapped = {c.field for c in self.columns}
        return [BY_NAME[name].label for name in REQUIRED if name not in mapped]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _recognised(cells: list[Cell], remembered: Mapping[str, str]) -> int:
    known = set()
    for cell in cells:
        text = _text(cell)
        found = remembered.get(text) or field_for_header(text) if text and len(text) <= 30 else None
        if found:
            known.add(found)
    return len(known)


def find_layout(sheet: Sheet, remembered: Mapping[str, str]) -> Layout:
    """The header row (or two) and the columns under it; LedgerError when no row looks like a header."""
    scan = sheet.rows[:HEADER_SCAN]
    best, best_score = -1, 1
    for i, (_number, cells) in enumerate(scan):
        score = _recognised(cells, remembered)
        if score > best_score:
            best, best_score = i, score
    if best < 0:
        examples = "、".join(
            BY_NAME[n].aliases[0] for n in ("accepted_on", "applicant", "category", "result")
        )
        raise LedgerError(
            _(
                "在工作表「%(sheet)s」的前 %(rows)s 行中找不到表头：没有一行有两个以上可识别的列名"
                "（如 %(examples)s）。请确认文件是调解台账，并且表头只占一两行。"
            ).of(sheet=sheet.name, rows=HEADER_SCAN, examples=examples)
        )
    number, top = sheet.rows[best]
    width = sheet.width
    titles = [_text(c) for c in top] + [""] * (width - len(top))
    _spread_merged(titles, sheet, number)
    header_rows: tuple[int, ...] = (number,)
    first_data = best + 1
    below = sheet.rows[best + 1] if best + 1 < len(sheet.rows) else None
    if below is not None and below[0] == number + 1 and _is_subheader(below[1], titles, remembered):
        subs = [_text(c) for c in below[1]] + [""] * (width - len(below[1]))
        titles = [sub or top_title for sub, top_title in zip(subs, titles, strict=True)]
        header_rows = (number, below[0])
        first_data = best + 2
    return Layout(header_rows, _columns(titles, remembered), first_data)


def _spread_merged(titles: list[str], sheet: Sheet, number: int) -> None:
    """A header merged across columns names each of them (its sub-header, if any, refines it)."""
    row = number - 1
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= row <= r1 and c1 > c0 and c0 < len(titles):
            for c in range(c0 + 1, min(c1, len(titles) - 1) + 1):
                titles[c] = titles[c] or titles[c0]


def _is_subheader(cells: list[Cell], titles: list[str], remembered: Mapping[str, str]) -> bool:
    """A second header row: text only, naming at least one field, under a header that spans it."""
    if any(not isinstance(c, str) for c in cells if c not in ("", None)):
        return False
    repeated = len(titles) != len(set(t for t in titles if t)) + titles.count("")
    return _recognised(cells, remembered) >= 1 and (repeated or _recognised(cells, {}) >= 2)


def _columns(titles: list[str], remembered: Mapping[str, str]) -> list[Column]:
    seen: dict[str, int] = {}
    columns = []
    for index, title in enumerate(titles):
        base = title or f"第{index + 1}列"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        columns.append(Column(index, key, title or _("（第%(n)s列，无列名）").of(n=index + 1)))
    used: set[str] = set()
    for column in columns:  # remembered first, then guesses; one column per field
        chosen = remembered.get(column.key)
        if chosen in BY_NAME and chosen not in used:
            column.field = chosen
            used.add(chosen)
    for column in columns:
        if column.key in remembered or not titles[column.index]:
            continue
        guess = field_for_header(titles[column.index])
        if guess and guess not in used:
            column.field = guess
            used.add(guess)
    return columns


def apply_choices(layout: Layout, choices: Mapping[str, str]) -> list[Text]:
    """Set the columns' fields as a person chose them (column key → field, "" for none); returns problems."""
    problems = []
    by_field: dict[str, str | Text] = {}
    for column in layout.columns:
        if column.key not in choices:
            continue
        chosen = choices[column.key] or None
        if chosen is not None and chosen not in BY_NAME:
            problems.append(_("列「%(column)s」的对应项无效。").of(column=column.title))
            continue
        column.field = chosen
    for column in layout.columns:
        if column.field is None:
            continue
        if column.field in by_field:
            problems.append(
                _("「%(field)s」同时对应了「%(first)s」和「%(second)s」两列，只能选一列。").of(
                    field=BY_NAME[column.field].label, first=by_field[column.field], second=column.title
                )
            )
            column.field = None
        else:
            by_field[column.field] = column.title
    return problems
