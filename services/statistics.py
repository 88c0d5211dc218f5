"""Monthly statistics of mediation work (人民调解月报) for a community, a street, or all.

Months are calendar months in Beijing time, turned into UTC ranges by ``clock.month_bounds``; no
database date functions are used, so the same queries run on SQLite and PostgreSQL. Every figure is a
COUNT/SUM with GROUP BY in the database; only the acceptance-to-agreement durations come back as one
column of numbers (for the median).

Definitions (M = the month, [start, end) its UTC range, dates are Beijing dates):

- 受理数: cases whose ``accepted_at`` is in M.
- 调解成功数: distinct cases with a ``record_agreement`` event (to_state ``agreed``) in M.
- 调解不成功数: distinct cases with a ``terminate`` event in M whose mediation had started
  (``case.mediation_started``).
- 成功率: 成功 / (成功 + 不成功) in per cent, one decimal; None ("—") when both are 0.
- 书面/口头协议, 协议涉及金额: the agreements recorded by the ``record_agreement`` events in M (the
  event time decides the month, as for 调解成功数; not ``effective_on``). An agreement is paired
  with its event by order within the case (the n-th agreement row of a case was written in the same
  transaction as the case's n-th ``record_agreement`` event). Amounts are summed in 分 in SQL and
  shown in 元 and 万元.
- 履行数: follow-ups (回访) visited in M (``visited_on``) that found the agreement performed.
- 满意率: (满意 + 基本满意) / all follow-ups visited in M, per cent, one decimal.
- 司法确认数: judicial confirmations applied for in M (``applied_on``) with result ``valid``.
- 上报升级数: ``escalate`` events in M.
- 月末超期未结: cases accepted before the end of M whose state at the end of M (the to_state of their
  last event before the end) is accepted/assigned/mediating and whose deadline is before the last
  day of M (``workflow.clocks.is_overdue`` on that day). Approximation: the deadline is the case's
  current one, so an extension recorded after M moves a case out of M's figure.
- 平均/中位用时: days (elapsed, one decimal) from acceptance to the first agreement in M, over the
  cases agreed in M.
- 防止民转刑 (件/人): cases agreed in M whose risk level is orange/red now or was raised to orange/red
  by a ``flag_risk`` event before the end of M; with the sum of their ``people_involved``. An intake
  risk of orange/red later lowered by ``flag_risk`` is not seen (the intake level is not in an event).
- 工作量 (per person): cases open at the end of M with that person as assignee at that moment
  (from the last assign/reassign/escalate/delegate event before the end), agreements they recorded
  in M (cases), sessions they recorded in M.
- By tier: the case's tier now (the tier that handles or handled it, after escalations).
- 环比: the same figure for the previous month; 同比: for the same month a year earlier. The change is
  a growth in per cent for counts and amounts, and a difference in percentage points for rates.
"""

from __future__ import annotations

import re
import statistics as pystats
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
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
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from models import Agreement, Case, CaseEvent, Community, FollowUp, JudicialConfirmation, User
from services import clock
from services.cases import SOURCES
from services.errors import Forbidden, Invalid
from services.policy import current_policy
from workflow import Actor, Role, Tier
from workflow.states import CLOCK_RUNNING, State

VIEW_ROLES = (Role.STAFF, Role.LEADER, Role.ADMIN)
OPEN_WITH_ASSIGNEE = (State.ASSIGNED.value, State.MEDIATING.value, State.AGREED.value, State.DEFAULTED.value)
RUNNING = tuple(s.value for s in CLOCK_RUNNING)
HIGH_RISK = ("orange", "red")
ASSIGNEE_TRIGGERS = ("assign", "reassign", "escalate", "delegate")
ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")


