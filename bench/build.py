"""Build (once) and cache demo databases for the benchmarks.

A SQLite database is kept under bench/cache/ (git ignores it), named by case count, seed and
migration head, e.g. ``bench/cache/sqlite-1000000-s1-0001.sqlite``, with a ``.json`` beside it
recording when and how it was built (the generator's "now" decides which months hold data). When a
migration lands, the newest older file is migrated forward and renamed rather than built again.
A PostgreSQL database is named ``<db>_<cases>_s<seed>_<head>`` on the server of DATABASE_URL.

Run alone: ``.venv/bin/python -m bench.build 1000000`` (prints the path).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text
from sqlmodel import Session

from services.db import make_engine
from services.demo import DEMO_PASSWORD, generate
from services.schema import head_revision, upgrade
from services.statistics import kept_months
from services.users import hash_password

CACHE = Path(__file__).resolve().parent / "cache"
SEED = 1
# Demo users get a cheap hash so that logging in does not dominate the benchmark set-up.
BENCH_HASH_METHOD = "pbkdf2:sha256:1000"


@dataclass(frozen=True)
class BuiltDatabase:
    url: str
    cases: int
    seed: int
    built_at: str  # the generator's "now" (UTC, ISO)
    build_seconds: float
    path: Path | None = None  # the SQLite file


def _meta_write(path: Path, meta: dict[str, object]) -> None:
    path.write_text(json.dumps(meta, indent=1))


def sqlite_database(cases: int, seed: int = SEED) -> BuiltDatabase:
    """The cached SQLite file for ``cases``, built if missing."""
    CACHE.mkdir(exist_ok=True)
    name = f"sqlite-{cases}-s{seed}-{head_revision()}"
    path, meta_path = CACHE / f"{name}.sqlite", CACHE / f"{name}.json"
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        keep_closed_months(f"sqlite:///{path}")
        return BuiltDatabase(f"sqlite:///{path}", cases, seed, meta["built_at"], meta["build_seconds"], path)
    older = _older_build(cases, seed)
    if older is not None:  # built before the newest migration: migrate it forward, keep its data
        upgrade(f"sqlite:///{older}")
        _analyze_and_checkpoint(older)
        meta = json.loads(older.with_suffix(".json").read_text())
        older.with_suffix(".json").unlink()
        shutil.move(older, path)
        _meta_write(meta_path, meta | {"migrated_from": older.stem})
        keep_closed_months(f"sqlite:///{path}")
        return BuiltDatabase(f"sqlite:///{path}", cases, seed, meta["built_at"], meta["build_seconds"], path)
    partial = CACHE / f"{name}.partial.sqlite"
    for leftover in CACHE.glob(f"{name}.partial.sqlite*"):
        leftover.unlink()
    url = f"sqlite:///{partial}"
    built_at, took = _fill(url, cases, seed)
    _analyze_and_checkpoint(partial)
    shutil.move(partial, path)
    _meta_write(meta_path, {"cases": cases, "seed": seed, "built_at": built_at, "build_seconds": took})
    keep_closed_months(f"sqlite:///{path}")
    return BuiltDatabase(f"sqlite:///{path}", cases, seed, built_at, took, path)


def _analyze_and_checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _older_build(cases: int, seed: int) -> Path | None:
    """A finished cached file for these cases and seed built at an older migration, if any."""
    for candidate in sorted(CACHE.glob(f"sqlite-{cases}-s{seed}-*.sqlite")):
        if ".partial" not in candidate.name and candidate.with_suffix(".json").exists():
            return candidate
    return None


def postgres_database(base_url: str, cases: int, seed: int = SEED) -> BuiltDatabase:
    """A PostgreSQL database beside the one in ``base_url``, built if missing or incomplete."""
    parts = urlsplit(base_url)
    base_name = parts.path.lstrip("/") or "postgres"
    name = f"{base_name}_{cases}_s{seed}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = make_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    if exists:
        engine = make_engine(url)
        with engine.connect() as conn:
            meta = (
                conn.execute(text("SELECT value FROM bench_meta WHERE key = 'build'")).scalar_one_or_none()
                if _has_meta(conn)
                else None
            )
        engine.dispose()
        if meta:
            info = json.loads(meta)
            admin.dispose()
            upgrade(url)  # a no-op unless a migration landed since it was built
            keep_closed_months(url)
            return BuiltDatabase(url, cases, seed, info["built_at"], info["build_seconds"])
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}"')
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    built_at, took = _fill(url, cases, seed)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_meta (key text primary key, value text)")
        conn.execute(
            text("INSERT INTO bench_meta VALUES ('build', :v)"),
            {"v": json.dumps({"built_at": built_at, "build_seconds": took})},
        )
    engine.dispose()
    keep_closed_months(url)
    return BuiltDatabase(url, cases, seed, built_at, took)


def keep_closed_months(url: str) -> None:
    """Keep the figures of every month that is over, as the monthly ``flask stats close`` job would.

    The statistics benchmark then measures a report of kept months (the steady state); the first view
    of a month that is not kept is timed separately (bench/app_timings.py, ``stats_all_first``).
    """
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        taken = kept_months.close_all(session)
    engine.dispose()
    if taken:
        took = time.perf_counter() - started
        print(f"  kept {len(taken)} closed months ({taken[0]}..{taken[-1]}) in {took:.1f} s", flush=True)


def _has_meta(conn: object) -> bool:
    return bool(
        conn.execute(text("SELECT to_regclass('bench_meta') IS NOT NULL")).scalar_one()  # type: ignore[attr-defined]
    )


def _fill(url: str, cases: int, seed: int) -> tuple[str, float]:
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    generate(
        engine,
        cases=cases,
        seed=seed,
        password_hash=hash_password(DEMO_PASSWORD, BENCH_HASH_METHOD),
        now=now,
    )
    took = time.perf_counter() - started
    engine.dispose()
    return now.isoformat(), round(took, 1)


def main(argv: list[str]) -> int:
    cases = int(argv[0]) if argv else 10_000
    base = os.environ.get("DATABASE_URL")
    built = postgres_database(base, cases) if base else sqlite_database(cases)
    print(f"{built.url} ({built.cases} cases, built {built.built_at} in {built.build_seconds} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
