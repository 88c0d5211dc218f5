"""Database faults: each wait is bounded, each fault becomes the DatabaseTrouble that says what happened
(busy, away, read-only, disk full), and a connection the fault may have broken is not used again: the
next transaction after the fault clears works, without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from models import Community, Setting
from services.db import (
    DatabaseBusy,
    DatabaseReadOnly,
    DatabaseTrouble,
    DatabaseUnavailable,
    DiskFull,
    Scoped,
    Timeouts,
    make_engine,
    session_factory,
    trouble_of,
    writing,
)
from services.policy import POLICY_KEY
from tests.conftest import BACKEND
from tests.dbfaults import (
    Proxy,
    SilentServer,
    SqliteFaults,
    returns,
    sqlite_template,
    sqlite_url,
    write_lock,
)

__all__ = ["sqlite_template", "sqlite_url"]  # fixtures

FAST = Timeouts(connect=2, statement=1, pool=1, busy=0.2)


def put(session: Session, key: str, size: int = 10) -> None:
    """One write transaction."""
    with writing(session):
        session.add(Setting(key=key, value={"text": "x" * size}))


def keys(session: Session) -> set[str]:
    """The settings the test wrote (the migrations keep the policy's category rules: 0013)."""
    session.rollback()
    found = set(session.exec(select(Setting.key).where(Setting.key != POLICY_KEY)).all())
    session.rollback()
    return found


@pytest.fixture
def lite(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url, timeouts=FAST)
    yield engine
    engine.dispose()


# --- what a driver error means --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sqlstate", "trouble"),
    [
        ("57014", DatabaseBusy),  # statement timeout
        ("55P03", DatabaseBusy),
        ("40P01", DatabaseBusy),
        ("53300", DatabaseBusy),
        ("53100", DiskFull),
        ("25006", DatabaseReadOnly),
        ("57P01", DatabaseUnavailable),
        ("57P03", DatabaseUnavailable),
        ("08006", DatabaseUnavailable),
        ("23505", None),  # a unique violation is a bug or a refused value, not a fault to wait out
        ("22P05", None),  # a value PostgreSQL cannot store: the input guard's job, not a 503
    ],
)
def test_postgresql_errors_by_sqlstate(sqlstate: str, trouble: type[DatabaseTrouble] | None) -> None:
    found = trouble_of(psycopg.errors.lookup(sqlstate)("from the server"))
    assert type(found) is trouble if trouble else found is None


def test_client_side_connection_errors_are_unavailable() -> None:
    assert isinstance(trouble_of(psycopg.OperationalError("connection timeout expired")), DatabaseUnavailable)
    assert isinstance(trouble_of(psycopg.InterfaceError("the connection is closed")), DatabaseUnavailable)
    assert trouble_of(ValueError("not a database error")) is None


def test_the_trouble_tells_the_user_nothing_was_saved() -> None:
    assert str(DatabaseBusy()).startswith("系统繁忙，请稍后再试")
    assert str(DatabaseUnavailable()).startswith("数据库暂时无法访问，您的操作没有保存")
    assert "磁盘已满" in str(DiskFull())
    assert all(t.retry_after > 0 for t in (DatabaseBusy, DatabaseUnavailable, DatabaseReadOnly, DiskFull))


def test_no_free_connection_in_the_pool_past_its_timeout_is_busy(db_url: str) -> None:
    engine = make_engine(db_url, timeouts=FAST, pool_size=1, max_overflow=0)
    try:
        with engine.connect(), session_factory(engine)() as session:
            assert isinstance(returns(lambda: session.execute(text("SELECT 1"))), DatabaseBusy)
        with session_factory(engine)() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


# --- SQLite ---------------------------------------------------------------------------------------------
def test_sqlite_busy_timeout_comes_from_the_timeouts(lite: Engine) -> None:
    with lite.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 200


def test_a_write_lock_held_past_the_busy_timeout_is_busy_and_the_next_write_works(lite: Engine) -> None:
    session = session_factory(lite)()
    with write_lock(lite.url.render_as_string()):
        assert keys(session) == set()  # reading goes on (WAL)
        assert isinstance(returns(lambda: put(session, "during")), DatabaseBusy)
    put(session, "after")
    assert keys(session) == {"after"}
    session.close()


def test_connections_opened_while_the_file_was_read_only_are_not_kept(lite: Engine) -> None:
    faults = SqliteFaults(lite)
    sessions = session_factory(lite)
    with faults.moment(read_only=True):
        first, second = sessions(), sessions()
        first.connection(), second.connection()  # two connections opened now, both back in the pool after
        first.close(), second.close()
        with sessions() as session:
            assert keys(session) == set()  # reading works
            assert isinstance(returns(lambda: put(session, "during")), DatabaseReadOnly)
    for n in range(3):  # every connection of the pool, not only the one that failed, is a new one
        with sessions() as session:
            put(session, f"after-{n}")
    with sessions() as session:
        assert keys(session) == {"after-0", "after-1", "after-2"}


