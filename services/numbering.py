"""Case numbers: per community and year, gap-free, unique under concurrent acceptance."""

from sqlmodel import Session, SQLModel

import models  # noqa: F401  (registers the tables)
from services.db import dialect_insert

COUNTER = SQLModel.metadata.tables["case_counter"]


def next_seq(session: Session, community_id: int, year: int) -> int:
    """Bump the counter inside the caller's transaction (rolled back with it: no gaps).

    The upsert is atomic on both databases; on SQLite the writer lock is already held
    (BEGIN IMMEDIATE), on PostgreSQL the conflicting row is locked until commit.
    """
    stmt = (
        dialect_insert(session)(COUNTER)
        .values(community_id=community_id, year=year, last=1)
        .on_conflict_do_update(index_elements=["community_id", "year"], set_={"last": COUNTER.c.last + 1})
        .returning(COUNTER.c.last)
    )
    return int(session.execute(stmt).scalar_one())


def format_number(year: int, short_name: str, seq: int) -> str:
    """（2026）幸福人调字第0007号"""
    return f"（{year}）{short_name}人调字第{seq:04d}号"
