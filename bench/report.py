"""Turn bench/results.json into the tables of bench/README.md (targets and verdicts included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
NOTES = HERE / "NOTES.md"  # hand-written findings, appended to the README when present

ROWS = (  # name, label, median target (ms), p95 target (ms), scaling target; app/floor target: RATIO_ROWS
    ("list_first_member", "案件列表 first page (member of 1 community)", 20, 50, 1.5),
    ("list_filtered_member", "案件列表 filtered (member)", 20, 50, 1.5),
    ("list_page500_member", "案件列表 page 500 (member)", 20, 50, 1.5),
    ("list_first_admin", "案件列表 first page (admin, all communities)", 20, 50, 1.5),
    ("list_filtered_admin", "案件列表 filtered (admin)", 20, 50, 1.5),
    ("list_page500_admin", "案件列表 page 500 (admin)", 20, 50, 1.5),
    ("queue_member", "我的案件 queue, first page (member)", 20, 50, 1.5),
    ("case_page", "case page with 20 events", 20, 50, 1.5),
    ("desk_volunteer", "工作台 (desk): volunteer", 20, 50, 1.5),
    ("desk_mediator", "工作台 (desk): mediator", 20, 50, 1.5),
    ("desk_judge", "工作台 (desk): judge (3 communities)", 20, 50, 1.5),
    ("desk_staff", "工作台 (desk): staff", 20, 50, 1.5),
    ("desk_leader", "工作台 (desk): leader (3 communities)", 20, 50, 1.5),
    ("intake", "intake POST (incl. commit)", 8, None, None),
    ("transition", "transition POST: accept (incl. commit)", 8, None, None),
    ("stats_all", "monthly statistics, all communities (closed months kept)", 150, None, None),
    ("stats_all_first", "monthly statistics, first view before the month was kept (once)", None, None, None),
    ("export_report_xlsx", "XLSX: monthly report, one month", 2000, None, None),
    ("export_cases_xlsx", "XLSX: case list of one month", 2000, None, None),
)
API_ROWS: tuple[tuple[str, str, int | None], ...] = (  # name, label, median target (ms) or None
    ("api_case", "GET /cases/{id} (case with 20 events)", 5),
    ("api_events", "GET /events, a page of 500", 30),
    ("api_intake", "POST /cases (2 parties, incl. commit)", 10),
    ("api_accept", "POST /cases/{id}/triggers/accept (incl. commit)", 8),
    # The same things through the pages, in the same run (bench/api_timings.py), for reading the API
    # against the pages on a machine whose speed varies.
    ("page_case", "for comparison: the case page, same run", None),
    ("page_intake", "for comparison: the intake form POST, same run", None),
    ("page_accept", "for comparison: the accept form POST, same run", None),
)
SCALING_TARGET = 1.5
RATIO_TARGET = 1.5
RATIO_ROWS = {"stats_all"}  # app/floor has a target for the statistics page only; elsewhere it is shown
BIG, SMALL = "1000000", "10000"


def _ok(value: float | None, limit: float | None) -> str:
    if value is None or limit is None:
        return ""
    return "✅" if value <= limit else "❌"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def backend_table(name: str, runs: dict[str, Any]) -> list[str]:
    big = runs.get(BIG) or runs[max(runs, key=int)]
    small = runs.get(SMALL)
    big_size = big["cases"]
    lines = [
        f"### {name}: {big_size:,} cases ({big['events']:,} events)"
        + (f", scaling against {small['cases']:,}" if small and small is not big else ""),
        "",
        f"Measured {big['date']} at commit `{big['commit']}`; load average at start "
        f"{big['machine']['load_average_at_start']}.",
        "",
        "| request | median ms | p95 ms | target median / p95 | floor median ms | app/floor "
        "| 10k median ms | scaling 1M/10k (≤ 1.5) | SQL statements |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for key, label, med_t, p95_t, scale_t in ROWS:
        app = big["app"].get(key)
        if app is None:
            continue
        fl = big["floor"].get(key)
        ratio = app["median_ms"] / fl["median_ms"] if fl and fl["median_ms"] else None
        small_app = small["app"].get(key) if small and small is not big else None
        scaling = app["median_ms"] / small_app["median_ms"] if small_app else None
        target = "—" if med_t is None else f"≤ {med_t:,}" + (f" / ≤ {p95_t}" if p95_t else "")
        verdict = _ok(app["median_ms"], med_t) + (_ok(app["p95_ms"], p95_t) if p95_t else "")
        ratio_verdict = _ok(ratio, RATIO_TARGET if key in RATIO_ROWS else None)
        lines.append(
            f"| {label} | {_fmt(app['median_ms'])} | {_fmt(app['p95_ms'])} | {target} {verdict} "
            f"| {_fmt(fl['median_ms'] if fl else None)} | {_fmt(ratio, 2)} {ratio_verdict} "
            f"| {_fmt(small_app['median_ms'] if small_app else None)} "
            f"| {_fmt(scaling, 2)} {_ok(scaling, scale_t)} | {app['statements']} |"
        )
    lines.append("")
    lines += remind_lines(runs)
    for size, run in sorted(runs.items(), key=lambda kv: int(kv[0])):
        tp = run.get("throughput")
        if not tp:
            continue
        verdict = "✅" if tp["rps"] >= 300 and tp["errors"] == 0 else "❌"
        lines.append(
            f"Throughput at {int(size):,} cases ({tp['gunicorn']}, {tp['threads']} client threads, "
            f"{tp['seconds']:.0f} s, 80 % reads / 20 % writes): **{tp['rps']} requests/s**, "
            f"**{tp['errors']} errors** {verdict} (target ≥ 300/s, 0 errors); latency median "
            f"{tp['latency_median_ms']} ms, p95 {tp['latency_p95_ms']} ms; by kind {tp['by_kind']}"
            + (f"; errors {tp['error_kinds']}" if tp["error_kinds"] else "")
            + "."
        )
        lines.append("")
    return lines


def remind_lines(runs: dict[str, Any]) -> list[str]:
    """``flask remind`` per size: time and peak memory of the day's first run and of the re-run."""
    lines = []
    for size, run in sorted(runs.items(), key=lambda kv: int(kv[0])):
        r = run.get("remind")
        if not r:
            continue
        first, again = r["first"], r["again"]
        verdict = _ok(first["seconds"], 10) + _ok(first["max_rss_mb"], 300)
        lines.append(
            f"`flask remind` at {int(size):,} cases: first run of the day **{first['seconds']:.2f} s** "
            f"({first.get('cpu_seconds', '—')} s CPU), "
            f"**{first['max_rss_mb']:.0f} MB** peak {verdict} (targets ≤ 10 s, ≤ 300 MB; "
            f"{first['output']}); re-run the same day {again['seconds']:.2f} s, {again['max_rss_mb']:.0f} MB "
            f"({again['output']})."
        )
        lines.append("")
    return lines


