"""flask stats export: writes the report file, or fails with a clear message and a non-zero status."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from models import MonthSnapshot
from tests.factories import bj


@pytest.fixture
def cases(factory):  # type: ignore[no-untyped-def]
    """幸福 has two cases accepted in October 2026 (one on the last evening), 和平 has one."""
    a = factory.community("幸福社区", "幸福", street="幸福街道")
    b = factory.community("和平社区", "和平", street="和平街道")
    for community, moment in ((a, bj(2026, 10, 3)), (a, bj(2026, 10, 31, 23)), (b, bj(2026, 10, 5))):
        case = factory.case("registered", community=community, now=moment)
        factory.fire(case, "accept", now=moment)
    factory.fire(
        factory.case("registered", community=a, now=bj(2026, 11, 1, 0)), "accept", now=bj(2026, 11, 1, 0)
    )
    return {"a": a, "b": b}


def run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["stats", "export", *args])


def test_writes_the_xlsx_report_of_one_community(app, cases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "2026-10_幸福社区_人民调解月报.xlsx"
    result = run(app, "--month", "2026-10", "--format", "xlsx", "--out", str(out), "--community", "幸福")
    assert result.exit_code == 0, result.output
    assert "幸福社区" in result.output and str(out) in result.output
    book = openpyxl.load_workbook(out)
    rows = {r[0].value: r for r in book["月报汇总"].iter_rows(min_row=2)}
    assert rows["受理数"][2].value == 2  # 10-03 and 10-31 23:00 Beijing time; not 11-01 00:00
    assert [c.value for c in book["按社区"][2]][:2] == ["幸福社区", 2]


def test_writes_csv_for_all_communities(app, cases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "all.csv"
    result = run(app, "--month", "2026-10", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    accepted = next(r for r in rows if r[:2] == ["受理数", "件"])
    assert accepted[2] == "3"


def test_writes_the_case_list(app, cases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cases.xlsx"
    result = run(app, "--month", "2026-10", "--out", str(out), "--community", "和平", "--cases")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None and sheet.max_row == 3  # headers, one case, totals
    assert sheet.cell(row=2, column=2).value == "和平社区"


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-00", ""])
def test_bad_month_fails_clearly(app, cases, tmp_path: Path, month: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.xlsx"
    result = run(app, "--month", month, "--out", str(out))
    assert result.exit_code != 0
    assert "月份格式不正确" in result.output
    assert not out.exists()


def test_unknown_community_fails_clearly(app, cases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.xlsx"
    result = run(app, "--month", "2026-10", "--out", str(out), "--community", "无此社区")
    assert result.exit_code != 0
    assert "找不到简称为「无此社区」的社区" in result.output
    assert not out.exists()


def test_bad_format_and_missing_directory_fail(app, cases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run(app, "--month", "2026-10", "--format", "pdf", "--out", str(tmp_path / "x.pdf")).exit_code != 0
    result = run(app, "--month", "2026-10", "--out", str(tmp_path / "nowhere" / "x.xlsx"))
    assert result.exit_code != 0 and "输出目录不存在" in result.output


def test_close_keeps_the_months_that_are_over_once(app, app_session, cases) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["stats", "close"])
    assert first.exit_code == 0 and "已定稿" in first.output and "2026-10" in first.output
    kept = {(s.month, s.community_id): s.accepted for s in app_session.exec(select(MonthSnapshot))}
    assert kept[("2026-10", cases["a"].id)] == 2 and kept[("2026-10", cases["b"].id)] == 1
    again = runner.invoke(args=["stats", "close"])
    assert again.exit_code == 0 and "没有需要定稿" in again.output
