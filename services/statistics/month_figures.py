"""One month's figures per community, in a dozen grouped queries (the SQL of the monthly report).

Every query groups by community, so the figures of any scope (a community, a street, all) are the sum
of its communities' ``MonthTally``; the same tallies are what kept_months keeps for a month that is
over. The figures are defined in report's docstring. No database date functions are used:
months are UTC ranges, so the same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    and_,
    case,
    distinct,
    func,
    or_,
    type_coerce,
    union_all,
)
from sqlalchemy import select as core_select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from models import Agreement, Case, CaseEvent, FollowUp, JudicialConfirmation
from services.statistics.months import Month
from services.statistics.scope import Communities, within
from workflow.states import State
from workflow.triggers import HOLDER_TRIGGERS

HIGH_RISK = ("orange", "red")
SATISFIED = ("satisfied", "basically")
DIMENSIONS = ("category", "source", "tier")
COUNTS = (
    "accepted",
    "success",
    "failure",
    "written",
    "oral",
    "amount_fen",
    "follow_ups",
    "performed",
    "satisfied",
    "confirmed",
    "escalations",
    "overdue",
    "prevented_cases",
    "prevented_people",
)


@dataclass
class MonthTally:
    """One community's figures for one month.

    ``breakdowns[dimension][key]`` is [accepted, success, failure] (a case with no tier has key "");
    ``workload[user_id]`` is [open at month end, cases agreed, sessions recorded]; ``days`` are the
    days from acceptance to agreement of each case agreed in the month (for the mean and the median).
    """

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    days: list[float] = field(default_factory=list)
    breakdowns: dict[str, dict[str, list[int]]] = field(default_factory=lambda: {d: {} for d in DIMENSIONS})
    workload: dict[int, list[int]] = field(default_factory=dict)

    def add(self, other: MonthTally) -> None:
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        self.days.extend(other.days)
        for dim, rows in other.breakdowns.items():
            mine = self.breakdowns.setdefault(dim, {})
            for key, values in rows.items():
                _add_into(mine, key, values)
        for who, values in other.workload.items():
            _add_into(self.workload, who, values)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready copy (user ids become strings)."""
        return {
            "counts": dict(self.counts),
            "days": list(self.days),
            "breakdowns": {d: {k: list(v) for k, v in rows.items()} for d, rows in self.breakdowns.items()},
            "workload": {str(k): list(v) for k, v in self.workload.items()},
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> MonthTally:
        tally = cls()
        tally.counts.update({k: int(v) for k, v in data.get("counts", {}).items()})
        tally.days = [float(d) for d in data.get("days", [])]
        for dim, rows in data.get("breakdowns", {}).items():
            tally.breakdowns[dim] = {str(k): [int(x) for x in v] for k, v in rows.items()}
        tally.workload = {int(k): [int(x) for x in v] for k, v in data.get("workload", {}).items()}
        return tally


def _add_into(target: dict[Any, list[int]], key: Any, values: Sequence[int]) -> None:
    slot = target.setdefault(key, [0] * len(values))
    for i, n in enumerate(values):
        slot[i] += int(n)


def merged(tallies: Iterable[MonthTally]) -> MonthTally:
    total = MonthTally()
    for tally in tallies:
        total.add(tally)
    return total


# --- SQL helpers ---------------------------------------------------------------------------
class sql_days_between(FunctionElement[float]):
    """SQL: elapsed days from ``start`` to ``end`` (two timestamp columns), per dialect.

    The same measure as ``clock.days_between`` (two Python datetimes), computed in the database.
    """

    type = Float()
    inherit_cache = True
    name = "sql_days_between"


@compiles(sql_days_between, "sqlite")
def _days_sqlite(element: sql_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}))"


@compiles(sql_days_between, "postgresql")
def _days_postgresql(element: sql_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)})) / 86400.0)"
    )


def _in_month(column: Any, month: Month) -> ColumnElement[bool]:
    start, end = month.bounds
    return and_(col(column) >= start, col(column) < end)


def _on_days_of(column: Any, month: Month) -> ColumnElement[bool]:
    return and_(col(column) >= month.first_day, col(column) < month.next_first_day)


