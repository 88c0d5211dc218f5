"""Bounded waits on a PostgreSQL server that stopped answering (frozen, or its network cut after a query
was sent): a pool ping with a deadline, and a watchdog that ends a statement the server has had for longer
than its statement timeout could allow. A live server cancels such a statement itself (statement_timeout);
a server that says nothing would otherwise hold the request, and its worker thread, for as long as it lasts.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import weakref
from typing import Any

import psycopg


def ping(dbapi_conn: psycopg.Connection[Any], *, within: float) -> bool:
    """Whether the server answers ``SELECT 1`` within ``within`` seconds (the pool's pre-ping, bounded)."""
    pgconn = dbapi_conn.pgconn
    deadline = time.monotonic() + within

    def wait(readable: bool) -> bool:
        remaining = deadline - time.monotonic()
        sockets = ([pgconn.socket], []) if readable else ([], [pgconn.socket])
        return remaining > 0 and bool(any(select.select(*sockets, [], remaining)[:2]))

    try:
        pgconn.send_query(b"SELECT 1")
        while pgconn.flush():
            if not wait(readable=False):
                return False
        while pgconn.is_busy():
            if not wait(readable=True):
                return False
            pgconn.consume_input()
        statuses = []
        while (result := pgconn.get_result()) is not None:
            statuses.append(result.status)
        return statuses == [psycopg.pq.ExecStatus.TUPLES_OK]
    except (psycopg.Error, OSError):
        return False


class Watchdog:
    """Cuts the connection of a statement still running at its deadline; the driver then fails the
    statement as a lost connection (and the pool discards it)."""

    def __init__(self) -> None:
        self._running: dict[int, tuple[float, weakref.ref[Any]]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, dbapi_conn: Any, limit: float) -> None:
        with self._lock:
            self._running[id(dbapi_conn)] = (time.monotonic() + limit, weakref.ref(dbapi_conn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="pg-watchdog", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, dbapi_conn: Any) -> None:
        with self._lock:
            self._running.pop(id(dbapi_conn), None)

    def _watch(self) -> None:
        while True:
            self._wake.wait(0.25 if self._running else None)
            self._wake.clear()
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _) in self._running.items() if deadline <= now]
                for key in late:
                    _, ref = self._running.pop(key)
                    conn = ref()
                    if conn is not None and not conn.closed:
                        _cut(conn.pgconn.socket)


def _cut(fd: int) -> None:
    """Shut the connection's socket down (both ways) without closing its descriptor under the driver."""
    try:
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


WATCHDOG = Watchdog()

# The dialect's calls that wait for the server: the first argument is a cursor, or the connection.
_ON_CURSOR = ("do_execute", "do_executemany", "do_execute_no_params")
_ON_CONNECTION = ("do_commit", "do_rollback")


def watch(dialect: Any, limit: float) -> None:
    """Put every statement, commit and rollback of ``dialect`` (one engine's) under the watchdog."""
    for name in (*_ON_CURSOR, *_ON_CONNECTION):
        setattr(dialect, name, _watched(getattr(dialect, name), limit, on_cursor=name in _ON_CURSOR))


def _watched(call: Any, limit: float, *, on_cursor: bool) -> Any:
    def watched(first: Any, *args: Any, **kwargs: Any) -> Any:
        conn = first.connection if on_cursor else first
        conn = getattr(conn, "dbapi_connection", conn)  # the pool's proxy, or psycopg's connection
        WATCHDOG.start(conn, limit)
        try:
            return call(first, *args, **kwargs)
        finally:
            WATCHDOG.stop(conn)

    return watched
