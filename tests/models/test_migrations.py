"""The migrations build exactly the schema the models declare; the app refuses an un-migrated database."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import models  # noqa: F401
from services.db import make_engine
from services.schema import SchemaNotMigrated, current_revision, head_revision


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