def month_bucket(column: Any, months: Sequence[Month]) -> Any:
    """CASE expression numbering which of ``months`` (consecutive, ascending) a timestamp falls in."""
    whens = [(col(column) < m.bounds[1], i) for i, m in enumerate(months)]
    return case(*whens, else_=None)


def _events(trigger: str, month: Month, communities: Communities) -> list[ColumnElement[bool]]:
    return [
        col(CaseEvent.trigger) == trigger,
        _in_month(CaseEvent.at, month),
        within(CaseEvent.community_id, communities),
    ]


def _agreed_cases(month: Month, communities: Communities) -> Any:
    """Subquery: each case agreed in the month with the time of its first agreement in the month."""
    return (
        select(col(CaseEvent.case_id).label("case_id"), func.min(CaseEvent.at).label("at"))
        .where(
            *_events("record_agreement", month, communities), col(CaseEvent.to_state) == State.AGREED.value
        )
        .group_by(col(CaseEvent.case_id))
        .subquery()
    )


def _state_at(case_id: Any, end: datetime) -> Any:
    """Correlated scalar: the case's state at ``end`` (to_state of its last event before it).

    A case's events are written one at a time under its row lock, so the highest id is the latest.
    """
    return (
        select(CaseEvent.to_state)
        .where(col(CaseEvent.case_id) == case_id, col(CaseEvent.at) < end)
        .order_by(col(CaseEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _assignee_at(case_id: Any, end: datetime) -> Any:
    """Correlated scalar: the case's assignee at ``end`` (escalate/delegate clear it)."""
    return (
        select(col(CaseEvent.data)["assignee_id"].as_integer())
        .where(
            col(CaseEvent.case_id) == case_id,
            col(CaseEvent.at) < end,
            col(CaseEvent.trigger).in_(HOLDER_TRIGGERS),
        )
        .order_by(col(CaseEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _open_at_end(month: Month, communities: Communities) -> Any:
    """Subquery over the cases possibly open at the end of the month: community, state, assignee, deadline.

    The candidates (accepted before the end, not closed before it) are a MATERIALIZED CTE so the
    per-case look-ups run on them only; flattened, PostgreSQL estimates a look-up per case ever
    accepted and spends a second compiling the query (JIT).
    """
    end = month.bounds[1]

    # Two index look-ups on closed_at (still open / closed after the end) instead of one scan of
    # every case accepted before the end, which grows with the whole history.
    def accepted_before_end(closed: ColumnElement[bool]) -> Any:
        return select(
            col(Case.id).label("case_id"),
            col(Case.community_id).label("community_id"),
            col(Case.deadline).label("deadline"),
        ).where(within(Case.community_id, communities), col(Case.accepted_at) < end, closed)

    candidates = (
        union_all(
            accepted_before_end(col(Case.closed_at).is_(None)),
            accepted_before_end(col(Case.closed_at) >= end),
        )
        .cte("open_candidates")
        .prefix_with("MATERIALIZED")
    )
    return select(
        candidates.c.community_id,
        candidates.c.deadline,
        _state_at(candidates.c.case_id, end).label("state"),
        _assignee_at(candidates.c.case_id, end).label("assignee_id"),
    ).subquery()


# --- the month's tallies -------------------------------------------------------------------
def compute(session: Session, communities: Communities, month: Month) -> dict[int, MonthTally]:
    """Every figure of the month for each community in ``communities`` (None: all) that has any."""
    out: dict[int, MonthTally] = {}

    def of(community_id: int) -> MonthTally:
        return out.setdefault(int(community_id), MonthTally())

    def count(community_id: int, key: str, n: Any) -> None:
        of(community_id).counts[key] += int(n or 0)

    _cases_and_outcomes(session, communities, month, of, count)
    for cid, n in session.exec(
        select(CaseEvent.community_id, func.count())
        .where(*_events("escalate", month, communities))
        .group_by(col(CaseEvent.community_id))
    ):
        count(cid, "escalations", n)
    _agreements(session, communities, month, count)
    _follow_ups(session, communities, month, count)
    for cid, n in session.exec(
        select(Case.community_id, func.count())
        .select_from(JudicialConfirmation)
        .join(Case, col(Case.id) == col(JudicialConfirmation.case_id))
        .where(
            col(JudicialConfirmation.result) == "valid",
            _on_days_of(JudicialConfirmation.applied_on, month),
            within(Case.community_id, communities),
        )
        .group_by(col(Case.community_id))
    ):
        count(cid, "confirmed", n)
    agreed = _agreed_cases(month, communities)
    for cid, days in session.exec(
        select(Case.community_id, sql_days_between(col(Case.accepted_at), agreed.c.at))
        .select_from(agreed)
        .join(Case, col(Case.id) == agreed.c.case_id)
    ):
        if days is not None:  # to 1e-6 day (0.09 s): exact enough, and short in the kept JSON
            of(cid).days.append(round(float(days), 6))
    _prevented(session, communities, month, count)
    _month_end(session, communities, month, of, count)
    _recorded_by(session, communities, month, of)
    return out


def _cases_and_outcomes(
    session: Session, communities: Communities, month: Month, of: Any, count: Any
) -> None:
    """受理, 成功, 不成功 per community, and per category, source and tier (the tier now)."""
    dims = (col(Case.category), col(Case.source), col(Case.tier))
    accepted = (
        core_select(col(Case.community_id), *dims, func.count())
        .where(_in_month(Case.accepted_at, month), within(Case.community_id, communities))
        .group_by(col(Case.community_id), *dims)
    )
    queries: list[tuple[int, str, Any]] = [(0, "accepted", accepted)]
    for slot, key, trigger, extra in (
        (1, "success", "record_agreement", col(CaseEvent.to_state) == State.AGREED.value),
        (2, "failure", "terminate", col(Case.mediation_started).is_(True)),
    ):
        # A case has one category/source/tier, so distinct cases per group add up to the community's.
        queries.append(
            (
                slot,
                key,
                core_select(col(Case.community_id), *dims, func.count(distinct(col(CaseEvent.case_id))))
                .select_from(CaseEvent)
                .join(Case, col(Case.id) == col(CaseEvent.case_id))
                .where(*_events(trigger, month, communities), extra)
                .group_by(col(Case.community_id), *dims),
            )
        )
    for slot, key, stmt in queries:
        for cid, category, source, tier, n in session.execute(stmt):
            count(cid, key, n)
            tally = of(cid)
            for dim, value in zip(DIMENSIONS, (category, source, tier), strict=True):
                row = tally.breakdowns[dim].setdefault(value or "", [0, 0, 0])
                row[slot] += int(n)


def _agreements(session: Session, communities: Communities, month: Month, count: Any) -> None:
    """Written and oral agreements recorded in the month, and their amounts (分).

    An agreement row is written in the same transaction as its ``record_agreement`` event, with the
    same time, so its ``created_at`` is the event's time (index ``ix_agreement_created_at``).
    """
    stmt = (
        select(
            Agreement.community_id,
            Agreement.kind,
            func.count(),
            func.coalesce(func.sum(type_coerce(col(Agreement.amount), BigInteger)), 0),
        )
        .where(_in_month(Agreement.created_at, month), within(Agreement.community_id, communities))
        .group_by(col(Agreement.community_id), col(Agreement.kind))
    )
    for cid, kind, n, fen in session.exec(stmt):
        count(cid, "oral" if kind == "oral" else "written", n)
        count(cid, "amount_fen", fen)


def _follow_ups(session: Session, communities: Communities, month: Month, count: Any) -> None:
    """Follow-ups visited in the month: all, those that found performance, those satisfied."""
    stmt = (
        select(Case.community_id, FollowUp.performed, FollowUp.satisfaction, func.count())
        .select_from(FollowUp)
        .join(Case, col(Case.id) == col(FollowUp.case_id))
        .where(_on_days_of(FollowUp.visited_on, month), within(Case.community_id, communities))
        .group_by(col(Case.community_id), col(FollowUp.performed), col(FollowUp.satisfaction))
    )
    for cid, performed, satisfaction, n in session.exec(stmt):
        count(cid, "follow_ups", n)
        if performed:
            count(cid, "performed", n)
        if satisfaction in SATISFIED:
            count(cid, "satisfied", n)


def _prevented(session: Session, communities: Communities, month: Month, count: Any) -> None:
    """防止民转刑: cases agreed in the month whose risk is or was raised to orange/red, and their people."""
    agreed = _agreed_cases(month, communities)
    flagged = (
        select(CaseEvent.id)
        .where(
            col(CaseEvent.case_id) == col(Case.id),
            col(CaseEvent.trigger) == "flag_risk",
            col(CaseEvent.at) < month.bounds[1],
            col(CaseEvent.data)["level"].as_string().in_(HIGH_RISK),
        )
        .correlate(Case)
        .exists()
    )
    stmt = (
        select(Case.community_id, func.count(), func.coalesce(func.sum(Case.people_involved), 0))
        .select_from(Case)
        .join(agreed, agreed.c.case_id == col(Case.id))
        .where(or_(col(Case.risk_level).in_(HIGH_RISK), flagged))
        .group_by(col(Case.community_id))
    )
    for cid, cases, people in session.exec(stmt):
        count(cid, "prevented_cases", cases)
        count(cid, "prevented_people", people)


def _month_end(session: Session, communities: Communities, month: Month, of: Any, count: Any) -> None:
    """Cases open at month end: overdue ones, and each assignee's open cases, in one pass.

    Only an assigned case has an assignee: accept names none, and escalate/delegate clear it.
    """
    rows = _open_at_end(month, communities)
    late = func.coalesce(rows.c.deadline < month.last_day, False).label("late")
    stmt = core_select(rows.c.community_id, rows.c.state, rows.c.assignee_id, late, func.count()).group_by(
        rows.c.community_id, rows.c.state, rows.c.assignee_id, late
    )
    for cid, state, assignee, is_late, n in session.execute(stmt):
        if state in State.clock_values() and is_late:
            count(cid, "overdue", n)
        if state in State.open_values() and assignee is not None:
            _add_into(of(cid).workload, int(assignee), (int(n), 0, 0))


def _recorded_by(session: Session, communities: Communities, month: Month, of: Any) -> None:
    """Per person: cases they agreed and sessions they recorded in the month."""
    for slot, trigger, counted in (
        (1, "record_agreement", func.count(distinct(col(CaseEvent.case_id)))),
        (2, "record_session", func.count()),
    ):
        stmt = (
            select(CaseEvent.community_id, CaseEvent.actor_id, counted)
            .where(*_events(trigger, month, communities), col(CaseEvent.actor_id).is_not(None))
            .group_by(col(CaseEvent.community_id), col(CaseEvent.actor_id))
        )
        for cid, actor_id, n in session.exec(stmt):
            if actor_id is None:
                continue
            values = [0, 0, 0]
            values[slot] = int(n)
            _add_into(of(cid).workload, int(actor_id), values)


def accepted_and_agreed(
    session: Session, communities: Communities, months: Sequence[Month]
) -> dict[Month, tuple[int, int]]:
    """受理 and 成功 for each of ``months`` (consecutive, ascending), summed over the communities."""
    if not months:
        return {}
    start, end = months[0].bounds[0], months[-1].bounds[1]
    bucket = month_bucket(Case.accepted_at, months)
    accepted_stmt = (
        select(bucket, func.count())
        .where(
            col(Case.accepted_at) >= start,
            col(Case.accepted_at) < end,
            within(Case.community_id, communities),
        )
        .group_by(bucket)
    )
    accepted = {int(i): int(n) for i, n in session.exec(accepted_stmt) if i is not None}
    ebucket = month_bucket(CaseEvent.at, months)
    success_stmt = (
        select(ebucket, func.count(distinct(col(CaseEvent.case_id))))
        .where(
            col(CaseEvent.trigger) == "record_agreement",
            col(CaseEvent.to_state) == State.AGREED.value,
            col(CaseEvent.at) >= start,
            col(CaseEvent.at) < end,
            within(CaseEvent.community_id, communities),
        )
        .group_by(ebucket)
    )
    success = {int(i): int(n) for i, n in session.exec(success_stmt) if i is not None}
    return {m: (accepted.get(i, 0), success.get(i, 0)) for i, m in enumerate(months)}
