"""Kept months (月报定稿): a closed month's tallies (models.MonthSnapshot), taken once, read back.

A month is closed once its last moment has passed. Its figures then depend only on what is already
recorded, except for entries dated inside it after the fact (a follow-up's visit day, a judicial
confirmation's application day) and the case attributes the report reads as they are now (tier, risk
level, deadline). A closed month's tallies are taken the first time a report needs them (or by
``flask stats close``) and kept: the report of a past month stays as it was filed (月报定稿). A write
dated inside a closed month drops that month's row for the case's community, so the next report takes
it again with the late entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, delete, func, select

from models import Case, Community, MonthSnapshot
from services import clock
from services.db import Scoped, dialect_insert, writing
from services.memo import per_transaction
from services.statistics.month_figures import MonthTally, compute
from services.statistics.months import Month
from services.statistics.scope import Communities

_OF_MONTH = col(MonthSnapshot.month) == bindparam("month")
_KEPT = col(MonthSnapshot.community_id)
_TALLIES = Scoped.of(select(MonthSnapshot.community_id, MonthSnapshot.data).where(_OF_MONTH), _KEPT)
_TAKEN_AT = Scoped.of(select(func.max(MonthSnapshot.taken_at)).where(_OF_MONTH), _KEPT)
_ACCEPTED_AND_AGREED = Scoped.of(
    select(
        MonthSnapshot.month,
        func.sum(MonthSnapshot.accepted),
        func.sum(MonthSnapshot.success),
        func.count(),
    )
    .where(col(MonthSnapshot.month).in_(bindparam("months", expanding=True)))
    .group_by(col(MonthSnapshot.month)),
    _KEPT,
)


def load(session: Session, communities: Communities, month: Month) -> dict[int, MonthTally] | None:
    """The month's tallies of every community in ``communities``, or None when any is not taken yet."""
    wanted = set(communities) if communities is not None else set(_all_communities(session))
    stmt, params = _TALLIES.bound(communities, month=month.key)
    found = {int(cid): MonthTally.from_data(dict(data)) for cid, data in session.exec(stmt, params=params)}
    if not wanted <= set(found):
        return None
    return {cid: found[cid] for cid in wanted}


def kept_at(session: Session, communities: Communities, month: Month) -> datetime | None:
    """When the month's kept figures of these communities were taken (the latest), if kept."""
    stmt, params = _TAKEN_AT.bound(communities, month=month.key)
    return session.exec(stmt, params=params).one()


def take(
    session: Session, communities: Communities, month: Month, now: datetime | None = None
) -> dict[int, MonthTally]:
    """Compute the closed month's tallies for ``communities`` (None: all) and keep them.

    Every community in the scope gets a row, an empty one when it had nothing that month. Two
    requests taking the same month at once both compute it; the first row written stays, and both
    return what is kept.
    """
    now = now or clock.now()
    if not month.closed(now):
        raise ValueError(f"{month} is not over yet")
    ids = sorted(communities) if communities is not None else _all_communities(session)
    tallies = compute(session, communities, month)
    rows = [_row(month, cid, tallies.get(cid, MonthTally()), now) for cid in ids]
    if rows:
        with writing(session):
            session.execute(dialect_insert(session)(MonthSnapshot).values(rows).on_conflict_do_nothing())
    kept = load(session, communities, month)
    return kept if kept is not None else {cid: tallies.get(cid, MonthTally()) for cid in ids}


def _row(month: Month, community_id: int, tally: MonthTally, now: datetime) -> dict[str, Any]:
    return {
        "month": month.key,
        "community_id": community_id,
        "taken_at": now,
        "accepted": tally.counts["accepted"],
        "success": tally.counts["success"],
        "data": tally.to_data(),
    }


def kept_accepted_and_agreed(
    session: Session, communities: Communities, months: Iterable[Month]
) -> dict[Month, tuple[int, int]]:
    """受理 and 成功 of the kept months among ``months`` (summed over the communities), in one query."""
    by_key = {m.key: m for m in months}
    wanted = len(communities) if communities is not None else len(_all_communities(session))
    stmt, params = _ACCEPTED_AND_AGREED.bound(communities, months=sorted(by_key))
    return {by_key[m]: (int(a), int(s)) for m, a, s, n in session.exec(stmt, params=params) if n == wanted}


def month_tallies(
    session: Session, communities: Communities, month: Month, now: datetime | None = None
) -> dict[int, MonthTally]:
    """The month's tallies: kept ones for a closed month (taken now if missing), else computed live."""
    now = now or clock.now()
    if not month.closed(now):
        return compute(session, communities, month)
    kept = load(session, communities, month)
    return kept if kept is not None else take(session, communities, month, now)


def close_all(session: Session, now: datetime | None = None) -> list[Month]:
    """Take every closed month not yet kept, from the first acceptance on; returns the months taken."""
    now = now or clock.now()
    first = session.exec(select(func.min(Case.accepted_at))).one()
    if first is None:
        return []
    communities = _all_communities(session)
    month, taken = Month.of(first), []
    while month.closed(now):
        kept = session.exec(
            select(func.count()).select_from(MonthSnapshot).where(MonthSnapshot.month == month.key)
        ).one()
        if int(kept) < len(communities):
            take(session, None, month, now)
            taken.append(month)
        month = month.shift(1)
    return taken


def drop(session: Session, community_id: int, moments: Iterable[datetime | date | None]) -> None:
    """Inside a write transaction: forget the kept tallies of the months these moments fall in.

    Only a month that is over can be kept, so a moment in the current month (every ordinary write)
    costs no query.
    """
    now = clock.now()
    months = {_month_of(m) for m in moments if m is not None}
    keys = sorted(m.key for m in months if m.closed(now))
    if keys:
        session.execute(
            delete(MonthSnapshot).where(
                col(MonthSnapshot.community_id) == community_id, col(MonthSnapshot.month).in_(keys)
            )
        )


def _month_of(moment: datetime | date) -> Month:
    return Month.of(moment) if isinstance(moment, datetime) else Month.of_day(moment)


def _all_communities(session: Session) -> list[int]:
    """Every community's id (read once per transaction: a report asks for each of its months)."""
    return per_transaction(
        session,
        "community_ids",
        lambda: sorted(int(i) for i in session.exec(select(Community.id)) if i is not None),
    )
