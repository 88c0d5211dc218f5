"""Live counts per state for the case list (models.CaseTally), kept with every case change.

``move`` runs inside the write transaction that changes the case, so the tally and the cases commit
or roll back together. ``rebuild`` recounts from ``case`` (bulk loads, and a check for drift).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, text
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, func, select

import models  # noqa: F401  (registers the tables)
from models import Case, CaseTally

TALLY = SQLModel.metadata.tables["case_tally"]
KEY_COLUMNS = ("community_id", "state", "category", "tier", "severity")

RECOUNT = text(
    "INSERT INTO case_tally (community_id, state, category, tier, severity, n) "
    "SELECT community_id, state, category, COALESCE(tier, ''), COALESCE(severity, severity_computed), "
    'COUNT(*) FROM "case" '
    "GROUP BY community_id, state, category, COALESCE(tier, ''), COALESCE(severity, severity_computed)"
)


# The same text on SQLite (≥ 3.24) and PostgreSQL; one statement the driver prepares once.
UPSERT = text(
    "INSERT INTO case_tally (community_id, state, category, tier, severity, n) "
    "VALUES (:community_id, :state, :category, :tier, :severity, :n) "
    "ON CONFLICT (community_id, state, category, tier, severity) DO UPDATE SET n = case_tally.n + excluded.n"
)


class TallyKey(NamedTuple):
    community_id: int
    state: str
    category: str
    tier: str
    severity: str


def key_of(case: Case) -> TallyKey:
    """The tally cell a case counts in (its effective severity: the override, else the computed one)."""
    return TallyKey(
        case.community_id, case.state, case.category, case.tier or "", case.severity or case.severity_computed
    )


def move(session: Session, before: TallyKey | None, after: TallyKey) -> None:
    """Count a case out of ``before`` (None: a new case) and into ``after``.

    Cells are updated in key order, so two transactions never wait on each other's cells in a circle
    (PostgreSQL locks each upserted row until commit).
    """
    if before == after:
        return
    deltas = {after: 1} if before is None else {before: -1, after: 1}
    session.execute(UPSERT, [key._asdict() | {"n": deltas[key]} for key in sorted(deltas)])


def rebuild(conn: Connection | Session) -> None:
    """Recount the whole tally from ``case`` (in the caller's transaction)."""
    conn.execute(text("DELETE FROM case_tally"))
    conn.execute(RECOUNT)


def stored(session: Session) -> dict[TallyKey, int]:
    """The tally as kept (empty cells left out)."""
    rows = session.execute(core_select(*(TALLY.c[k] for k in KEY_COLUMNS), TALLY.c.n))
    return {TallyKey(*row[:5]): int(row[5]) for row in rows if row[5]}


def recounted(session: Session) -> dict[TallyKey, int]:
    """The tally as it should be, counted from ``case``: ``stored`` must equal it."""
    tier, severity = func.coalesce(Case.tier, ""), func.coalesce(Case.severity, Case.severity_computed)
    keys = (col(Case.community_id), col(Case.state), col(Case.category), tier, severity)
    rows = session.execute(core_select(*keys, func.count()).group_by(*keys))
    return {TallyKey(*row[:5]): int(row[5]) for row in rows}


def counts(
    session: Session,
    community_ids: Iterable[int] | None,
    *,
    category: str | None = None,
    tier: str | None = None,
    severity: str | None = None,
) -> dict[str, int]:
    """Cases per state in these communities (None: all), optionally of one category, tier, severity."""
    given = {
        name: value
        for name, value in (("category", category), ("tier", tier), ("severity", severity))
        if value
    }
    params: dict[str, Any] = dict(given)
    if community_ids is not None:
        params["communities"] = sorted(community_ids)
    key = (community_ids is not None, *given)
    query = _COUNTS.get(key)
    if query is None:
        query = _COUNTS[key] = _counts_query(community_ids is not None, tuple(given))
    return {str(state): int(n) for state, n in session.exec(query, params=params) if n}


_COUNTS: dict[tuple[Any, ...], Any] = {}  # one statement per kind of filter, built once (every list page)


def _counts_query(by_community: bool, filters: tuple[str, ...]) -> Any:
    query: Any = select(CaseTally.state, func.sum(CaseTally.n)).group_by(col(CaseTally.state))
    if by_community:
        query = query.where(col(CaseTally.community_id).in_(bindparam("communities", expanding=True)))
    for name in filters:
        query = query.where(getattr(CaseTally, name) == bindparam(name))
    return query
