"""Fixtures: a fresh, migrated database per test (SQLite file, or PostgreSQL when asked), the app, a client.

DATABASE_BACKEND=postgresql runs the suite on TEST_DATABASE_URL; each xdist worker gets its own database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from services.db import make_engine, session_factory
from services.schema import upgrade

BACKEND = os.environ.get("DATABASE_BACKEND", "sqlite")
FAST_HASH = "pbkdf2:sha256:1000"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database made once per worker: a SQLite file to copy, or a PostgreSQL database."""
    if BACKEND == "postgresql":
        base = os.environ.get("TEST_DATABASE_URL")
        if not base:
            pytest.fail("DATABASE_BACKEND=postgresql needs TEST_DATABASE_URL")
        url = make_url(base)
        name = f"{url.database}_{_worker()}"
        admin = make_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        worker_url = url.set(database=name).render_as_string(hide_password=False)
        upgrade(worker_url)
        return worker_url
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def db_url(template_db: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test."""
    if BACKEND == "postgresql":
        engine = make_engine(template_db)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        yield template_db
        return
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template_db, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s


@pytest.fixture
def app(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app import create_app

    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": db_url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "SERVER_NAME": None,
            "FILES_DIR": str(tmp_path / "files"),
        }
    )
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def app_session(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """A session on the app's own database, for arranging and checking rows in view tests."""
    with session_factory(app.extensions["db_engine"])() as s:
        yield s


@pytest.fixture
def factory(session: Session):  # type: ignore[no-untyped-def]
    from tests.factories import Factory

    return Factory(session)
