"""The migrations build exactly the schema the models declare; the app refuses an un-migrated database."""

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

import models  # noqa: F401
from services.db import make_engine
from services.schema import SchemaNotMigrated, alembic_config, current_revision, head_revision, upgrade
from tests.factories import Factory


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_app_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    from app import create_app

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    with pytest.raises(SchemaNotMigrated) as err:
        create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "TESTING": True})
    assert "make migrate" in str(err.value)
    make_engine(url).dispose()


def test_the_desk_migration_copies_each_cases_newest_agreement_dates(
    db_url: str, engine: Engine, session: Session, factory: Factory
) -> None:
    """0011 keeps the newest agreement's effective and follow-up dates on the case (the desk's indexes);
    taken down and up again, it fills them in from the agreements of the cases already there."""
    from datetime import date

    from tests.services.test_desk import agreed_on, at

    once = agreed_on(factory, date(2026, 9, 1), performance_due="2026-09-10")
    twice = agreed_on(factory, date(2026, 9, 2))
    twice = factory.fire(twice, "follow_up_failed", now=at(date(2026, 10, 5)))
    twice = factory.fire(twice, "remediate", now=at(date(2026, 10, 5)))
    twice = factory.fire(twice, "record_agreement", now=at(date(2026, 10, 6)), performance_due="2026-10-20")
    never = factory.case("assigned")
    expected = {
        once.id: (date(2026, 9, 1), date(2026, 9, 17)),
        twice.id: (date(2026, 10, 6), date(2026, 10, 27)),
        never.id: (None, None),
    }

    def dates() -> dict[int | None, tuple[date | None, date | None]]:
        session.rollback()
        session.expire_all()
        rows = session.execute(text('SELECT id, agreement_effective_on, follow_up_due FROM "case"')).all()
        return {i: tuple(date.fromisoformat(str(d)) if d else None for d in r) for i, *r in rows}

    assert dates() == expected  # as record_agreement set them
    session.close()
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0010")  # the revision 0011 follows
    upgrade(db_url)
    assert dates() == expected  # as the migration filled them in