HEADER = """# Benchmarks

`make bench` (`.venv/bin/python -m bench.run`) builds and caches demo databases (bench/cache/, ignored by
git) of 10,000 and 1,000,000 cases (`services.demo.generate`, seed 1, ~9 events per case), then on a
throw-away copy of each measures:

- **server time** of each page through the real WSGI app (Flask test client, logged-in users, real
  database file; CSRF is off in this app's config so a POST is one request; time from request to the
  full response body; after a POST the client follows the redirect untimed, as a browser does, so the
  flashed message is consumed). Median and p95 over ≥ 30 repetitions (≥ 10 for statistics and exports), after
  warm-up. The list is measured as `staff_xingfu` (staff of 1 of 8 communities) and as an admin; the
  queue (我的案件, `/cases/mine`) as `staff_xingfu`: it lists every waiting case up to 200, so it shows
  more rows on a bigger database (the note gives how many wait).
  Page 500 of the member's list is clamped to the last page at 10k (48 pages).
- **the floor**: the SQL statements one request of each page sent (recorded from the app), replayed
  through the bare driver (sqlite3 / psycopg) on one open connection with every row fetched. For the
  transition, a hand-written plain-SQL accept (reads, counter, update, event, commit).
  app/floor shows the cost of Python (ORM, forms, workflow, templates) over the database's own work;
  it has a target (≤ 1.5) for the statistics page only.
- **throughput**: gunicorn (2 workers × 4 threads, CSRF on, as `make run`) on 127.0.0.1, 8 client
  threads (http.client, keep-alive, one staff login per community) for 30 s: 25 % list, 15 % filtered
  list, 35 % case page, 5 % queue, 10 % intake, 10 % accept. An error is any unexpected status, or an
  intake/accept that the database does not show afterwards.

- **the JSON API** (bench/api_timings.py): GET /cases/{id} (the case page's case), GET /events (a page
  of 500), POST /cases and POST /cases/{id}/triggers/accept through the same app, as a write client of
  one community with its bearer token (each request authenticates and counts against the rate limit).

Options (`make bench BENCH_ARGS="..."`): `--sizes 10000 --quick --no-throughput --seconds 20`,
`--api-only` (the API's requests alone); with
`DATABASE_URL=postgresql://...` the PostgreSQL runs follow (`--pg-sizes 10000,1000000`).
The machine is shared: the load average at the start of each run is recorded; treat single-digit-ms
differences as noise.

`.venv/bin/python -m bench.ledger [--rows 100000]` times the ledger import (dry run and import of a
realistic 100,000-row XLSX, each in its own process with its peak memory); see that module.
"""


