"""The floor: the same data fetched by plain SQL through the database driver, without the app.

Reads: the exact statements one request of the page sent (recorded by bench/app_timings.py), replayed
on one open driver connection with every row fetched. This is what the database itself costs for the
page as the application queries it; the number of statements shows N+1 patterns.
Intake: the recorded statements replayed too (they insert a new case with its event and parties; commit
included). Transition (accept): written by hand, because replaying the recorded UPDATEs would hit a case
that is already accepted: the reads the request needs, then the counter, the case and the event, commit.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.app_timings import COMMIT, ROLLBACK, Captured, Timing, sql_count


def connect(url: str) -> Any:
    """A driver connection set up as the app's engine sets up its own."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
        for pragma in ("busy_timeout=30000", "journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        return conn
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def _end(conn: Any, commit: bool) -> None:
    if isinstance(conn, sqlite3.Connection):
        if conn.in_transaction:
            conn.execute("COMMIT" if commit else "ROLLBACK")
    elif commit:
        conn.commit()
    else:
        conn.rollback()


def replay(conn: Any, statements: list[tuple[str, Any, bool]]) -> int:
    """Send the statements, fetch every row; commit/rollback where the app did. Returns rows fetched."""
    rows = 0
    cur = conn.cursor()
    for sql, params, many in statements:
        if sql == COMMIT:
            _end(conn, True)
        elif sql == ROLLBACK:
            _end(conn, False)
        elif sql.startswith("BEGIN") and not isinstance(conn, sqlite3.Connection):
            continue  # psycopg opens its transaction itself
        else:
            # SQLAlchemy sends "insertmanyvalues" batches one row at a time with many=True.
            if (
                many
                and isinstance(params, list | tuple)
                and params
                and isinstance(params[0], list | tuple | dict)
            ):
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params)
            if cur.description:
                rows += len(cur.fetchall())
    _end(conn, False)
    return rows


def _timed(name: str, fn: Any, *, min_reps: int, max_reps: int, budget_s: float, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    while len(samples) < max_reps and (len(samples) < min_reps or time.perf_counter() - started < budget_s):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return Timing(name, samples, cpu_ms=cpu)


def _q(conn: Any, sql: str) -> str:
    return sql if isinstance(conn, sqlite3.Connection) else sql.replace("?", "%s")


def accept_by_hand(conn: Any, case_id: int, user_id: int, now: datetime) -> None:
    """What accepting a registered case needs, in plain SQL (as services.cases.apply does it)."""
    sqlite = isinstance(conn, sqlite3.Connection)
    cur = conn.cursor()

    def run(sql: str, *params: Any) -> list[Any]:
        cur.execute(_q(conn, sql), params)
        return cur.fetchall() if cur.description else []

    stamp: Any = now.replace(tzinfo=None).isoformat(" ") if sqlite else now
    run('SELECT * FROM "user" WHERE id = ?', user_id)
    run("SELECT community_id FROM user_community WHERE user_id = ?", user_id)
    if sqlite:
        cur.execute("BEGIN IMMEDIATE")
    (case,) = run(
        'SELECT id, community_id, state, version, severity_computed FROM "case" WHERE id = ?', case_id
    )
    run("SELECT value FROM setting WHERE key = 'policy'")
    ((last,),) = run(
        "INSERT INTO case_counter (community_id, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (community_id, year) DO UPDATE SET last = case_counter.last + 1 RETURNING last",
        case[1],
        now.year,
    )
    updated = cur.execute(
        _q(
            conn,
            "UPDATE \"case\" SET state = 'accepted', severity = ?, tier = ?, number = ?, number_year = ?, "
            "number_seq = ?, accepted_at = ?, deadline = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ?",
        ),
        (
            case[4],
            "mediator",
            f"（{now.year}）基准人调字第{last:04d}号",
            now.year,
            last,
            stamp,
            (now + timedelta(days=30)).date().isoformat(),
            stamp,
            case_id,
            case[3],
        ),
    )
    if updated.rowcount != 1:
        raise RuntimeError(f"floor accept: case {case_id} not updated")
    run(
        'INSERT INTO case_event (case_id, community_id, "trigger", from_state, to_state, actor_id, at, note, '
        "data) VALUES (?, ?, 'accept', 'registered', 'accepted', ?, ?, '', ?)",
        case_id,
        case[1],
        user_id,
        stamp,
        json.dumps({"severity": case[4]}),
    )
    _end(conn, True)


def run(url: str, captured: list[Captured], member_id: int, *, quick: bool = False) -> list[Timing]:
    """Floor timings for every captured request, and for intake and accept."""
    budget, min_reps, max_reps = (2.0, 10, 50) if quick else (6.0, 30, 300)
    conn = connect(url)
    timings = []
    for cap in captured:
        if cap.name == "transition":
            continue
        slow = cap.name.startswith(("stats", "export"))
        t = _timed(
            cap.name,
            lambda c=cap: replay(conn, c.statements),
            min_reps=10 if slow else min_reps,
            max_reps=max_reps,
            budget_s=budget,
            warmup=1 if slow else 2,
        )
        t.statements = sql_count(cap.statements)
        timings.append(t)
    intake = next(t for t in timings if t.name == "intake")
    cur = conn.cursor()
    cur.execute(
        "SELECT id FROM \"case\" WHERE state = 'registered' ORDER BY id DESC LIMIT "
        + str(len(intake.samples_ms) + 2)
    )
    fresh = [int(r[0]) for r in cur.fetchall()]
    _end(conn, False)
    now = datetime.now(UTC)
    t = _timed(
        "transition",
        lambda: accept_by_hand(conn, fresh.pop(), member_id, now),
        min_reps=min(min_reps, len(fresh) - 2),
        max_reps=len(fresh) - 2,
        budget_s=budget,
    )
    t.statements = 8
    timings.append(t)
    conn.close()
    return timings
