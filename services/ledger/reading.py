"""Reading a ledger file into rows of cells: Excel (XLSX, XLS, ODS) with python-calamine, CSV as text.

python-calamine (Rust's calamine) reads a 100,000-row sheet in seconds with typed cells (numbers,
dates, text), the cached value of every formula, merged ranges and a clear error for a password; see
README.md for why it over openpyxl. CSV: UTF-8 with or without BOM, GB18030 (a superset of GBK and
GB2312, what Excel on a Chinese Windows saves), UTF-16 (Excel's 「Unicode 文本」); comma, tab or
semicolon separated.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import python_calamine as calamine

from services.errors import Invalid
from workflow.text import Text, _

Cell = str | float | int | bool | date | datetime | time | timedelta | None
MAX_ROWS = 200_000
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_NOT_TABLES = (
    (b"%PDF", _("PDF 文件")),
    (b"\x89PNG", _("图片")),
    (b"\xff\xd8\xff", _("图片")),
    (b"GIF8", _("图片")),
)
ACCEPTED = _("Excel 表格（.xlsx、.xls）、ODS 或 CSV 文件")


class LedgerError(Invalid):
    """A file that cannot be read as a ledger; the message says why and what to do.

    ``text`` is the same message still to be shown: a page shows it in the reader's language with the
    file's own words in it (a sheet's name) kept as written (web.display.shown).
    """

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass
class Sheet:
    """One worksheet's rows: (row number as the sheet shows it, cells), blank rows left out."""

    name: str
    kind: str  # xlsx | xls | ods | csv
    rows: list[tuple[int, list[Cell]]]
    width: int
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive
    formula_cells: dict[int, list[str]] = field(default_factory=dict)  # row number → cells with no value
    other_sheets: list[str] = field(default_factory=list)


def sheets(content: bytes, filename: str) -> Generator[Sheet, None, None]:
    """The file's worksheets with rows, in order; raises LedgerError for what is not a readable table."""
    if not content.strip():
        raise LedgerError(_("文件是空的。"))
    if content.startswith((ZIP, OLE)):
        yield from _workbook(content, filename)
        return
    for magic, what in _NOT_TABLES:
        if content.startswith(magic):
            raise LedgerError(
                _("这是%(what)s，不是表格。请上传%(accepted)s。").of(what=what, accepted=ACCEPTED)
            )
    yield _csv(content)


def _workbook(content: bytes, filename: str) -> Generator[Sheet, None, None]:
    locked = LedgerError(_("文件设有打开密码。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后再上传。"))
    if content.startswith(OLE) and ENCRYPTED in content:  # an encrypted XLSX is an OLE box around the package
        raise locked
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except calamine.PasswordError:
        raise locked from None
    except Exception:  # calamine raises several kinds (zip, XML, format) for the same fault
        raise LedgerError(
            _("无法读取「%(file)s」：文件已损坏，或不是%(accepted)s。").of(file=filename, accepted=ACCEPTED)
        ) from None
    kind = "xlsx" if content.startswith(ZIP) else "xls"
    if content.startswith(ZIP) and b"content.xml" in content[:2000]:
        kind = "ods"
    names = [m.name for m in book.sheets_metadata if str(m.visible).lower().endswith("visible")]
    names = names or list(book.sheet_names)
    for index, name in enumerate(names):
        rows, width, merged = _sheet(book, name)
        formulas = _formulas_without_values(content, index) if kind == "xlsx" else {}
        yield Sheet(name, kind, rows, width, merged, formulas, [n for n in names if n != name])


def _sheet(book: Any, name: str) -> tuple[list[tuple[int, list[Cell]]], int, list[Any]]:
    """One worksheet's rows as Python values (calamine's own copy is freed on return)."""
    try:
        sheet = book.get_sheet_by_name(name)
        height = sheet.total_height
        if height > MAX_ROWS + 50:
            raise LedgerError(
                _("工作表「%(sheet)s」有 %(rows)s 行，超过一次可导入的 %(most)s 行。请分成几个文件导入。").of(
                    sheet=name, rows=f"{height:,}", most=f"{MAX_ROWS:,}"
                )
            )
        rows, width = _rows(sheet.iter_rows(), sheet.start[0] if sheet.start else 0)
        return rows, width, list(sheet.merged_cell_ranges or [])
    except LedgerError:
        raise
    except Exception:
        raise LedgerError(_("无法读取工作表「%(sheet)s」：文件已损坏。").of(sheet=name)) from None


def _rows(source: Iterator[list[Any]], first: int) -> tuple[list[tuple[int, list[Cell]]], int]:
    rows: list[tuple[int, list[Cell]]] = []
    width = 0
    for offset, cells in enumerate(source):
        if any(c not in ("", None) for c in cells):
            rows.append((first + offset + 1, cells))
            width = max(width, len(cells))
    return rows, width


# --- formulas whose value was never computed (a file written by a program, never opened in Excel) ----
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v>\s*</v>|<v\s*/>)?\s*</c>'
)
_SHEET_ENTRY = re.compile(rb'<sheet [^>]*?r:id="([^"]+)"')
_REL = re.compile(
    rb'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"'
    rb'|<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"'
)


def _formulas_without_values(content: bytes, index: int) -> dict[int, list[str]]:
    """Cells of the ``index``-th sheet holding a formula but no computed value, by row number."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            path = _sheet_path(archive, index)
            if path is None:
                return {}
            xml = archive.read(path)
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    if b"<f" not in xml:
        return {}
    found: dict[int, list[str]] = {}
    for match in _CELL.finditer(xml):
        found.setdefault(int(match.group(2)), []).append(match.group(1).decode() + match.group(2).decode())
    return found


def _sheet_path(archive: zipfile.ZipFile, index: int) -> str | None:
    workbook = archive.read("xl/workbook.xml")
    ids = _SHEET_ENTRY.findall(workbook)
    if index >= len(ids):
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for a, b, c, d in _REL.findall(rels):
        targets[a or d] = b or c
    target = targets.get(ids[index], b"").decode()
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


# --- CSV ------------------------------------------------------------------------------------------------
def decode(content: bytes) -> str:
    """CSV bytes as text: a BOM says the encoding; else UTF-8 if it decodes, else GB18030."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    if b"\x00" in content[:4096]:
        raise LedgerError(_("这不是表格文件。请上传%(accepted)s。").of(accepted=ACCEPTED))
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerError(
        _("无法识别 CSV 文件的编码（应为 UTF-8 或 GBK/GB18030）。请在 Excel 中另存为「CSV UTF-8」后再上传。")
    )


def _csv(content: bytes) -> Sheet:
    try:
        text = decode(content)
    except UnicodeDecodeError:
        raise LedgerError(_("CSV 文件的编码有误，无法读取。请另存为「CSV UTF-8」后再上传。")) from None
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    rows: list[tuple[int, list[Cell]]] = []
    width = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if number > MAX_ROWS + 50:
                raise LedgerError(
                    _("CSV 文件超过一次可导入的 %(most)s 行。请分成几个文件导入。").of(most=f"{MAX_ROWS:,}")
                )
            if any(c.strip() for c in cells):
                rows.append((number, list(cells)))
                width = max(width, len(cells))
    except csv.Error as exc:
        raise LedgerError(_("CSV 文件格式有误（%(why)s）。").of(why=exc)) from None
    if not rows:
        raise LedgerError(_("文件里没有任何内容。"))
    return Sheet("CSV", "csv", rows, width)
