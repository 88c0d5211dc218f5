"""Database faults for the tests, made for real: a lock held by another connection, SQLite connections
opened while the file is read-only or the disk full, a port that accepts and never answers, and a proxy to
the real PostgreSQL that goes silent (connections stay open, nothing passes) and comes back.

A read-only moment is made twice: for real (``unwritable``: the file made immutable with chattr, since
root ignores file modes; read-only modes for other users), and as SQLite meets it whatever the cause:
connections opened during it cannot write (``PRAGMA query_only``), and stay so. A full disk is the
database's page limit reached (``PRAGMA max_page_count``, the same SQLITE_FULL a full disk gives).
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from services.schema import upgrade
from tests.conftest import BACKEND


def returns(call: Callable[[], Any]) -> Any:
    """Run ``call`` in a thread; fail if it has not come back after a minute (it would wait for as long as
    the fault lasts: the servers here never answer). Its result, or the exception it raised."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the test
            outcome["value"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "no answer: the wait for the database is not bounded"
    return outcome["value"]


@pytest.fixture(scope="session")
def sqlite_template(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file to copy (SQLite faults are tested on PostgreSQL runs too)."""
    if BACKEND == "sqlite":
        return template_db
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def sqlite_url(sqlite_template: str, tmp_path: Path) -> str:
    path = tmp_path / "faults.sqlite"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@contextmanager
def unwritable(url: str) -> Iterator[None]:
    """The SQLite file refused for writing by the OS (even to root) until the block ends."""
    path = url.removeprefix("sqlite:///")
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", path], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", path], check=True)
        return
    mode = os.stat(path).st_mode
    os.chmod(path, 0o444)
    try:
        yield
    finally:
        os.chmod(path, mode)


@contextmanager
def write_lock(url: str) -> Iterator[None]:
    """Another process's write transaction on the SQLite file, held until the block ends."""
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


class SqliteFaults:
    """Faults met by the connections ``engine`` opens while they last.

    A connection opened while the file is read-only stays read-only after the file is writable again (so
    SQLite does); a full disk, once space is freed, is full for no connection (so every limit is lifted).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_only = False
        self.full = False
        self.limited: list[Any] = []
        event.listen(engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_conn: Any, _record: Any) -> None:
        if self.read_only:
            dbapi_conn.execute("PRAGMA query_only=ON")
        if self.full:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")
            self.limited.append(dbapi_conn)

    @contextmanager
    def moment(self, *, read_only: bool = False, full: bool = False) -> Iterator[None]:
        """The fault begins (connections open anew and meet it) and, at the end of the block, clears;
        nothing is restarted or disposed then."""
        self.engine.dispose()
        self.read_only, self.full = read_only, full
        try:
            yield
        finally:
            self.read_only = self.full = False
            for conn in self.limited:  # space freed (a connection discarded after the fault is closed)
                with suppress(sqlite3.ProgrammingError):
                    conn.execute(f"PRAGMA max_page_count={2**30 - 1}")
            self.limited.clear()


class SilentServer:
    """Listens on 127.0.0.1, accepts every connection, reads nothing and never answers."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def url(self) -> str:
        return f"postgresql://tiaojie:secret@127.0.0.1:{self.port}/tiaojie"

    def close(self) -> None:
        _stop(self.listener)
        for conn in self.accepted:
            conn.close()


class Proxy:
    """Forwards 127.0.0.1:port to ``target``; ``silent()`` holds everything (in both directions, new
    connections too) until it ends, as a frozen or black-holed server would."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.closed = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @contextmanager
    def silent(self) -> Iterator[None]:
        self.open.clear()
        try:
            yield
        finally:
            self.open.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while not self.closed:
            if not self.open.wait(0.05):
                continue
            try:
                if not select.select([source], [], [], 0.05)[0] or not self.open.is_set():
                    continue  # nothing came, or it came after the silence began: it waits
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
            except OSError:
                break
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.closed = True
        self.open.set()
        _stop(self.listener)
        for sock in self.sockets:
            sock.close()


def _stop(listener: socket.socket) -> None:
    """Close a listening socket, waking the thread blocked in accept()."""
    with suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)
    listener.close()
