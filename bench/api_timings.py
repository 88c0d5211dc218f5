"""Server time of the JSON API (/api/v1) through the real WSGI app, as a city platform calls it.

A write client of one community, acting as staff, is created on the working copy as an admin would
(services.api_clients); every request carries its bearer token, so each one authenticates, counts
against the client's rate limit (raised for the run, never switched off) and marks the client's last
use, as in production. Requests, repetitions and the recorded SQL are those of bench/app_timings.py:

- ``api_case``: GET /cases/{id} of the case with ~20 events (the case page's subject): parties, events,
  and which triggers the client may fire now;
- ``api_events``: GET /events, one page of 500 events of the client's community, starting 2,500
  events before the community's newest;
- ``api_intake``: POST /cases (the intake form's data as JSON, a new external_ref each time);
- ``api_accept``: POST /cases/{id}/triggers/accept on the cases the intake created.

Then the same three things through the pages, in the same process a moment later (``page_case``,
``page_intake``, ``page_accept``: bench/app_timings.py's requests), so that the API can be read against
the pages on a machine whose speed varies from run to run.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from bench.app_timings import Recorder, Request, Timing, make_app, recorded, shown, sql_count, timed
from bench.app_timings import requests as page_requests
from bench.subjects import ACCEPT_FORM, Subjects, intake_form
from services.api_clients import create_client
from services.db import make_engine

PREFIX = "/api/v1"
FEED_PAGE = 500
FEED_BACK = 5 * FEED_PAGE  # the page starts this many events before the community's newest


def intake_body(form: dict[str, str]) -> dict[str, Any]:
    """The intake form's fields as the API's JSON body (``parties-0-name`` → ``parties[0].name``)."""
    body: dict[str, Any] = {k: v for k, v in form.items() if not k.startswith("parties-")}
    parties: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        if key.startswith("parties-"):
            _prefix, index, name = key.split("-", 2)
            parties.setdefault(int(index), {})[name] = value
    body["parties"] = [parties[i] for i in sorted(parties)]
    body["community_id"] = int(body["community_id"])
    body["people_involved"] = int(body["people_involved"])
    return body


def _setup(url: str, s: Subjects) -> tuple[str, int, int]:
    """The client's token, its community (that of the case with ~20 events), and where the feed starts."""
    engine = make_engine(url)
    with engine.connect() as conn:
        community = int(
            conn.execute(text('SELECT community_id FROM "case" WHERE id = :i'), {"i": s.case_id}).scalar_one()
        )
        after = conn.execute(
            text("SELECT id FROM case_event WHERE community_id = :c ORDER BY id DESC LIMIT 1 OFFSET :n"),
            {"c": community, "n": FEED_BACK},
        ).scalar_one_or_none()
    with Session(engine) as session:
        issued = create_client(session=session, name="基准测试平台", community_ids=[community], scope="write")
    engine.dispose()
    return issued.token, community, int(after or 0)


def requests(url: str, s: Subjects, app: Any) -> tuple[list[Request], Request, Request, list[int]]:
    """The two reads, the intake and the accept; the ids of the cases the intake created (to accept)."""
    token, community, after = _setup(url, s)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    reads = [
        Request(
            "api_case",
            client,
            "GET",
            lambda i: f"{PREFIX}/cases/{s.case_id}",
            note=f"{s.case_events} events",
        ),
        Request(
            "api_events",
            client,
            "GET",
            lambda i: f"{PREFIX}/events?after={after}&limit={FEED_PAGE}",
            note=f"a page of {FEED_PAGE} events of one community",
        ),
    ]
    created: list[int] = []
    pending: list[int] = []

    def remember(response: Any) -> None:
        case_id = int(response.headers["Location"].rsplit("/", 1)[-1])
        created.append(case_id)
        pending.append(case_id)

    rng = random.Random(7)
    refs = itertools.count(1)
    intake = Request(
        "api_intake",
        client,
        "POST",
        lambda i: f"{PREFIX}/cases",
        body=lambda i: {
            **intake_body(intake_form(rng, community, s.categories[:5])),
            "external_ref": f"BENCH-{next(refs)}",
        },
        expect=201,
        after=remember,
        note="2 parties; commit included",
    )
    accept = Request(
        "api_accept",
        client,
        "POST",
        lambda i: f"{PREFIX}/cases/{pending.pop(0)}/triggers/accept",
        body=lambda i: {"expected_version": 1, "data": {"note": ACCEPT_FORM["note"]}},
        note="numbering, deadline; commit included",
    )
    return reads, intake, accept, created


def run(url: str, s: Subjects, *, quick: bool = False) -> tuple[list[Timing], list[int]]:
    """Time the API's requests; returns the timings and the ids of the cases accepted through it."""
    app, recorder = make_app(url)
    app.config["API_RATE_PER_MINUTE"] = 10**9  # the run sends far more than a platform would
    reads, intake, accept, created = requests(url, s, app)
    budget, min_reps, max_reps = (2.0, 10, 50) if quick else (8.0, 30, 300)
    timings = []
    for req in [*reads, intake]:
        req.send(0)
        statements = _statements(recorder, req)
        timing = timed(req, warmup=3, min_reps=min_reps, max_reps=max_reps, budget_s=budget)
        timing.statements = statements
        timings.append(shown(timing))
    statements = _statements(recorder, accept)
    left = len(created) - 4  # one accepted by the recording, three by the warm-up
    timing = timed(accept, warmup=3, min_reps=min(min_reps, left), max_reps=left, budget_s=budget)
    timing.statements = statements
    timings.append(shown(timing))
    accepted = created[: 4 + len(timing.samples_ms)]
    timings += _pages(app, recorder, s, min_reps=min_reps, max_reps=max_reps, budget=budget)
    return timings, accepted


def _pages(app: Any, recorder: Recorder, s: Subjects, **reps: Any) -> list[Timing]:
    """The case page, the intake form and the accept form, timed as bench/app_timings.py times them."""
    reads, writes = page_requests(app, s)
    case_page = next(r for r in reads if r.name == "case_page")
    out = []
    for name, req in (("page_case", case_page), ("page_intake", writes["intake"])):
        req.send(0)
        statements = _statements(recorder, req)
        out.append(_timed(req, name, statements, **reps))
    accept, left = writes["accept"], len(writes["created"]) - 4
    statements = _statements(recorder, accept)
    out.append(_timed(accept, "page_accept", statements, **{**reps, "max_reps": left}))
    return out


def _timed(
    req: Request, name: str, statements: int, *, min_reps: int, max_reps: int, budget: float
) -> Timing:
    timing = timed(req, warmup=3, min_reps=min(min_reps, max_reps), max_reps=max_reps, budget_s=budget)
    timing.name, timing.statements = name, statements
    return shown(timing)


def _statements(recorder: Recorder, req: Request) -> int:
    return sql_count(recorded(recorder, req, req.name).statements)
