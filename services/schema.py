"""Database schema: run Alembic migrations and tell whether a database is up to date.

Run ``python -m services.schema upgrade`` (``make migrate``) to bring a database to the newest schema.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_HINT = "请先运行 `make migrate`（即 `.venv/bin/python -m services.schema upgrade`）"


class SchemaNotMigrated(RuntimeError):
    """The database lacks migrations; the message says what to run."""


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_migrated(engine: Engine) -> None:
    """Raise SchemaNotMigrated unless the database is at the newest migration."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaNotMigrated(
            f"数据库未迁移到最新版本（当前 {current or '空'}，最新 {head}）：{UPGRADE_HINT}。"
            f" / The database is not migrated (at {current or 'nothing'}, newest {head}):"
            " run `make migrate`."
        )


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def main(argv: list[str]) -> int:
    from config import database_url

    if argv[:1] != ["upgrade"]:
        print("usage: python -m services.schema upgrade", file=sys.stderr)
        return 2
    url = database_url()
    upgrade(url)
    print(f"database migrated: {url.split('@')[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
