"""Monthly statistics from the command line, for scheduled jobs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup

from services.errors import Invalid
from services.exports import case_table, to_csv, to_xlsx
from services.statistics import kept_months
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.report_tables import report_tables
from services.statistics.scope import scope_of_community
from web.database import db

stats = AppGroup("stats", help="Monthly mediation statistics (人民调解月报).")


@stats.command("export")
@click.option("--month", "month_text", required=True, help="统计月份，YYYY-MM，例如 2026-10")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出文件")
@click.option("--community", "short_name", default=None, help="社区简称；不填则统计全部社区")
@click.option("--cases", "case_list", is_flag=True, help="导出本月受理案件清单（脱敏），而不是月报")
def export(month_text: str, fmt: str, out: Path, short_name: str | None, case_list: bool) -> None:
    """Write the monthly report (or the month's case list) of one community or all to a file."""
    try:
        month = Month.parse(month_text)
        scope = scope_of_community(db(), short_name)
    except Invalid as err:
        raise click.ClickException(err.message) from None
    tables = (
        [case_table(db(), scope, month)] if case_list else report_tables(monthly_report(db(), scope, month))
    )
    data = to_csv(tables) if fmt == "csv" else to_xlsx(tables)
    _write_atomically(out, data)
    click.echo(f"已导出 {scope.label} {month.title}{'受理案件清单' if case_list else '人民调解月报'}：{out}")


@stats.command("close")
def close() -> None:
    """Keep the figures of every month that is over and not kept yet (run monthly, e.g. on the 1st)."""
    taken = kept_months.close_all(db())
    if taken:
        click.echo(f"已定稿 {len(taken)} 个月的统计：{taken[0]} 至 {taken[-1]}。")
    else:
        click.echo("没有需要定稿的月份。")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename, so a reader never sees half a file."""
    if not path.parent.is_dir():
        raise click.ClickException(f"输出目录不存在：{path.parent}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".stats-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
