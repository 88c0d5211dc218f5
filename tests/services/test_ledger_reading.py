"""Reading a ledger: every shape communities keep, and every kind of bad file gets a clear message."""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msoffcrypto.format.ooxml
import openpyxl
import pytest
import xlsxwriter
from sqlmodel import Session

from services.ledger import LedgerError, check
from services.ledger import reading as reading_module
from services.ledger.cells import CellProblem, amount_of, day_of, names_of
from services.ledger.columns import field_for_header, find_layout
from services.ledger.reading import sheets
from tests.factories import Factory
from tests.ledger_files import LedgerRow as L
from tests.ledger_files import ledger_csv, ledger_xlsx, two_row_header_xlsx
from tests.services.test_ledger_import import _upload


def _read(content: bytes, name: str = "台账.xlsx") -> Any:
    return next(iter(sheets(content, name)))


def _message(content: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(LedgerError) as err:
        sheet = _read(content, name)
        find_layout(sheet, {})
    return err.value.message


def _openpyxl_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件是空的。"),
        (b"   \n", "文件是空的。"),
        (b"%PDF-1.7 ...", "这是PDF 文件，不是表格"),
        (b"\x89PNG\r\n\x1a\n....", "这是图片，不是表格"),
        (b"\x00\x01\x02binary", "这不是表格文件"),
    ],
    ids=["empty", "blank", "pdf", "png", "binary"],
)
def test_what_is_not_a_spreadsheet_is_named(content: bytes, expected: str) -> None:
    assert expected in _message(content)


def test_a_zip_that_is_not_a_workbook_and_a_truncated_xlsx_are_refused_clearly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "文件已损坏，或不是" in _message(out.getvalue(), "报告.docx")
    whole = ledger_xlsx([L(date(2025, 3, 3))])
    assert "文件已损坏" in _message(whole[: len(whole) // 2])


def test_a_password_protected_xlsx_says_so() -> None:
    plain = io.BytesIO(ledger_xlsx([L(date(2025, 3, 3))]))
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("mima123", locked)
    assert "文件设有打开密码" in _message(locked.getvalue())


def test_a_sheet_with_no_recognisable_header_is_refused() -> None:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "年龄"])
    book.active.append(["张三", 40])
    assert "找不到表头" in _message(_openpyxl_bytes(book))
    assert "找不到表头" in _message("随便写的一段话\n第二行\n".encode(), "note.csv")


def test_too_many_rows_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_module, "MAX_ROWS", 100)
    rows = [L(date(2025, 3, 3), applicant=f"张{i}") for i in range(200)]
    assert "超过一次可导入的 100 行" in _message(ledger_csv(rows), "台账.csv")
    assert "超过一次可导入的 100 行" in _message(ledger_xlsx(rows))


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("gbk", b""), ("gb18030", b""), ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b"")],
    ids=["gbk", "gb18030", "utf-8", "utf-8-bom", "utf-16"],
)
def test_csv_in_every_encoding_excel_saves(encoding: str, prefix: bytes) -> None:
    content = prefix + ledger_csv(
        [L("2025.3.4", applicant="欧阳", respondent="諸葛", category="婚姻家庭纠纷")], encoding=encoding
    )
    sheet = _read(content, "台账.csv")
    layout = find_layout(sheet, {})
    assert layout.field_columns()["applicant"] == 2
    assert sheet.rows[1][1][2] == "欧阳、諸葛"
    assert sheet.rows[1][1][4] == "婚姻家庭纠纷"


