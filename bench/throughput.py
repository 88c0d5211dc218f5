"""Requests per second of a mixed read/write workload against gunicorn on loopback.

gunicorn runs the production app (``app:create_app()``, CSRF on) with 2 workers and 4 threads each,
as ``make run`` does, on 127.0.0.1 and a free port. Client threads (http.client, keep-alive) each log
in as the staff member of one community, take a CSRF token from the intake form, then send requests
drawn from MIX until the time is up. Every answer other than the expected status is an error, and so
is an intake or accept that the database does not show afterwards.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.subjects import ACCEPT_FORM, PASSWORD, Subjects, intake_form

ROOT = Path(__file__).resolve().parent.parent
MIX = (  # (kind, weight): 80 % reads, 20 % writes
    ("list", 25),
    ("list_filtered", 15),
    ("case_page", 35),
    ("queue", 5),
    ("intake", 10),
    ("accept", 10),
)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Tally:
    ok: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    intakes: list[int] = field(default_factory=list)
    accepts: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One logged-in browser-like session over a keep-alive connection."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.retries = 0
        self.conn = self._connect()
        self.cookies: dict[str, str] = {}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))

    def send(
        self, method: str, path: str, form: dict[str, str] | None = None, *, retry: bool = False
    ) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            # The server closed an idle keep-alive connection as we reused it. A browser retries on a
            # new connection a GET, or any request it could not even send; so do we (counted).
            self.conn.close()
            self.conn = self._connect()
            unsent = isinstance(exc, BrokenPipeError)
            if retry or not (method == "GET" or unsent):
                raise
            self.retries += 1
            return self.send(method, path, form, retry=True)
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = self._connect()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def login(self, username: str) -> str:
        """Log in through the real form (CSRF on); return a CSRF token for later posts."""
        _, _, page = self.send("GET", "/login")
        token = TOKEN.search(page)
        status, _, _ = self.send(
            "POST",
            "/login",
            {"csrf_token": token.group(1) if token else "", "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"login as {username}: {status}")
        _, _, page = self.send("GET", "/cases/new")
        token = TOKEN.search(page)
        if not token:
            raise RuntimeError("no CSRF token on /cases/new")
        return token.group(1)


@dataclass
class Visitor:
    """One logged-in staff member sending the mix; remembers the cases it registered."""

    client: Client
    token: str
    community: int
    s: Subjects
    rng: random.Random
    tally: Tally
    pending: list[int] = field(default_factory=list)

    def one(self, kind: str) -> tuple[bool, object]:
        """Send one request of ``kind``; (answered as expected, status)."""
        if kind == "intake":
            form = {"csrf_token": self.token, **intake_form(self.rng, self.community, self.s.categories[:5])}
            status, where, _ = self.client.send("POST", "/cases/new", form)
            if status != 303 or "/cases/" not in where:
                return False, status
            case_id = int(where.rstrip("/").rsplit("/", 1)[-1])
            self.pending.append(case_id)
            with self.tally.lock:
                self.tally.intakes.append(case_id)
            return True, status
        if kind == "accept":
            case_id = self.pending.pop(0)
            form = {"csrf_token": self.token, **ACCEPT_FORM, "version": "1"}
            status, _, _ = self.client.send("POST", f"/cases/{case_id}", form)
            if status == 303:  # a refusal answers 409/422 with the page; checked in the database afterwards
                with self.tally.lock:
                    self.tally.accepts.append(case_id)
            return status == 303, status
        paths = {
            "list": "/cases/",
            "list_filtered": f"/cases/?state=closed&category={urllib.parse.quote(self.s.category)}",
            "queue": "/cases/mine",
        }
        path = paths.get(kind) or f"/cases/{self.rng.choice(self.s.sample_cases[self.community])}"
        status, _, _ = self.client.send("GET", path)
        return status == 200, status


def worker(
    port: int, username: str, community: int, s: Subjects, seed: int, start: float, stop: float, tally: Tally
) -> None:
    """Log in, wait for the common start (logins are not counted), then send requests until ``stop``."""
    # Each client its own loopback address (127.0.0.2, ...), like users on different machines.
    client = Client(port, f"127.0.0.{seed % 200 + 2}")
    try:
        token = client.login(username)
    except (RuntimeError, http.client.HTTPException, OSError) as exc:
        with tally.lock:
            tally.errors[f"login:{exc}"] += 1
        return
    visitor = Visitor(client, token, community, s, random.Random(seed), tally)
    kinds, weights = zip(*MIX, strict=True)
    time.sleep(max(0.0, start - time.time()))
    while time.time() < stop:
        kind = visitor.rng.choices(kinds, weights)[0]
        if kind == "accept" and not visitor.pending:
            kind = "intake"
        t0 = time.perf_counter()
        try:
            good, status = visitor.one(kind)
        except (http.client.HTTPException, OSError) as exc:
            good, status = False, type(exc).__name__
        took = (time.perf_counter() - t0) * 1000
        with tally.lock:
            tally.latencies.append(took)
            tally.by_kind.setdefault(kind, []).append(took)
            tally.retries += client.retries
            client.retries = 0
            if good:
                tally.ok[kind] += 1
            else:
                tally.errors[f"{kind}:{status}"] += 1


def serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    instance = tempfile.mkdtemp(prefix="bench-instance-")
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "TIAOJIE_INSTANCE": instance}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "app:create_app()"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:  # ready when a worker answers, not when the master has bound the port
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except (OSError, http.client.HTTPException):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start in 30 s")


def run(
    url: str, s: Subjects, *, seconds: float = 30, threads: int = 8, verify: Any = None
) -> dict[str, Any]:
    """Serve, load for ``seconds`` (≤ 60), stop; return rps, errors, latency percentiles."""
    seconds = min(seconds, 60)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    proc = serve(url, port, log)
    tally = Tally()
    try:
        communities = sorted(s.staff)
        start = time.time() + 3  # logins happen before the clock starts
        stop = start + seconds
        pool = [
            threading.Thread(
                target=worker,
                args=(
                    port,
                    s.staff[communities[i % len(communities)]],
                    communities[i % len(communities)],
                    s,
                    100 + i,
                    start,
                    stop,
                    tally,
                ),
                daemon=True,
            )
            for i in range(threads)
        ]
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=seconds + 60)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    done = sum(tally.ok.values())
    errors = sum(tally.errors.values())
    missing = verify(tally.intakes, tally.accepts) if verify else 0
    lat = sorted(tally.latencies) or [0.0]
    return {
        "seconds": seconds,
        "threads": threads,
        "gunicorn": "2 workers x 4 threads (gthread), CSRF on",
        "requests": done + errors,
        "rps": round((done + errors) / seconds, 1),
        "ok_rps": round(done / seconds, 1),
        "errors": errors + missing,
        "error_kinds": dict(tally.errors) | ({"not in database": missing} if missing else {}),
        "by_kind": dict(tally.ok),
        "retries_after_keepalive_close": tally.retries,
        "latency_median_ms": round(lat[len(lat) // 2], 1),
        "latency_p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1),
        "latency_median_by_kind_ms": {k: round(sorted(v)[len(v) // 2], 1) for k, v in tally.by_kind.items()},
    }
