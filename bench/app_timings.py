"""Server time of each page through the real WSGI app (Flask test client, logged-in users).

CSRF is switched off in this app's config (``WTF_CSRF_ENABLED=False``) so that a POST is one request;
everything else is the production app: real login, real forms, real services, real database file.
The throughput benchmark (bench/throughput.py) runs with CSRF on.

Each request's SQL is recorded once (statement and parameters, as the driver received them) so that
bench/floor.py can replay exactly those statements without the application around them.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import bindparam, event, text

from app import create_app
from bench.subjects import ACCEPT_FORM, DESK_USERS, PASSWORD, Subjects, intake_form
from services.db import make_engine
from services.statistics.months import Month

COMMIT, ROLLBACK = "<commit>", "<rollback>"


def sql_count(statements: list[tuple[str, Any, bool]]) -> int:
    """Statements sent, not counting transaction control."""
    return sum(1 for sql, _, _ in statements if not sql.startswith(("BEGIN", "<")))


@dataclass
class Timing:
    name: str
    samples_ms: list[float]
    statements: int = 0  # SQL statements one request issues
    note: str = ""
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per repetition

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def summary(self) -> dict[str, Any]:
        return {
            "median_ms": round(self.median, 2),
            "p95_ms": round(self.p95, 2),
            "reps": len(self.samples_ms),
            "cpu_median_ms": round(statistics.median(self.cpu_ms), 2) if self.cpu_ms else None,
            "statements": self.statements,
            "note": self.note,
        }


@dataclass
class Recorder:
    """Collects the SQL the app sends to the driver while ``on`` is set."""

    on: bool = False
    statements: list[tuple[str, Any, bool]] = field(default_factory=list)

    def __call__(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if self.on:
            self.statements.append((statement, params, many))

    def mark(self, what: str) -> None:
        if self.on:
            self.statements.append((what, None, False))

    def take(self) -> list[tuple[str, Any, bool]]:
        out, self.statements = self.statements, []
        return out


def make_app(url: str, *, csrf: bool = False) -> tuple[Flask, Recorder]:
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "WTF_CSRF_ENABLED": csrf,
        }
    )
    recorder = Recorder()
    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", recorder)
    event.listen(engine, "commit", lambda conn: recorder.mark(COMMIT))
    event.listen(engine, "rollback", lambda conn: recorder.mark(ROLLBACK))
    return app, recorder


def login(app: Flask, username: str, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")
    return client


@dataclass
class Request:
    """One benchmarked request: who, what, and the status it must answer."""

    name: str
    client: FlaskClient
    method: str
    path: Callable[[int], str]
    data: Callable[[int], dict[str, str]] | None = None
    expect: int = 200
    after: Callable[[Any], None] | None = None
    note: str = ""

    def send(self, i: int) -> Any:
        path = self.path(i)
        if self.method == "GET":
            response = self.client.get(path)
        else:
            response = self.client.post(path, data=self.data(i) if self.data else {})
        if response.status_code != self.expect:
            raise RuntimeError(f"{self.name}: {path} answered {response.status_code}, not {self.expect}")
        response.get_data()
        if self.after:
            self.after(response)
        return response

    def settle(self, response: Any) -> None:
        """Follow a redirect as a browser does (not timed): the next page shows, and so consumes, the
        flashed message. Without it the messages pile up in the session cookie and every later request
        pays for decoding and re-signing an ever larger cookie."""
        location = response.headers.get("Location")
        if response.status_code in (302, 303) and location:
            self.client.get(location)


def timed(req: Request, *, warmup: int, min_reps: int, max_reps: int, budget_s: float) -> Timing:
    """Warm up, then repeat until the time budget is spent (within min_reps..max_reps)."""
    for i in range(warmup):
        req.settle(req.send(i))
    samples: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    i = warmup
    while len(samples) < max_reps and (len(samples) < min_reps or time.perf_counter() - started < budget_s):
        c0, t0 = time.process_time(), time.perf_counter()
        response = req.send(i)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        req.settle(response)
        i += 1
    return Timing(req.name, samples, note=req.note, cpu_ms=cpu)


@dataclass
class Captured:
    """The SQL one request of a kind sent, for the floor."""

    name: str
    statements: list[tuple[str, Any, bool]]


def requests(app: Flask, s: Subjects) -> tuple[list[Request], dict[str, Any]]:
    """The read and write requests of the benchmark, with logged-in clients."""
    member = login(app, s.member, "10.0.0.1")
    admin = login(app, s.admin, "10.0.0.2")
    viewer = member if s.case_viewer == s.member else login(app, s.case_viewer, "10.0.0.3")
    filtered = f"/cases/?state=closed&category={s.category}"
    reads = []
    for who, client in (("member", member), ("admin", admin)):
        reads += [
            Request(f"list_first_{who}", client, "GET", lambda i: "/cases/"),
            Request(
                f"list_filtered_{who}", client, "GET", lambda i, f=filtered: f, note="state=closed&category"
            ),
            Request(f"list_page500_{who}", client, "GET", lambda i: "/cases/?page=500"),
        ]
    for role, username in DESK_USERS.items():
        who = member if username == s.member else login(app, username, f"10.0.1.{len(reads)}")
        reads.append(Request(f"desk_{role}", who, "GET", lambda i: "/", note=username))
    reads += [
        Request(
            "queue_member",
            member,
            "GET",
            lambda i: "/cases/mine",
            note=f"{s.queue_waiting} waiting, first page of 20",
        ),
        Request("case_page", viewer, "GET", lambda i: f"/cases/{s.case_id}", note=f"{s.case_events} events"),
        Request("stats_all", admin, "GET", lambda i: f"/stats/?month={s.month}&scope=all", note=s.month),
        Request(
            "export_report_xlsx",
            admin,
            "GET",
            lambda i: f"/stats/export.xlsx?month={s.month}&scope=all",
            note="monthly report, all communities",
        ),
        Request(
            "export_cases_xlsx",
            admin,
            "GET",
            lambda i: f"/stats/cases.xlsx?month={s.month}&scope=all",
            note="every case accepted in the month, all communities",
        ),
    ]
    created: list[int] = []
    pending: list[int] = []

    def remember(response: Any) -> None:
        case_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
        created.append(case_id)
        pending.append(case_id)

    rng = random.Random(7)
    intake = Request(
        "intake",
        member,
        "POST",
        lambda i: "/cases/new",
        lambda i: intake_form(rng, s.member_community, s.categories[:5]),
        expect=303,
        after=remember,
        note="2 parties; commit included",
    )
    accept = Request(
        "transition",
        member,
        "POST",
        lambda i: f"/cases/{pending.pop(0)}",
        lambda i: {**ACCEPT_FORM, "version": "1"},
        expect=303,
        note="accept (numbering, deadline); commit included",
    )
    return reads, {"intake": intake, "accept": accept, "created": created, "member": member}


def first_view(url: str, req: Request, month_key: str) -> Timing:
    """The statistics page once, after forgetting the kept figures of its month, the month before and
    the same month last year (the first view of a month before ``flask stats close`` ran): those three
    are computed and kept by this request."""
    month = Month.parse(month_key)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM month_snapshot WHERE month IN :m").bindparams(bindparam("m", expanding=True)),
            {"m": [month.key, month.shift(-1).key, month.shift(-12).key]},
        )
    engine.dispose()
    c0, t0 = time.process_time(), time.perf_counter()
    response = req.send(0)
    took, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    req.settle(response)
    timing = Timing("stats_all_first", [took], note=f"{month}: 3 months computed and kept", cpu_ms=[cpu])
    print(f"  {timing.name:<22} {took:8.1f} ms (once)", flush=True)
    return timing


def _recorded(recorder: Recorder, req: Request, name: str) -> Captured:
    """Send the request once with the SQL recorder on (and follow its redirect, unrecorded)."""
    recorder.on = True
    response = req.send(0)
    recorder.on = False
    req.settle(response)
    return Captured(name, recorder.take())


def _shown(t: Timing) -> Timing:
    print(
        f"  {t.name:<22} median {t.median:8.1f} ms  p95 {t.p95:8.1f} ms"
        f"  ({len(t.samples_ms)} reps, {t.statements} SQL)",
        flush=True,
    )
    return t


def run(url: str, s: Subjects, *, quick: bool = False) -> tuple[list[Timing], list[Captured], list[int]]:
    """Time every request; record one request's SQL of each kind. Returns timings, SQL, accepted ids."""
    app, recorder = make_app(url)
    reads, writes = requests(app, s)
    budget, min_reps, max_reps = (2.0, 10, 50) if quick else (8.0, 30, 300)
    timings, captured = [], []
    for req in reads:
        if req.name == "stats_all":
            timings.append(first_view(url, req, s.month))
        req.send(0)
        captured.append(_recorded(recorder, req, req.name))
        slow = req.name.startswith(("stats", "export"))
        timing = timed(
            req,
            warmup=1 if slow else 3,
            min_reps=10 if slow else min_reps,
            max_reps=max_reps,
            budget_s=budget,
        )
        timing.statements = sql_count(captured[-1].statements)
        timings.append(_shown(timing))
    intake, accept, created = writes["intake"], writes["accept"], writes["created"]
    captured.append(_recorded(recorder, intake, "intake"))
    t_intake = timed(intake, warmup=3, min_reps=min_reps, max_reps=max_reps, budget_s=budget)
    t_intake.statements = sql_count(captured[-1].statements)
    captured.append(_recorded(recorder, accept, "transition"))
    left = len(created) - 4
    t_accept = timed(accept, warmup=3, min_reps=min(min_reps, left), max_reps=left, budget_s=budget)
    t_accept.statements = sql_count(captured[-1].statements)
    timings += [_shown(t_intake), _shown(t_accept)]
    return timings, captured, created[: 4 + len(t_accept.samples_ms)]