def test_the_header_is_found_below_merged_title_rows_and_over_two_rows() -> None:
    sheet = _read(ledger_xlsx([L(date(2025, 3, 3))]))
    layout = find_layout(sheet, {})
    assert layout.header_rows == (3,)
    assert sheet.merged  # the title row is merged across the table
    two = _read(two_row_header_xlsx([L(date(2025, 3, 3))]))
    layout = find_layout(two, {})
    assert layout.header_rows == (2, 3)
    fields = layout.field_columns()
    assert (fields["applicant"], fields["respondent"]) == (3, 4)
    assert (fields["accepted_on"], fields["result"], fields["amount"]) == (1, 10, 12)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("受理日期", "accepted_on"),
        ("登记日期（年月日）", "accepted_on"),
        ("案 号", "number"),
        ("当事人", "applicant"),
        ("申请人姓名", "applicant"),
        ("被申请人", "respondent"),
        ("当事人电话", "phone"),
        ("申请人身份证号", "id_number"),
        ("纠纷类别", "category"),
        ("纠纷简要情况", "facts"),
        ("主要事实", "facts"),
        ("承办人", "mediator"),
        ("调解员姓名", "mediator"),
        ("是否成功", "result"),
        ("协议形式", "agreement_kind"),
        ("标的额（元）", "amount"),
        ("办结日期", "closed_on"),
        ("回访情况", "follow_up"),
        ("备注", "remark"),
        ("天气", None),
    ],
)
def test_common_header_spellings(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        (date(2025, 3, 4), date(2025, 3, 4)),
        ("2025.3.4", date(2025, 3, 4)),
        ("2025年3月4日", date(2025, 3, 4)),
        ("2025-03-04 14:30", date(2025, 3, 4)),
        ("2025/3/4", date(2025, 3, 4)),
        ("20250304", date(2025, 3, 4)),
        (45720.0, date(2025, 3, 4)),
        ("45720", date(2025, 3, 4)),
        ("", None),
    ],
)
def test_dates_as_ledgers_write_them(cell: Any, day: date | None) -> None:
    assert day_of(cell) == day


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("25.3.4", "年份须写全 4 位"),
        ("2025年3月", "日期不完整"),
        ("2025.2.30", "日期不存在"),
        ("三月四日", "无法识别的日期"),
        (99999999.0, "无法识别的日期"),
    ],
)
def test_a_date_that_is_not_one_says_why(cell: Any, message: str) -> None:
    with pytest.raises(CellProblem) as err:
        day_of(cell)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("1,200.50", "1200.50"),
        ("¥800", "800.00"),
        ("1.2万", "12000.00"),
        ("500元", "500.00"),
        (3.5, "3.50"),
        ("无", None),
    ],
)
def test_amounts_as_ledgers_write_them(cell: Any, amount: str | None) -> None:
    assert amount_of(cell) == (Decimal(amount) if amount else None)


@pytest.mark.parametrize(
    ("cell", "message"), [("一千", "金额不是数字"), ("-5", "不能为负数"), ("1e20", "超出范围")]
)
def test_an_amount_that_is_not_one_says_why(cell: Any, message: str) -> None:
    with pytest.raises(CellProblem) as err:
        amount_of(cell)
    assert message in str(err.value)


def test_names_several_to_a_cell() -> None:
    assert names_of("张三、李四") == ["张三", "李四"]
    assert names_of("张三与李四") == ["张三", "李四"]
    assert names_of("王和平") == ["王和平"]


def test_formulas_without_values_are_a_reason_on_their_rows(factory: Factory, session: Session) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["受理日期", "申请人", "被申请人", "纠纷类型", "纠纷简要情况", "调解结果", "涉及金额", "结案日期"]
    )
    sheet.append([date(2025, 3, 3), "张三", "李四", "邻里", "噪音扰民", "调解成功", 100, date(2025, 3, 5)])
    sheet.append([date(2025, 3, 4), "王五", "赵六", "邻里", "漏水", "调解成功", "=G2*2", date(2025, 3, 6)])
    report = check(session, upload=_upload(factory, _openpyxl_bytes(book)))
    assert [r.status for r in report.rows] == ["new", "refused"]
    assert report.rows[1].number == 3
    assert str(report.rows[1].problems[0]).startswith("G3 是公式，没有计算结果")


def test_formulas_with_their_computed_values_are_read_as_values(factory: Factory, session: Session) -> None:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    titles = [
        "受理日期",
        "申请人",
        "被申请人",
        "纠纷类型",
        "纠纷简要情况",
        "调解结果",
        "涉及金额",
        "结案日期",
    ]
    for c, title in enumerate(titles):
        sheet.write_string(0, c, title)
    sheet.write_datetime(1, 0, datetime(2025, 3, 3), day)
    for c, value in enumerate(["张三", "李四", "邻里", "噪音扰民", "调解成功"], start=1):
        sheet.write_string(1, c, value)
    sheet.write_formula(1, 6, "=1000+200", None, 1200)  # as Excel saves it: the formula and its value
    sheet.write_formula(1, 7, "=A2+7", day, 45726)  # 2025-03-10, a date computed from the 受理日期
    book.close()
    report = check(session, upload=_upload(factory, out.getvalue()))
    (row,) = report.rows
    assert row.status == "new", row.problems
    assert row.plan is not None
    assert (row.plan.claimed_amount, row.plan.closed_on) == (Decimal("1200.00"), date(2025, 3, 10))