# --- months --------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in Beijing time."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> Month:
        """``2026-10`` → Month; anything else raises Invalid with a message for the user."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise Invalid(f"月份格式不正确：{text or '（空）'}，应为 YYYY-MM，例如 2026-10。", field="month")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, moment: datetime | None = None) -> Month:
        day = clock.local_date(moment)
        return cls(day.year, day.month)

    def shift(self, delta: int) -> Month:
        return Month(*clock.shift_month(self.year, self.month, delta))

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return clock.month_bounds(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        nxt = self.shift(1)
        return date(nxt.year, nxt.month, 1)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    def __str__(self) -> str:
        return self.key


# --- scope ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """Which communities a report covers; ``community_ids`` None means every community."""

    kind: str  # community | street | all
    key: str  # as in URLs: community:<id>, street:<name>, all
    label: str
    community_ids: frozenset[int] | None

    def condition(self, column: Any) -> ColumnElement[bool]:
        if self.community_ids is None:
            return true()
        return col(column).in_(sorted(self.community_ids))


def may_view_statistics(actor: Actor) -> bool:
    return actor.active and actor.has(*VIEW_ROLES)


def resolve_scope(session: Session, actor: Actor, key: str | None) -> Scope:
    """The scope named by ``key``, intersected with what the actor may see.

    Raises Forbidden when the actor may not see statistics or the scope (never an empty report of
    someone else's community), Invalid when the key names nothing.
    """
    if not may_view_statistics(actor):
        raise Forbidden("您无权查看统计报表。")
    key = (key or "").strip() or "all"
    mine = actor.community_ids
    if key == "all":
        if mine is None:
            return Scope("all", "all", "全部社区", None)
        if not mine:
            raise Forbidden("您不属于任何社区，无法查看统计。")
        return Scope("all", "all", "全部可见社区", frozenset(mine))
    kind, _, value = key.partition(":")
    if kind == "community":
        try:
            community = session.get(Community, int(value))
        except ValueError:
            community = None
        if community is None or community.id is None:
            raise Invalid("社区不存在。", field="scope")
        if not actor.in_community(community.id):
            raise Forbidden("您无权查看该社区的统计。")
        return Scope("community", key, community.name, frozenset({community.id}))
    if kind == "street" and value:
        found = session.exec(select(Community.id).where(Community.street == value)).all()
        ids = frozenset(i for i in found if i is not None)
        if not ids:
            raise Invalid("街道不存在。", field="scope")
        visible = ids if mine is None else ids & mine
        if not visible:
            raise Forbidden("您无权查看该街道的统计。")
        return Scope("street", key, value, visible)
    raise Invalid("统计范围无效。", field="scope")


def scope_of_community(session: Session, short_name: str | None) -> Scope:
    """The scope for the command line: one community by short name, or all (no access check)."""
    if not short_name:
        return Scope("all", "all", "全部社区", None)
    community = session.exec(select(Community).where(Community.short_name == short_name)).first()
    if community is None or community.id is None:
        raise Invalid(f"找不到简称为「{short_name}」的社区。", field="community")
    return Scope("community", f"community:{community.id}", community.name, frozenset({community.id}))


@dataclass(frozen=True)
class ScopeChoice:
    key: str
    label: str


def scope_choices(session: Session, actor: Actor) -> list[ScopeChoice]:
    """The scopes this actor may pick: all, each street they see, each community they see."""
    stmt = select(Community).order_by(col(Community.street), col(Community.name))
    if actor.community_ids is not None:
        stmt = stmt.where(col(Community.id).in_(sorted(actor.community_ids)))
    communities = session.exec(stmt).all()
    choices = [ScopeChoice("all", "全部社区" if actor.community_ids is None else "全部可见社区")]
    streets = sorted({c.street for c in communities if c.street})
    choices += [ScopeChoice(f"street:{s}", f"{s}（街道）") for s in streets]
    choices += [ScopeChoice(f"community:{c.id}", c.name) for c in communities]
    return choices


# --- SQL helpers ---------------------------------------------------------------------------
class days_between(FunctionElement[float]):
    """Elapsed days from ``start`` to ``end`` (two timestamp columns), per dialect."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = list(element.clauses)
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


def _events(trigger: str, month: Month, scope: Scope) -> list[ColumnElement[bool]]:
    return [
        col(CaseEvent.trigger) == trigger,
        _in_month(CaseEvent.at, month),
        scope.condition(CaseEvent.community_id),
    ]


def _agreed_cases(month: Month, scope: Scope) -> Any:
    """Subquery: each case agreed in the month with the time of its first agreement in the month."""
    return (
        select(col(CaseEvent.case_id).label("case_id"), func.min(CaseEvent.at).label("at"))
        .where(*_events("record_agreement", month, scope), col(CaseEvent.to_state) == State.AGREED.value)
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
            col(CaseEvent.trigger).in_(ASSIGNEE_TRIGGERS),
        )
        .order_by(col(CaseEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _open_at_end(month: Month, scope: Scope) -> Any:
    """Subquery over the cases possibly open at the end of the month: their state, assignee, deadline.

    The candidates (accepted before the end, not closed before it) are a MATERIALIZED CTE so the
    per-case look-ups run on them only; flattened, PostgreSQL estimates a look-up per case ever
    accepted and spends a second compiling the query (JIT).
    """
    end = month.bounds[1]

    # Two index look-ups on closed_at (still open / closed after the end) instead of one scan of
    # every case accepted before the end, which grows with the whole history.
    def accepted_before_end(closed: ColumnElement[bool]) -> Any:
        return select(col(Case.id).label("case_id"), col(Case.deadline).label("deadline")).where(
            scope.condition(Case.community_id), col(Case.accepted_at) < end, closed
        )

    candidates = (
        union_all(
            accepted_before_end(col(Case.closed_at).is_(None)),
            accepted_before_end(col(Case.closed_at) >= end),
        )
        .cte("open_candidates")
        .prefix_with("MATERIALIZED")
    )
    return select(
        candidates.c.case_id,
        candidates.c.deadline,
        _state_at(candidates.c.case_id, end).label("state"),
        _assignee_at(candidates.c.case_id, end).label("assignee_id"),
    ).subquery()


# --- numbers -------------------------------------------------------------------------------
def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def one_decimal(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def wan(yuan: Decimal) -> Decimal:
    """元 → 万元, two decimals."""
    return (yuan / 10000).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The month's figures for one scope."""

    month: Month
    accepted: int = 0
    success: int = 0
    failure: int = 0
    written: int = 0
    oral: int = 0
    amount: Decimal = Decimal("0.00")  # 元
    follow_ups: int = 0
    performed: int = 0
    satisfied: int = 0  # 满意 + 基本满意
    confirmed: int = 0
    escalations: int = 0
    overdue: int = 0
    avg_days: Decimal | None = None
    median_days: Decimal | None = None
    prevented_cases: int = 0
    prevented_people: int = 0

    @property
    def success_rate(self) -> Decimal | None:
        return percent(self.success, self.success + self.failure)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.follow_ups)

    @property
    def agreements(self) -> int:
        return self.written + self.oral

    @property
    def amount_wan(self) -> Decimal:
        return wan(self.amount)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    kind: str = "count"  # count | amount | rate | days


INDICATORS: tuple[Indicator, ...] = (
    Indicator("accepted", "受理数", "件"),
    Indicator("success", "调解成功数", "件"),
    Indicator("failure", "调解不成功数", "件"),
    Indicator("success_rate", "调解成功率", "%", "rate"),
    Indicator("agreements", "达成协议数", "份"),
    Indicator("written", "其中：书面协议", "份"),
    Indicator("oral", "其中：口头协议", "份"),
    Indicator("amount", "协议涉及金额", "元", "amount"),
    Indicator("amount_wan", "协议涉及金额", "万元", "amount"),
    Indicator("performed", "履行数", "件"),
    Indicator("confirmed", "司法确认数", "件"),
    Indicator("escalations", "上报升级数", "次"),
    Indicator("overdue", "月末超期未结数", "件"),
    Indicator("avg_days", "平均调解用时", "天", "days"),
    Indicator("median_days", "调解用时中位数", "天", "days"),
    Indicator("prevented_cases", "防止民转刑", "件"),
    Indicator("prevented_people", "防止民转刑涉及人数", "人"),
    Indicator("follow_ups", "回访数", "次"),
    Indicator("satisfaction_rate", "回访满意率", "%", "rate"),
)


def value_of(figures: Figures, indicator: Indicator) -> int | Decimal | None:
    value: int | Decimal | None = getattr(figures, indicator.key)
    return value


def change(current: int | Decimal | None, previous: int | Decimal | None, kind: str) -> Decimal | None:
    """环比/同比: growth in per cent (counts, amounts, days) or percentage points (rates)."""
    if current is None or previous is None:
        return None
    if kind == "rate":
        return (Decimal(current) - Decimal(previous)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    if previous == 0:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )


def figures(session: Session, scope: Scope, month: Month) -> Figures:
    """Every figure of one month (see the module docstring for the definitions)."""
    written, oral, amount = _agreements(session, scope, month)
    follow_ups, performed, satisfied = _follow_ups(session, scope, month)
    avg_days, median_days = _days_to_agreement(session, scope, month)
    prevented_cases, prevented_people = _prevented(session, scope, month)
    return Figures(
        month=month,
        accepted=_count_accepted(session, scope, month),
        success=_count_success(session, scope, month),
        failure=_count_failure(session, scope, month),
        written=written,
        oral=oral,
        amount=amount,
        follow_ups=follow_ups,
        performed=performed,
        satisfied=satisfied,
        confirmed=_count_confirmed(session, scope, month),
        escalations=_count_events(session, scope, month, "escalate"),
        overdue=_count_overdue(session, scope, month),
        avg_days=avg_days,
        median_days=median_days,
        prevented_cases=prevented_cases,
        prevented_people=prevented_people,
    )


def _count_accepted(session: Session, scope: Scope, month: Month) -> int:
    stmt = (
        select(func.count())
        .select_from(Case)
        .where(_in_month(Case.accepted_at, month), scope.condition(Case.community_id))
    )
    return int(session.exec(stmt).one())


def _count_success(session: Session, scope: Scope, month: Month) -> int:
    stmt = select(func.count(distinct(col(CaseEvent.case_id)))).where(
        *_events("record_agreement", month, scope), col(CaseEvent.to_state) == State.AGREED.value
    )
    return int(session.exec(stmt).one())


def _count_failure(session: Session, scope: Scope, month: Month) -> int:
    stmt = (
        select(func.count(distinct(col(CaseEvent.case_id))))
        .select_from(CaseEvent)
        .join(Case, col(Case.id) == col(CaseEvent.case_id))
        .where(*_events("terminate", month, scope), col(Case.mediation_started).is_(True))
    )
    return int(session.exec(stmt).one())


def _count_events(session: Session, scope: Scope, month: Month, trigger: str) -> int:
    stmt = select(func.count()).select_from(CaseEvent).where(*_events(trigger, month, scope))
    return int(session.exec(stmt).one())


def _count_confirmed(session: Session, scope: Scope, month: Month) -> int:
    stmt = (
        select(func.count())
        .select_from(JudicialConfirmation)
        .join(Case, col(Case.id) == col(JudicialConfirmation.case_id))
        .where(
            col(JudicialConfirmation.result) == "valid",
            _on_days_of(JudicialConfirmation.applied_on, month),
            scope.condition(Case.community_id),
        )
    )
    return int(session.exec(stmt).one())


def _agreements(session: Session, scope: Scope, month: Month) -> tuple[int, int, Decimal]:
    """Written count, oral count, and the summed amount (元) of the agreements recorded in the month.

    The n-th agreement row of a case pairs with the case's n-th record_agreement event (both are
    numbered by counting the earlier ones through the per-case indexes).
    """
    earlier_event = aliased(CaseEvent)
    event_n = (
        select(func.count())
        .where(
            col(earlier_event.case_id) == col(CaseEvent.case_id),
            col(earlier_event.trigger) == "record_agreement",
            col(earlier_event.id) <= col(CaseEvent.id),
        )
        .correlate(CaseEvent)
        .scalar_subquery()
    )
    events = (
        select(col(CaseEvent.case_id).label("case_id"), col(CaseEvent.at).label("at"), event_n.label("n"))
        .where(*_events("record_agreement", month, scope))
        .subquery()
    )
    earlier = aliased(Agreement)
    agreement_n = (
        select(func.count())
        .where(col(earlier.case_id) == col(Agreement.case_id), col(earlier.id) <= col(Agreement.id))
        .correlate(Agreement)
        .scalar_subquery()
    )
    rows = (
        select(
            col(Agreement.case_id).label("case_id"),
            col(Agreement.kind).label("kind"),
            type_coerce(col(Agreement.amount), BigInteger).label("fen"),
            agreement_n.label("n"),
        )
        .where(col(Agreement.case_id).in_(select(events.c.case_id)))
        .subquery()
    )
    stmt = (
        select(rows.c.kind, func.count(), func.coalesce(func.sum(rows.c.fen), 0))
        .select_from(rows)
        .join(events, and_(events.c.case_id == rows.c.case_id, events.c.n == rows.c.n))
        .where(_in_month(events.c.at, month))
        .group_by(rows.c.kind)
    )
    counts: dict[str, int] = {}
    total = Decimal("0.00")
    for kind, count, fen in session.exec(stmt).all():
        counts[kind] = int(count)
        total += Decimal(int(fen)) / 100
    return counts.get("written", 0), counts.get("oral", 0), total.quantize(CENT)


def _follow_ups(session: Session, scope: Scope, month: Month) -> tuple[int, int, int]:
    """All follow-ups visited in the month, those that found performance, those satisfied."""
    stmt = (
        select(FollowUp.performed, FollowUp.satisfaction, func.count())
        .select_from(FollowUp)
        .join(Case, col(Case.id) == col(FollowUp.case_id))
        .where(_on_days_of(FollowUp.visited_on, month), scope.condition(Case.community_id))
        .group_by(col(FollowUp.performed), col(FollowUp.satisfaction))
    )
    total = performed = satisfied = 0
    for was_performed, satisfaction, count in session.exec(stmt).all():
        total += count
        performed += count if was_performed else 0
        satisfied += count if satisfaction in ("satisfied", "basically") else 0
    return total, performed, satisfied


def _days_to_agreement(session: Session, scope: Scope, month: Month) -> tuple[Decimal | None, Decimal | None]:
    agreed = _agreed_cases(month, scope)
    stmt = (
        select(days_between(agreed.c.at, col(Case.accepted_at)))
        .select_from(agreed)
        .join(Case, col(Case.id) == agreed.c.case_id)
    )
    days = [float(d) for d in session.exec(stmt).all() if d is not None]
    if not days:
        return None, None
    return one_decimal(pystats.fmean(days)), one_decimal(pystats.median(days))


def _prevented(session: Session, scope: Scope, month: Month) -> tuple[int, int]:
    agreed = _agreed_cases(month, scope)
    end = month.bounds[1]
    flagged = (
        select(CaseEvent.id)
        .where(
            col(CaseEvent.case_id) == col(Case.id),
            col(CaseEvent.trigger) == "flag_risk",
            col(CaseEvent.at) < end,
            col(CaseEvent.data)["level"].as_string().in_(HIGH_RISK),
        )
        .correlate(Case)
        .exists()
    )
    stmt = (
        select(func.count(), func.coalesce(func.sum(Case.people_involved), 0))
        .select_from(Case)
        .join(agreed, agreed.c.case_id == col(Case.id))
        .where(or_(col(Case.risk_level).in_(HIGH_RISK), flagged))
    )
    cases, people = session.exec(stmt).one()
    return int(cases), int(people)


def _count_overdue(session: Session, scope: Scope, month: Month) -> int:
    rows = _open_at_end(month, scope)
    stmt = select(func.count()).where(rows.c.state.in_(RUNNING), rows.c.deadline < month.last_day)
    return int(session.exec(stmt).one())


# --- breakdowns ----------------------------------------------------------------------------
@dataclass
class Row:
    """One line of a breakdown table."""

    key: str
    label: str
    accepted: int = 0
    success: int = 0
    failure: int = 0

    @property
    def success_rate(self) -> Decimal | None:
        return percent(self.success, self.success + self.failure)


@dataclass
class WorkloadRow:
    user_id: int
    name: str
    roles: str
    open_at_end: int = 0
    agreed: int = 0
    sessions: int = 0


def _breakdown(session: Session, scope: Scope, month: Month, column: Any) -> dict[Any, list[int]]:
    """{key: [accepted, success, failure]} grouped by a Case column."""
    out: dict[Any, list[int]] = {}
    accepted = (
        select(column, func.count())
        .where(_in_month(Case.accepted_at, month), scope.condition(Case.community_id))
        .group_by(column)
    )
    for key, n in session.exec(accepted).all():
        out.setdefault(key, [0, 0, 0])[0] = int(n)
    for slot, trigger, extra in (
        (1, "record_agreement", col(CaseEvent.to_state) == State.AGREED.value),
        (2, "terminate", col(Case.mediation_started).is_(True)),
    ):
        stmt = (
            select(column, func.count(distinct(col(CaseEvent.case_id))))
            .select_from(CaseEvent)
            .join(Case, col(Case.id) == col(CaseEvent.case_id))
            .where(*_events(trigger, month, scope), extra)
            .group_by(column)
        )
        for key, n in session.exec(stmt).all():
            out.setdefault(key, [0, 0, 0])[slot] = int(n)
    return out


def _rows(counts: dict[Any, list[int]], order: Iterable[tuple[Any, str]]) -> list[Row]:
    rows = []
    known = set()
    for key, label in order:
        known.add(key)
        acc, succ, fail = counts.get(key, [0, 0, 0])
        rows.append(Row(str(key), label, acc, succ, fail))
    for key in sorted((k for k in counts if k not in known), key=lambda k: str(k)):
        acc, succ, fail = counts[key]
        rows.append(Row(str(key), str(key) if key is not None else "未定", acc, succ, fail))
    return rows


def by_category(session: Session, scope: Scope, month: Month) -> list[Row]:
    order = [(c, c) for c in current_policy(session).categories]
    return _rows(_breakdown(session, scope, month, col(Case.category)), order)


def by_source(session: Session, scope: Scope, month: Month) -> list[Row]:
    return _rows(_breakdown(session, scope, month, col(Case.source)), [(s, s) for s in SOURCES])


def by_tier(session: Session, scope: Scope, month: Month) -> list[Row]:
    return _rows(_breakdown(session, scope, month, col(Case.tier)), [(t.value, t.label) for t in Tier])


def by_community(session: Session, scope: Scope, month: Month) -> list[Row]:
    counts = _breakdown(session, scope, month, col(Case.community_id))
    stmt = select(Community).order_by(col(Community.street), col(Community.name))
    if scope.community_ids is not None:
        stmt = stmt.where(col(Community.id).in_(sorted(scope.community_ids)))
    return _rows(counts, [(c.id, c.name) for c in session.exec(stmt).all()])


def workload(session: Session, scope: Scope, month: Month) -> list[WorkloadRow]:
    """Per person: open cases assigned to them at month end, agreements and sessions they recorded."""
    counts: dict[int, list[int]] = {}
    rows = _open_at_end(month, scope)
    open_stmt = (
        select(rows.c.assignee_id, func.count())
        .where(rows.c.state.in_(OPEN_WITH_ASSIGNEE), rows.c.assignee_id.is_not(None))
        .group_by(rows.c.assignee_id)
    )
    for who, n in session.exec(open_stmt).all():
        counts.setdefault(int(who), [0, 0, 0])[0] = int(n)
    for slot, trigger, counted in (
        (1, "record_agreement", func.count(distinct(col(CaseEvent.case_id)))),
        (2, "record_session", func.count()),
    ):
        stmt = (
            select(CaseEvent.actor_id, counted)
            .where(*_events(trigger, month, scope), col(CaseEvent.actor_id).is_not(None))
            .group_by(col(CaseEvent.actor_id))
        )
        for actor_id, n in session.exec(stmt).all():
            if actor_id is not None:
                counts.setdefault(actor_id, [0, 0, 0])[slot] = int(n)
    if not counts:
        return []
    users = session.exec(select(User).where(col(User.id).in_(sorted(counts)))).all()
    out = [
        WorkloadRow(u.id, u.display_name, _role_labels(u), *counts[u.id]) for u in users if u.id is not None
    ]
    return sorted(out, key=lambda r: (-r.open_at_end, -r.agreed, r.name))


def _role_labels(user: User) -> str:
    labels = [Role(r).label for r in user.role_list if r in {t.value for t in Tier}]
    return "、".join(labels)


# --- the report ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    month: Month
    accepted: int
    success: int


def trend(session: Session, scope: Scope, month: Month, months: int = 12) -> list[TrendPoint]:
    """Accepted and successful cases in each of the ``months`` months ending with ``month``."""
    span = [month.shift(i - months + 1) for i in range(months)]
    start, end = span[0].bounds[0], span[-1].bounds[1]
    bucket = month_bucket(Case.accepted_at, span)
    accepted_stmt = (
        select(bucket, func.count())
        .where(
            col(Case.accepted_at) >= start, col(Case.accepted_at) < end, scope.condition(Case.community_id)
        )
        .group_by(bucket)
    )
    accepted = {int(i): int(n) for i, n in session.exec(accepted_stmt).all() if i is not None}
    ebucket = month_bucket(CaseEvent.at, span)
    success_stmt = (
        select(ebucket, func.count(distinct(col(CaseEvent.case_id))))
        .where(
            col(CaseEvent.trigger) == "record_agreement",
            col(CaseEvent.to_state) == State.AGREED.value,
            col(CaseEvent.at) >= start,
            col(CaseEvent.at) < end,
            scope.condition(CaseEvent.community_id),
        )
        .group_by(ebucket)
    )
    success = {int(i): int(n) for i, n in session.exec(success_stmt).all() if i is not None}
    return [TrendPoint(m, accepted.get(i, 0), success.get(i, 0)) for i, m in enumerate(span)]


@dataclass(frozen=True)
class SummaryLine:
    indicator: Indicator
    current: int | Decimal | None
    previous: int | Decimal | None
    mom: Decimal | None  # 环比
    last_year: int | Decimal | None
    yoy: Decimal | None  # 同比


@dataclass
class Report:
    """Everything the monthly report shows and exports."""

    scope: Scope
    month: Month
    current: Figures
    previous: Figures
    last_year: Figures
    categories: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)
    tiers: list[Row] = field(default_factory=list)
    communities: list[Row] = field(default_factory=list)
    workload: list[WorkloadRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)

    def summary(self) -> list[SummaryLine]:
        lines = []
        for ind in INDICATORS:
            cur, prev, ly = (value_of(f, ind) for f in (self.current, self.previous, self.last_year))
            lines.append(
                SummaryLine(ind, cur, prev, change(cur, prev, ind.kind), ly, change(cur, ly, ind.kind))
            )
        return lines


def monthly_report(session: Session, scope: Scope, month: Month, *, trend_months: int = 12) -> Report:
    """The month's report: figures with 环比/同比, breakdown tables, workload and the trend."""
    return Report(
        scope=scope,
        month=month,
        current=figures(session, scope, month),
        previous=figures(session, scope, month.shift(-1)),
        last_year=figures(session, scope, month.shift(-12)),
        categories=by_category(session, scope, month),
        sources=by_source(session, scope, month),
        tiers=by_tier(session, scope, month),
        communities=by_community(session, scope, month),
        workload=workload(session, scope, month),
        trend=trend(session, scope, month, trend_months),
    )
