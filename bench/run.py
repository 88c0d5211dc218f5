"""``make bench``: server time, floor and throughput at 10,000 and 1,000,000 cases.

Each size's demo database is built once and cached (bench/build.py). A run works on a copy (SQLite:
a file copy under bench/cache/; PostgreSQL: CREATE DATABASE ... TEMPLATE), so the cached database is
never changed; the copy is deleted afterwards. Results are merged into bench/results.json by backend
and size, and bench/README.md is rewritten from it (bench/report.py).

Options: ``--sizes 10000,1000000`` ``--quick`` (fewer repetitions) ``--seconds 30`` (throughput, ≤ 60)
``--no-throughput``. With DATABASE_URL=postgresql://... set, PostgreSQL is measured after SQLite
(``--pg-sizes``, default 10000).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import bindparam, text

from bench import app_timings, build, floor, remind, report, throughput
from bench.subjects import Subjects, prepare
from services.db import make_engine
from services.schema import head_revision, upgrade

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


@contextmanager
def working_copy(built: build.BuiltDatabase) -> Iterator[str]:
    """A throw-away copy of the cached database; yields its URL."""
    if built.path is not None:
        work = build.CACHE / f"work-{os.getpid()}-{built.cases}.sqlite"
        shutil.copyfile(built.path, work)
        try:
            yield f"sqlite:///{work}"
        finally:
            for f in build.CACHE.glob(f"{work.name}*"):
                f.unlink()
        return
    parts = urlsplit(built.url)
    source = parts.path.lstrip("/")
    name = f"{source}_work_{os.getpid()}"
    admin = make_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def missing_writes(url: str, created: list[int], accepted: list[int]) -> int:
    """Writes that answered success but are not in the database as they should be."""
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            text('SELECT COUNT(*) FROM "case" WHERE id IN :ids').bindparams(bindparam("ids", expanding=True)),
            {"ids": created or [0]},
        ).scalar_one()
        ok = conn.execute(
            text("SELECT COUNT(*) FROM \"case\" WHERE state = 'accepted' AND id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": accepted or [0]},
        ).scalar_one()
    engine.dispose()
    return (len(set(created)) - int(found)) + (len(set(accepted)) - int(ok))


def user_id(url: str, username: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        uid = int(
            conn.execute(text('SELECT id FROM "user" WHERE username = :u'), {"u": username}).scalar_one()
        )
    engine.dispose()
    return uid


def measure(built: build.BuiltDatabase, args: argparse.Namespace) -> dict[str, Any]:
    print(f"== {built.url.split('/')[-1]}: {built.cases} cases (built {built.built_at})", flush=True)
    with working_copy(built) as url:
        engine = make_engine(url)
        subjects: Subjects = prepare(engine, built.built_at)
        engine.dispose()
        print(
            f"  member {subjects.member}, case {subjects.case_id} ({subjects.case_events} events), "
            f"month {subjects.month}, filter category {subjects.category}",
            flush=True,
        )
        reminders = remind.run(url)  # before the timed requests: the desk pages then show the unread count
        timings, captured, accepted = app_timings.run(url, subjects, quick=args.quick)
        missing = missing_writes(url, accepted, accepted)
        if missing:
            raise RuntimeError(f"{missing} accepted cases are not accepted in the database")
        print("  floor (driver only):", flush=True)
        floors = floor.run(url, captured, user_id(url, subjects.member), quick=args.quick)
        for t in floors:
            print(f"  {t.name:<22} median {t.median:8.1f} ms  p95 {t.p95:8.1f} ms", flush=True)
        result: dict[str, Any] = {
            "cases": built.cases,
            "events": _count(url, "case_event"),
            "built_at": built.built_at,
            "migration": head_revision(),
            "subjects": {
                "member": subjects.member,
                "case_id": subjects.case_id,
                "case_events": subjects.case_events,
                "month": subjects.month,
                "filtered": f"state=closed&category={subjects.category}",
            },
            "app": {t.name: t.summary() for t in timings},
            "remind": reminders,
            "floor": {t.name: t.summary() for t in floors},
        }
        if not args.no_throughput:
            print(f"  throughput: {args.seconds} s mixed load on gunicorn ...", flush=True)
            upgrade(url)  # gunicorn imports the code as it is now: a migration may have landed meanwhile
            try:
                result["throughput"] = throughput.run(
                    url,
                    subjects,
                    seconds=args.seconds,
                    verify=lambda created, acc: missing_writes(url, created, acc),
                )
            except RuntimeError as failed:  # keep the timings already taken
                print(f"  throughput failed: {str(failed)[-500:]}", flush=True)
            else:
                tp = result["throughput"]
                print(
                    f"  {tp['rps']} requests/s, {tp['errors']} errors, p95 {tp['latency_p95_ms']} ms",
                    flush=True,
                )
    return result


def measured_alone(built: build.BuiltDatabase, args: argparse.Namespace) -> dict[str, Any]:
    """``measure`` in a fresh child process, so that one size's run (its apps, engines, caches and
    garbage) cannot change the next size's timings: run after the 10k size in one process, the 1M
    admin filtered list measured 21.7 ms; measured alone, 11-12 ms."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result: dict[str, Any] = pool.apply(measure, (built, args))
    return result


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    engine.dispose()
    return n


def machine() -> dict[str, Any]:
    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    return {
        "nproc": os.cpu_count(),
        "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
        "memory": sh("free -h | awk '/Mem:/ {print $2}'"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": sh("psql --version 2>/dev/null | awk '{print $3}'"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--pg-sizes", default="10000")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    stamp = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit, "machine": machine()}
    plans: list[tuple[str, int]] = [("sqlite", int(n)) for n in args.sizes.split(",") if n]
    pg = os.environ.get("DATABASE_URL", "")
    if pg.startswith("postgresql") and not args.sqlite_only:
        plans += [("postgresql", int(n)) for n in args.pg_sizes.split(",") if n]
    for backend, size in plans:
        built = build.sqlite_database(size) if backend == "sqlite" else build.postgres_database(pg, size)
        run = measured_alone(built, args) | stamp
        results.setdefault("runs", {}).setdefault(backend, {})[str(size)] = run
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        report.write(results)
    print(f"wrote {RESULTS.relative_to(HERE.parent)} and bench/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
