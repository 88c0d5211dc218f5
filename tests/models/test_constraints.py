"""The database itself refuses values no path may store: the case's enumerated columns (CHECK) and a new
case's source outside the vocabulary (a trigger), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from tests.factories import Factory


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("state", "flying"),
        ("severity", "huge"),
        ("severity_computed", "x"),
        ("tier", "king"),
        ("risk_level", "blue"),
    ],
)
def test_an_enumerated_column_refuses_other_values(
    factory: Factory, engine: Engine, column: str, value: str
) -> None:
    case = factory.case("accepted")
    with pytest.raises(DatabaseError), engine.begin() as conn:
        conn.execute(text(f'UPDATE "case" SET {column} = :v WHERE id = :i'), {"v": value, "i": case.id})


def test_a_new_case_needs_a_source_of_the_vocabulary(factory: Factory, engine: Engine) -> None:
    case = factory.case("registered")
    columns = (
        "community_id, category, {source}, facts, people_involved, parties_count, injury, place_xiaoqu, "
        "place_building, risk_level, severity_computed, triage_reasons, severity_overridden, state, "
        "rights_notified, refusal_recorded, mediation_started, extensions, escalations, registered_at, "
        "updated_at, version"
    )
    copy = (
        f'INSERT INTO "case" ({columns.format(source="source")}) '
        f'SELECT {columns.format(source=":source")} FROM "case" WHERE id = :i'
    )
    with pytest.raises(DatabaseError), engine.begin() as conn:
        conn.execute(text(copy), {"source": "网上", "i": case.id})
    with engine.begin() as conn:
        conn.execute(text(copy), {"source": "主动调解", "i": case.id})
