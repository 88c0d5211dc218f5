"""Time the monthly report and its exports on a filled database.

Usage: DATABASE_URL=sqlite:////path/db.sqlite .venv/bin/python -m bench.bench_statistics 2026-10 [SHORT_NAME]
(fill the database first with ``flask --app app demo-data --cases 100000 --seed 7``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from services.db import make_engine, session_factory
from services.exports import case_table, to_csv, to_xlsx
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.report_tables import report_tables
from services.statistics.scope import scope_of_community


def timed(label: str, fn: Callable[[], Any], runs: int = 3) -> Any:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<40} {best * 1000:8.0f} ms (best of {runs})")
    return result


def main() -> None:
    month = Month.parse(sys.argv[1] if len(sys.argv) > 1 else "2026-10")
    engine = make_engine(os.environ["DATABASE_URL"])
    with session_factory(engine)() as session:
        total = session.connection().execute(text('SELECT COUNT(*) FROM "case"')).scalar_one()
        print(f"{engine.dialect.name}, {total} cases, month {month}")
        scope = scope_of_community(session, sys.argv[2] if len(sys.argv) > 2 else None)
        report = timed(f"monthly_report ({scope.label})", lambda: monthly_report(session, scope, month))
        print(f"  accepted {report.current.accepted}, success {report.current.success}")
        tables = report_tables(report)
        xlsx = timed("report XLSX (tables → bytes)", lambda: to_xlsx(tables))
        timed("report CSV (tables → bytes)", lambda: to_csv(tables))
        cases = timed("case list query", lambda: case_table(session, scope, month))
        timed("case list XLSX", lambda: to_xlsx([cases]))
        print(f"  report xlsx {len(xlsx)} bytes, case list {len(cases.rows)} rows")


if __name__ == "__main__":
    main()
