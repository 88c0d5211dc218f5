"""The 工作台 alone: ``python -m bench.desk 10000 1000000`` times the desk page of each role and runs
``flask remind`` (bench/remind.py) on a throw-away copy of each cached demo database, and prints a table.

The same rows are part of ``make bench`` (desk_* in bench/report.py); this is the quick way to look at
the desk without the statistics, exports and throughput runs. Nothing is written to results.json.
"""

from __future__ import annotations

import sys
from typing import Any

from bench import app_timings, build, remind
from bench.run import working_copy
from bench.subjects import DESK_USERS


def measure(size: int) -> dict[str, Any]:
    built = build.sqlite_database(size)
    out: dict[str, Any] = {}
    with working_copy(built) as url:
        out["remind"] = remind.run(url)
        app, _ = app_timings.make_app(url)
        for n, (role, username) in enumerate(DESK_USERS.items()):
            client = app_timings.login(app, username, f"10.0.2.{n}")
            req = app_timings.Request(f"desk_{role}", client, "GET", lambda i: "/", note=username)
            timing = app_timings.timed(req, warmup=3, min_reps=30, max_reps=300, budget_s=6.0)
            out[role] = timing.summary()
            print(
                f"  {size:>9,} desk {role:<10} median {timing.median:6.1f} ms  p95 {timing.p95:6.1f} ms",
                flush=True,
            )
        app.extensions["db_engine"].dispose()
    return out


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000]
    results = {size: measure(size) for size in sizes}
    print("| role | " + " | ".join(f"{s:,}: median / p95 / CPU median ms" for s in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for role in DESK_USERS:
        cells = [
            f"{results[s][role]['median_ms']:.1f} / {results[s][role]['p95_ms']:.1f} / "
            f"{results[s][role]['cpu_median_ms']:.1f}"
            for s in sizes
        ]
        print(f"| {role} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
