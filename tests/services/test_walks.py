"""The bulk writer: rows written many at a time (SQLite's multi-row INSERT, PostgreSQL's COPY) read back
exactly as the ORM would have written them, across the size of one statement."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Agreement, CaseEvent
from services import walks
from services.records import Row
from services.walks import ROWS_PER_INSERT, VALUES_PER_INSERT, BulkWriter
from tests.factories import Factory

AWKWARD = ("", "一\t二", "第一行\n第二行", "反斜杠\\N 与 \\", "引号\"和'", "逗号, 分号;", "\\.")
START = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def _event(case: Any, i: int) -> Row:
    text = AWKWARD[i % len(AWKWARD)]
    data = {"note": text, "n": i, "ok": i % 2 == 0, "none": None, "list": [text, "甲"]}
    values = {"case_id": case.id, "community_id": case.community_id, "trigger": "record_session"}
    values |= {"from_state": "mediating", "to_state": "mediating", "actor_id": None}
    return Row(
        CaseEvent, values | {"at": START + timedelta(minutes=i, microseconds=i), "note": text, "data": data}
    )


def _written(session: Session) -> list[CaseEvent]:
    session.expire_all()
    query = select(CaseEvent).where(CaseEvent.trigger == "record_session").order_by(col(CaseEvent.id))
    return list(session.exec(query))


def test_rows_more_than_a_statement_holds_read_back_as_written(
    engine: Engine, session: Session, factory: Factory
) -> None:
    case = factory.case("mediating")
    assert case.id is not None
    count = ROWS_PER_INSERT * 2 + 7
    writer = BulkWriter(engine)
    for i in range(count):
        writer.add(_event(case, i))
    assert len(writer) == count
    with session.begin():
        writer.write(session.connection())
    assert len(writer) == 0

    events = _written(session)
    assert len(events) == count
    for i, event in enumerate(events):
        expected = _event(case, i).values
        assert (event.note, event.data, event.actor_id) == (expected["note"], expected["data"], None)
        assert event.at.astimezone(UTC) == expected["at"]


def test_money_dates_and_flags_go_through_their_column_types(
    engine: Engine, session: Session, factory: Factory
) -> None:
    case = factory.case("mediating")
    assert case.id is not None
    writer = BulkWriter(engine)
    amounts = (Decimal("0.00"), Decimal("1234.56"), None)
    for i, amount in enumerate(amounts):
        values = {"case_id": case.id, "community_id": case.community_id, "kind": "written"}
        values |= {"amount": amount, "effective_on": date(2025, 3, 4 + i), "facts": "事实", "terms": "条款"}
        values |= {"content": "", "performance": "", "created_at": datetime(2025, 3, 4, tzinfo=UTC)}
        writer.add(Row(Agreement, values))
    with session.begin():
        writer.write(session.connection())

    session.expire_all()
    stored = session.exec(select(Agreement).where(Agreement.case_id == case.id).order_by(col(Agreement.id)))
    got = [(a.amount, a.effective_on) for a in stored]
    assert got[-3:] == [(amounts[i], date(2025, 3, 4 + i)) for i in range(3)]


def test_wide_rows_are_cut_by_the_values_a_statement_may_bind(
    engine: Engine, session: Session, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(walks, "VALUES_PER_INSERT", 25)  # an event binds 10 values: two rows a statement
    case = factory.case("mediating")
    writer = BulkWriter(engine)
    for i in range(7):
        writer.add(_event(case, i))
    statements: list[str] = []
    with session.begin():
        conn = session.connection()
        if writer.sqlite:
            conn.connection.dbapi_connection.set_trace_callback(statements.append)  # type: ignore[union-attr]
        writer.write(conn)
    assert [e.note for e in _written(session)] == [AWKWARD[i] for i in range(7)]
    if writer.sqlite:
        inserts = [s for s in statements if s.startswith("INSERT")]
        assert [s.count("), (") + 1 for s in inserts] == [2, 2, 2, 1]


def test_sqlite_binds_the_values_of_a_full_statement() -> None:
    conn = sqlite3.connect(":memory:")
    assert conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) >= VALUES_PER_INSERT