def test_a_full_disk_is_disk_full_nothing_half_written_and_writing_resumes(lite: Engine) -> None:
    faults = SqliteFaults(lite)
    sessions = session_factory(lite)
    with sessions() as session:
        put(session, "before")
    with faults.moment(full=True), sessions() as session:
        assert isinstance(returns(lambda: put(session, "big", size=200_000)), DiskFull)
        assert keys(session) == {"before"}
    with sessions() as session:
        put(session, "big", size=200_000)
        assert keys(session) == {"before", "big"}


# --- a server that accepts and never answers (no PostgreSQL needed) -------------------------------------
@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_a_server_that_never_answers_is_unavailable_once_the_connect_timeout_is_over(silent: SilentServer):
    engine = make_engine(silent.url(), timeouts=FAST)
    try:
        with session_factory(engine)() as session:
            outcome = returns(lambda: session.execute(text("SELECT 1")))
        assert isinstance(outcome, DatabaseUnavailable), outcome
        assert silent.accepted, "the connection was made: the server accepted and said nothing"
    finally:
        engine.dispose()


# --- PostgreSQL -----------------------------------------------------------------------------------------
if BACKEND == "postgresql":

    @pytest.fixture
    def pg(db_url: str) -> Iterator[Engine]:
        engine = make_engine(db_url, timeouts=FAST)
        yield engine
        engine.dispose()

    def test_postgresql_connections_carry_the_statement_timeout(pg: Engine) -> None:
        with pg.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1s"

    def test_a_statement_past_its_timeout_is_busy_and_the_connection_goes_on(pg: Engine) -> None:
        with session_factory(pg)() as session:
            assert isinstance(returns(lambda: session.execute(text("SELECT pg_sleep(5)"))), DatabaseBusy)
            session.rollback()
            assert session.execute(text("SELECT 1")).scalar() == 1

    def test_a_lock_held_past_the_statement_timeout_is_busy_and_the_next_write_works(
        pg: Engine, db_url: str
    ) -> None:
        holder = make_engine(db_url)
        try:
            with session_factory(pg)() as session:
                with holder.begin() as conn:
                    conn.exec_driver_sql("LOCK TABLE setting IN ACCESS EXCLUSIVE MODE")
                    assert isinstance(returns(lambda: put(session, "during")), DatabaseBusy)
                put(session, "after")
                assert keys(session) == {"after"}
        finally:
            holder.dispose()

    @pytest.fixture
    def proxy(db_url: str) -> Iterator[Proxy]:
        url = make_url(db_url)
        found = Proxy((url.host or "127.0.0.1", url.port or 5432))
        yield found
        found.close()

    def test_a_server_gone_silent_is_unavailable_and_the_pool_recovers_when_it_is_back(
        db_url: str, proxy: Proxy
    ) -> None:
        url = make_url(db_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        engine = make_engine(url, timeouts=FAST)
        sessions = session_factory(engine)
        try:
            with sessions() as session:
                put(session, "before")  # a connection now waits in the pool
            with sessions() as session:
                with proxy.silent():  # (over before the session closes, should the wait not be bounded)
                    outcome = returns(lambda: keys(session))
                assert isinstance(outcome, DatabaseUnavailable), outcome
            with sessions() as session:
                put(session, "after")
                assert keys(session) == {"before", "after"}
        finally:
            engine.dispose()

    def test_a_statement_whose_server_goes_silent_meanwhile_is_unavailable(db_url: str, proxy: Proxy) -> None:
        url = make_url(db_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        engine = make_engine(url, timeouts=Timeouts(connect=2, statement=3, pool=1, busy=0.2))
        sessions = session_factory(engine)
        try:
            with sessions() as session:
                session.execute(text("SELECT 1"))  # connected and pinged; the statement below is under way
                sent = threading.Event()

                def slow() -> Any:
                    sent.set()
                    return session.execute(text("SELECT pg_sleep(2)"))

                outcome: list[Any] = []
                runner = threading.Thread(target=lambda: outcome.append(returns(slow)))
                runner.start()
                sent.wait()
                time.sleep(0.2)  # its answer comes after 2 s; the silence begins before that
                with proxy.silent():
                    runner.join()
                assert isinstance(outcome[0], DatabaseUnavailable), outcome
            with sessions() as session:
                assert session.execute(text("SELECT 1")).scalar() == 1
        finally:
            engine.dispose()


def test_a_scoped_statement_reads_every_community_or_the_ones_given(session, factory):
    a, b, c = (factory.community(name=f"{n}社区") for n in "甲乙丙")
    scoped = Scoped.of(select(Community.id).order_by(col(Community.id)), col(Community.id))
    statement, params = scoped.bound(None)
    assert statement is scoped.every and params == {}
    assert {a.id, b.id, c.id} <= set(session.exec(statement, params=params))
    statement, params = scoped.bound({c.id, a.id}, extra=1)
    assert statement is scoped.some and params == {"extra": 1, "communities": sorted({a.id, c.id})}
    assert list(session.exec(statement, params={"communities": params["communities"]})) == sorted(
        [a.id, c.id]
    )
