"""The monthly report as tables, for services.exports to write as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterable

from services.exports import Cell, Table, safe_filename
from services.statistics.report import Report, Row, SummaryLine, total_row

DASH = "—"


def report_filename(report: Report, ext: str) -> str:
    return f"{report.month.key}_{safe_filename(str(report.scope.label))}_人民调解月报.{ext}"


def report_tables(report: Report) -> list[Table]:
    """The report's tables: the summary with 环比/同比, breakdowns, workload, trend."""
    caption = f"{report.scope.label} {report.month.title} 人民调解工作统计"
    summary = Table(
        title="月报汇总",
        headers=["指标", "单位", "本月", "上月", "环比(%/百分点)", "去年同月", "同比(%/百分点)"],
        rows=[
            [str(line.indicator.label), str(line.indicator.unit), *(_dash(v) for v in _summary_cells(line))]
            for line in report.summary()
        ],
        formats=["text", "text", "number", "number", "rate", "number", "rate"],
    )
    tables = [summary]
    for name, label, rows in (
        ("按纠纷类型", "纠纷类型", report.categories),
        ("按案件来源", "案件来源", report.sources),
        ("按承办层级", "承办层级", report.tiers),
        ("按社区", "社区", report.communities),
    ):
        tables.append(_breakdown_table(name, label, rows))
    tables.append(
        Table(
            title="调解人员工作量",
            headers=["姓名", "身份", "月末在办案件", "本月达成协议", "本月调解记录"],
            rows=[[w.name, w.roles, w.open_at_end, w.agreed, w.sessions] for w in report.workload],
            totals=[
                "合计",
                None,
                sum(w.open_at_end for w in report.workload),
                sum(w.agreed for w in report.workload),
                sum(w.sessions for w in report.workload),
            ],
            formats=["text", "text", "int", "int", "int"],
        )
    )
    tables.append(
        Table(
            title="月度趋势",
            headers=["月份", "受理数", "调解成功数"],
            rows=[[p.month.key, p.accepted, p.success] for p in report.trend],
            totals=["合计", sum(p.accepted for p in report.trend), sum(p.success for p in report.trend)],
            formats=["text", "int", "int"],
        )
    )
    for table in tables:
        table.caption = caption
    return tables


def _dash(value: Cell) -> Cell:
    return DASH if value is None else value


def _summary_cells(line: SummaryLine) -> list[Cell]:
    return [line.current, line.previous, line.mom, line.last_year, line.yoy]


def _breakdown_table(title: str, label: str, rows: Iterable[Row]) -> Table:
    rows = list(rows)
    return Table(
        title=title,
        headers=[label, "受理数", "调解成功数", "调解不成功数", "成功率(%)"],
        rows=[_breakdown_cells(r) for r in rows],
        totals=_breakdown_cells(total_row(rows)),
        formats=["text", "int", "int", "int", "rate"],
    )


def _breakdown_cells(row: Row) -> list[Cell]:
    return [str(row.label), row.accepted, row.success, row.failure, _dash(row.success_rate)]
