"""Case numbers: per community and year, gap-free, unique under concurrent acceptance."""

import re

from sqlalchemy import Table, func
from sqlmodel import Session, SQLModel

import models  # noqa: F401  (registers the tables)
from services.db import dialect_insert, is_sqlite

COUNTER = SQLModel.metadata.tables["case_counter"]
# Cases imported from a ledger row that had no number: a series of their own that never meets the above.
IMPORTED_COUNTER = SQLModel.metadata.tables["imported_number_counter"]


def next_seq(
    session: Session, community_id: int, year: int, *, count: int = 1, counter: Table = COUNTER
) -> int:
    """Bump the counter by ``count`` inside the caller's transaction (rolled back with it: no gaps); the
    last number taken (the ``count`` numbers up to it are the caller's).

    The upsert is atomic on both databases; on SQLite the writer lock is already held
    (BEGIN IMMEDIATE), on PostgreSQL the conflicting row is locked until commit.
    """
    stmt = (
        dialect_insert(session)(counter)
        .values(community_id=community_id, year=year, last=count)
        .on_conflict_do_update(index_elements=["community_id", "year"], set_={"last": counter.c.last + count})
        .returning(counter.c.last)
    )
    return int(session.execute(stmt).scalar_one())


def keep_above(session: Session, community_id: int, year: int, seq: int) -> None:
    """Make sure the next number issued is after ``seq`` (a number of our own form kept from a ledger)."""
    stmt = (
        dialect_insert(session)(COUNTER)
        .values(community_id=community_id, year=year, last=seq)
        .on_conflict_do_update(
            index_elements=["community_id", "year"],
            set_={
                "last": func.max(COUNTER.c.last, seq)
                if is_sqlite(session)
                else func.greatest(COUNTER.c.last, seq)
            },
        )
    )
    session.execute(stmt)


def format_number(year: int, short_name: str, seq: int) -> str:
    """（2026）幸福人调字第0007号"""
    return f"（{year}）{short_name}人调字第{seq:04d}号"


def format_imported_number(year: int, short_name: str, seq: int) -> str:
    """（2024）幸福人调导字第0007号: an imported case whose ledger row had no number (导 = 导入)."""
    return f"（{year}）{short_name}人调导字第{seq:04d}号"


OWN_FORM = re.compile(r"^[（(](\d{4})[）)](.+?)人调字第(\d{1,6})号$")


def own_number(number: str, short_name: str) -> tuple[int, int] | None:
    """(year, seq) when ``number`` is exactly as this community's own numbers are written (a ledger kept
    by the same rule): it then takes its place in the series, and later numbers follow it."""
    found = OWN_FORM.match(number)
    if found is None or found.group(2) != short_name:
        return None
    year, seq = int(found.group(1)), int(found.group(3))
    return (year, seq) if format_number(year, short_name, seq) == number else None