def api_table(name: str, runs: dict[str, Any]) -> list[str]:
    """The API's medians (p95) at every size measured, and the largest size against the smallest."""
    sizes = sorted(runs, key=int)
    small, big = runs[sizes[0]], runs[sizes[-1]]
    ratio_head = f"scaling {int(sizes[-1]):,}/{int(sizes[0]):,} (≤ {SCALING_TARGET})"
    lines = [
        f"### {name}: the JSON API (/api/v1)",
        "",
        *(
            f"- {int(size):,} cases ({runs[size]['events']:,} events): measured {runs[size]['date']} at "
            f"commit `{runs[size]['commit']}`; load average at start "
            f"{runs[size]['machine']['load_average_at_start']}."
            for size in sizes
        ),
        "",
        "| request | "
        + " | ".join(f"{int(size):,}: median (p95) ms" for size in sizes)
        + f" | target median | {ratio_head} | SQL statements |",
        "|---|" + "---:|" * len(sizes) + "---|---:|---:|",
    ]
    for key, label, target in API_ROWS:
        found = [runs[size]["api"].get(key) for size in sizes]
        if not any(found):
            continue
        cells = " | ".join(
            "—" if f is None else f"{_fmt(f['median_ms'])} ({_fmt(f['p95_ms'])})" for f in found
        )
        last = big["api"].get(key)
        first = small["api"].get(key)
        scaling = last["median_ms"] / first["median_ms"] if last and first and len(sizes) > 1 else None
        verdict = _ok(last["median_ms"], target) if last else ""
        statements = (last or first or {}).get("statements")
        goal = "—" if target is None else f"≤ {target} {verdict} (at {int(sizes[-1]):,})"
        lines.append(
            f"| {label} | {cells} | {goal} "
            f"| {_fmt(scaling, 2)} {_ok(scaling, SCALING_TARGET)} | {statements} |"
        )
    lines.append("")
    return lines


def ledger_table(ledger: dict[str, Any]) -> list[str]:
    """The ledger import (``python -m bench.ledger``): dry run and import, time and peak memory."""
    if not ledger:
        return []
    lines = ["## Ledger import (导入台账)", ""]
    for rows, m in sorted(ledger.items(), key=lambda kv: int(kv[0])):
        lines.append(
            f"{int(rows):,}-row XLSX ({m['file_mb']} MB), measured {m['measured_at']}, load average at start "
            f"{[round(x, 2) for x in m['load']]}. Target at 100,000 rows: each ≤ 60 s and ≤ 500 MB "
            "(peak RSS of the process). On this shared machine wall and CPU seconds both grow with the "
            "load (vCPUs shared); the reference below, timed in the same run, says by how much."
        )
        ref = m.get("reference")
        if ref:
            lines.append(
                f"Reference in the same run: the demo generator wrote {ref['cases']:,} cases in "
                f"{ref['seconds']} s ({ref['cpu_seconds']} CPU s); alone on this machine (2 cores) "
                "100,000 took 2 min 53 s on 2026-11-30."
            )
        lines.append("")
        lines.append("| backend | step | seconds (wall) | CPU seconds | peak MB | result |")
        lines.append("|---|---|---:|---:|---:|---|")
        for backend, runs in m["runs"].items():
            for step, label in (("dry_run", "dry run"), ("import", "import"), ("again", "same file again")):
                if step not in runs:
                    continue
                r = runs[step]
                ok = (
                    ("✅" if r["seconds"] <= 60 and r["peak_mb"] <= 500 else "❌")
                    if int(rows) >= 100_000
                    else ""
                )
                lines.append(
                    f"| {backend} | {label} | {r['seconds']} {ok} | {r.get('cpu_seconds', '—')} "
                    f"| {r['peak_mb']} | {r['counts']} |"
                )
        lines.append("")
    return lines


def write(results: dict[str, Any]) -> None:
    lines = [HEADER]
    for backend, runs in results.get("runs", {}).items():
        any_run = next(iter(runs.values()))
        m = any_run["machine"]
        lines.append(f"## {backend}")
        lines.append("")
        lines.append(
            f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, "
            f"SQLite {m['sqlite']}"
            + (f", PostgreSQL {m['postgresql']}" if backend == "postgresql" else "")
            + "."
        )
        lines.append("")
        lines += backend_table(backend, runs)
    for backend, runs in results.get("api", {}).items():
        lines += api_table(backend, runs)
    lines += ledger_table(results.get("ledger", {}))
    if NOTES.exists():
        lines.append(NOTES.read_text())
    README.write_text("\n".join(lines).rstrip() + "\n")
