"""Database engines, write transactions (BEGIN IMMEDIATE on SQLite), and what a database fault means.

A fault the user can only wait out (the database busy, away, read-only or out of disk) is decided here
once, from the driver's error, and raised as a ``DatabaseTrouble``: the web layer answers 503 with its
message and ``Retry-After``, and a form can be shown again with what was typed. A connection that a fault
may have left unusable is discarded, so the next request after the fault clears works without a restart.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import psycopg
from sqlalchemy import Engine, bindparam, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from services import pg_guard
from workflow.text import _

# The largest value an INTEGER column holds on PostgreSQL (SQLite's are wider): ids and counts beyond it
# are refused before they reach a query, so the site answers the same on both databases.
INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class Timeouts:
    """How long to wait for the database before giving up, in seconds (the values: config.py)."""

    connect: float  # PostgreSQL: connecting, a server that accepts and never answers included; a ping
    statement: float  # PostgreSQL: one statement, waiting for locks included (0: no limit)
    pool: float  # waiting for a free connection of the pool
    busy: float  # SQLite: waiting for another writer's lock (below gunicorn's 30 s worker timeout)


class DatabaseTrouble(Exception):
    """The database cannot do this now and nothing was saved; ``message`` is for the user."""

    message = _("数据库暂时无法访问，您的操作没有保存。请稍后再试。")
    retry_after = 30  # seconds, for the Retry-After header
    discard = True  # the connection may be unusable: open a new one next time

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or str(self.message))
        self.detail = detail

    def __str__(self) -> str:
        return str(self.message)


class DatabaseBusy(DatabaseTrouble):
    """Another writer holds the lock past the busy timeout, or a statement ran past its timeout."""

    message = _("系统繁忙，请稍后再试。您的操作没有保存。")
    retry_after = 5
    discard = False


class DatabaseUnavailable(DatabaseTrouble):
    """The database server cannot be reached, or the database file cannot be opened or read."""


class DatabaseReadOnly(DatabaseTrouble):
    """The database accepts no writes now (read-only files or server)."""

    message = _("数据库暂时只能读取、不能保存，您的操作没有保存。请稍后再试。")


class DiskFull(DatabaseTrouble):
    """The disk (or the database's size limit) is full."""

    message = _("服务器磁盘已满，您的操作没有保存。请通知系统管理员清理磁盘后再试。")
    retry_after = 300


# SQLite primary result codes (the low byte of the extended code).
_SQLITE: dict[int, type[DatabaseTrouble]] = {
    5: DatabaseBusy,  # SQLITE_BUSY
    6: DatabaseBusy,  # SQLITE_LOCKED
    8: DatabaseReadOnly,  # SQLITE_READONLY: a connection opened while the file was read-only stays so
    10: DatabaseUnavailable,  # SQLITE_IOERR
    13: DiskFull,  # SQLITE_FULL
    14: DatabaseUnavailable,  # SQLITE_CANTOPEN
    15: DatabaseBusy,  # SQLITE_PROTOCOL (a lock race in WAL)
}
# PostgreSQL SQLSTATEs; class 08 (connection exception) is away too.
_POSTGRES: dict[str, type[DatabaseTrouble]] = {
    "57014": DatabaseBusy,  # query_canceled: the statement timeout
    "55P03": DatabaseBusy,  # lock_not_available
    "40001": DatabaseBusy,  # serialization_failure
    "40P01": DatabaseBusy,  # deadlock_detected
    "53300": DatabaseBusy,  # too_many_connections
    "53100": DiskFull,  # disk_full
    "25006": DatabaseReadOnly,  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "57P01": DatabaseUnavailable,  # admin_shutdown
    "57P02": DatabaseUnavailable,  # crash_shutdown
    "57P03": DatabaseUnavailable,  # cannot_connect_now (starting up, shutting down)
    "58030": DatabaseUnavailable,  # io_error
}


def trouble_of(error: BaseException, *, disconnect: bool = False) -> DatabaseTrouble | None:
    """The DatabaseTrouble a driver error means, or None (a bug or a refused value: not a fault to wait out).

    ``disconnect``: SQLAlchemy already judged that the connection is lost.
    """
    detail = f"{type(error).__name__}: {error}"
    kind: type[DatabaseTrouble] | None = None
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        kind = _SQLITE.get(code & 0xFF) if isinstance(code, int) else None
    elif isinstance(error, psycopg.Error):
        state = error.sqlstate or ""
        kind = _POSTGRES.get(state) or (DatabaseUnavailable if state.startswith("08") else None)
        client_side = isinstance(error, psycopg.OperationalError | psycopg.InterfaceError) and not state
        if kind is None and client_side:
            kind = DatabaseUnavailable  # could not connect, connection lost, connection timeout
    if kind is None and disconnect:
        kind = DatabaseUnavailable
    return kind(detail) if kind is not None else None


class BoundedPool(QueuePool):
    """The usual pool of connections; waiting past ``pool_timeout`` for a free one is DatabaseBusy."""

    def _do_get(self) -> Any:
        try:
            return super()._do_get()
        except sa_exc.TimeoutError as exc:
            raise DatabaseBusy(str(exc)) from exc


def _on_error(ctx: ExceptionContext) -> DatabaseTrouble | None:
    """Raise faults as DatabaseTrouble, discarding the connection when the fault may have broken it."""
    if ctx.is_pre_ping:
        return None  # the pool reconnects on its own after a failed ping
    trouble = trouble_of(ctx.original_exception, disconnect=ctx.is_disconnect)
    if trouble is not None and trouble.discard:
        ctx.is_disconnect = True
    return trouble


def make_engine(url: str, *, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """An engine for SQLite (pragmas, our own BEGIN) or PostgreSQL (psycopg 3).

    ``timeouts`` bound every wait for the database (the web app passes its settings); without them
    (migrations, scripts) only SQLite's busy timeout is set, to 30 s.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        engine = _postgresql_engine(url, timeouts, **kwargs)
    else:
        engine = _sqlite_engine(url, timeouts.busy if timeouts else 30.0, timeouts, **kwargs)
    event.listen(engine, "handle_error", _on_error)
    return engine


def _postgresql_engine(url: str, timeouts: Timeouts | None, **kwargs: Any) -> Engine:
    if timeouts is None:
        return create_engine(url, pool_pre_ping=True, **kwargs)
    connect_args = {
        "connect_timeout": max(2, math.ceil(timeouts.connect)),  # libpq counts whole seconds, at least 2
        # data sent and not acknowledged for this long (a black-holed network) ends the connection
        "tcp_user_timeout": int(timeouts.connect * 1000),
        "options": f"-c statement_timeout={int(timeouts.statement * 1000)}",
    }
    engine = create_engine(
        url, connect_args=connect_args, poolclass=BoundedPool, pool_timeout=timeouts.pool, **kwargs
    )
    ping_within = max(timeouts.connect, 1.0)

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        # SQLAlchemy's pool_pre_ping waits forever for a server that accepts and never answers
        if not pg_guard.ping(dbapi_conn, within=ping_within):
            raise sa_exc.DisconnectionError("no answer to a ping")  # the pool opens a new connection

    if timeouts.statement > 0:  # a live server ends a statement at its timeout; a silent one, the watchdog
        pg_guard.watch(engine.dialect, timeouts.statement + max(timeouts.connect, 1.0))
    return engine


def _sqlite_engine(url: str, busy: float, timeouts: Timeouts | None, **kwargs: Any) -> Engine:
    path = make_url(url).database
    is_file = path not in (None, "", ":memory:")
    if timeouts is not None and is_file:
        kwargs.update(poolclass=BoundedPool, pool_timeout=timeouts.pool)  # a file: a queue of connections
    connect_args = {"check_same_thread": False, "timeout": busy}
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver must not BEGIN on its own
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
        # SQLite opens a file it may not write read-only, silently, and the connection stays so
        record.info["read_only"] = is_file and not _writable(str(path))

    @event.listens_for(engine, "checkout")
    def _reopen_when_writable(_dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("read_only") and _writable(str(path)):
            raise sa_exc.DisconnectionError("the database file is writable again")  # a new connection

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _writable(path: str) -> bool:
    """Whether the OS lets this process open the file for writing (SQLite's own test when it opens it)."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except FileNotFoundError:
        return True  # SQLite creates it
    except OSError:
        return False
    return True


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """One write transaction: all of it commits, or none of it.

    On SQLite the transaction starts with BEGIN IMMEDIATE, so what it reads cannot change
    before it writes; a read transaction still open on the session is ended first.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("unsaved changes outside a write transaction")
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def dialect_insert(session: Session) -> Any:
    """The dialect's INSERT construct (it has ``on_conflict_do_update`` on both SQLite and PostgreSQL)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def is_sqlite(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "sqlite"


class Scoped(NamedTuple):
    """A statement built once in two forms: for every community, and for some (``column IN :communities``).

    Pages that read on every view (the statistics, the community pickers) keep both, so that neither is
    built again; ``bound`` picks the one an actor's communities need, with its parameters.
    """

    every: Any
    some: Any

    @classmethod
    def of(cls, statement: Any, column: Any) -> Scoped:
        return cls(statement, statement.where(column.in_(bindparam("communities", expanding=True))))

    def bound(self, communities: Iterable[int] | None, **params: Any) -> tuple[Any, dict[str, Any]]:
        """The statement for ``communities`` (None: every one) and its parameters."""
        if communities is None:
            return self.every, params
        return self.some, {**params, "communities": sorted(communities)}
