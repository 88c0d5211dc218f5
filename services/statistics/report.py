"""The monthly report (人民调解月报) of a scope: its figures, 环比/同比, breakdowns, workload and trend.

The figures come from the month's tallies per community (month_figures: a dozen GROUP BY queries
per month, grouped by community, so a scope's figures are the sum of its communities'). A month that
is over is computed once and kept (kept_months, 月报定稿); its report then reads a few rows. The
current month is computed on every request. Months are calendar months in Beijing time, turned into
UTC ranges (months.Month.bounds); no database date functions are used, so the same queries run on
SQLite and PostgreSQL.

Definitions (M = the month, [start, end) its UTC range, dates are Beijing dates):

- 受理数: cases whose ``accepted_at`` is in M.
- 调解成功数: distinct cases with a ``record_agreement`` event (to_state ``agreed``) in M.
- 调解不成功数: distinct cases with a ``terminate`` event in M whose mediation had started
  (``case.mediation_started``).
- 成功率: 成功 / (成功 + 不成功) in per cent, one decimal; None ("—") when both are 0.
- 书面/口头协议, 协议涉及金额: the agreements recorded in M (``created_at``: an agreement is written
  in the same transaction as its ``record_agreement`` event, with the same time, so the month is the
  one 调解成功数 counts it in; not ``effective_on``). Amounts are summed in 分 in SQL and shown in 元
  and 万元.
- 履行数: follow-ups (回访) visited in M (``visited_on``) that found the agreement performed.
- 满意率: (满意 + 基本满意) / all follow-ups visited in M, per cent, one decimal.
- 司法确认数: judicial confirmations applied for in M (``applied_on``) with result ``valid``.
- 上报升级数: ``escalate`` events in M.
- 月末超期未结: cases accepted before the end of M whose state at the end of M (the to_state of their
  last event before the end) is accepted/assigned/mediating and whose deadline is before the last
  day of M (``workflow.clocks.is_overdue`` on that day). The deadline is the case's deadline when
  the month's figures are computed (for a closed month: when it was kept).
- 平均/中位用时: days (elapsed, one decimal) from acceptance to the first agreement in M, over the
  cases agreed in M.
- 防止民转刑 (件/人): cases agreed in M whose risk level is orange/red now or was raised to orange/red
  by a ``flag_risk`` event before the end of M; with the sum of their ``people_involved``. An intake
  risk of orange/red later lowered by ``flag_risk`` is not seen (the intake level is not in an event).
- 工作量 (per person): cases open at the end of M with that person as assignee at that moment
  (from the last assign/reassign/escalate/delegate event before the end), agreements they recorded
  in M (cases), sessions they recorded in M.
- By tier: the case's tier when the figures are computed (the tier that handles or handled it, after
  escalations); for a closed month, its tier when the month was kept, so a filed report stays as filed.
- A closed month is kept per community on first use (or by ``flask stats close``); an entry dated
  inside it afterwards (a follow-up's visit day, a confirmation's application day, a back-dated
  event) drops the community's kept month, and the next report computes it again.
- 环比: the same figure for the previous month; 同比: for the same month a year earlier. The change is
  a growth in per cent for counts and amounts, and a difference in percentage points for rates.
"""

from __future__ import annotations

import statistics as pystats
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models import Community, User
from services import clock
from services.db import Scoped
from services.statistics import kept_months
from services.statistics.month_figures import MonthTally, accepted_and_agreed, compute, merged
from services.statistics.months import Month
from services.statistics.scope import Scope
from services.vocabulary import active_categories, active_sources
from workflow import Role, Tier
from workflow.text import Text, _, listing

ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")

UNDECIDED = _("未定")


# --- numbers -------------------------------------------------------------------------------
def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def success_rate(success: int, failure: int) -> Decimal | None:
    """成功率: 成功 / (成功 + 不成功), per cent; None when both are 0."""
    return percent(success, success + failure)


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
        return success_rate(self.success, self.failure)

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
    label: Text
    unit: str | Text
    kind: str = "count"  # count | amount | rate | days
    basis: str = ""  # the unrounded figure 环比/同比 are computed from, when the shown one is rounded


INDICATORS: tuple[Indicator, ...] = (
    Indicator("accepted", _("受理数"), _("件")),
    Indicator("success", _("调解成功数"), _("件")),
    Indicator("failure", _("调解不成功数"), _("件")),
    Indicator("success_rate", _("调解成功率"), "%", "rate"),
    Indicator("agreements", _("达成协议数"), _("份")),
    Indicator("written", _("其中：书面协议"), _("份")),
    Indicator("oral", _("其中：口头协议"), _("份")),
    Indicator("amount", _("协议涉及金额"), _("元"), "amount"),
    # A growth rate does not depend on the unit: the 万元 row's is the 元 row's, not that of rounded 万元.
    Indicator("amount_wan", _("协议涉及金额"), _("万元"), "amount", basis="amount"),
    Indicator("performed", _("履行数"), _("件")),
    Indicator("confirmed", _("司法确认数"), _("件")),
    Indicator("escalations", _("上报升级数"), _("次")),
    Indicator("overdue", _("月末超期未结数"), _("件")),
    Indicator("avg_days", _("平均调解用时"), _("天"), "days"),
    Indicator("median_days", _("调解用时中位数"), _("天"), "days"),
    Indicator("prevented_cases", _("防止民转刑"), _("件")),
    Indicator("prevented_people", _("防止民转刑涉及人数"), _("人")),
    Indicator("follow_ups", _("回访数"), _("次")),
    Indicator("satisfaction_rate", _("回访满意率"), "%", "rate"),
)


def value_of(figures: Figures, indicator: Indicator, *, exact: bool = False) -> int | Decimal | None:
    """The figure as shown, or (``exact``) the unrounded one its changes are computed from."""
    value: int | Decimal | None = getattr(
        figures, indicator.basis if exact and indicator.basis else indicator.key
    )
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


def figures_of(month: Month, tally: MonthTally) -> Figures:
    """The scope's figures from the sum of its communities' tallies."""
    c = tally.counts
    days = tally.days
    return Figures(
        month=month,
        accepted=c["accepted"],
        success=c["success"],
        failure=c["failure"],
        written=c["written"],
        oral=c["oral"],
        amount=(Decimal(c["amount_fen"]) / 100).quantize(CENT),
        follow_ups=c["follow_ups"],
        performed=c["performed"],
        satisfied=c["satisfied"],
        confirmed=c["confirmed"],
        escalations=c["escalations"],
        overdue=c["overdue"],
        avg_days=one_decimal(pystats.fmean(days)) if days else None,
        median_days=one_decimal(pystats.median(days)) if days else None,
        prevented_cases=c["prevented_cases"],
        prevented_people=c["prevented_people"],
    )


def figures(session: Session, scope: Scope, month: Month) -> Figures:
    """Every figure of one month, computed from the records now (see the module docstring)."""
    return figures_of(month, merged(compute(session, scope.community_ids, month).values()))


# --- breakdowns ----------------------------------------------------------------------------
@dataclass
class Row:
    """One line of a breakdown table."""

    key: str
    label: str | Text
    accepted: int = 0
    success: int = 0
    failure: int = 0

    @property
    def success_rate(self) -> Decimal | None:
        return success_rate(self.success, self.failure)


def total_row(rows: Iterable[Row]) -> Row:
    """The 合计 line of a breakdown table: the sums, and the success rate of the sums."""
    rows = list(rows)
    return Row("", _("合计"), *(sum(getattr(r, a) for r in rows) for a in ("accepted", "success", "failure")))


@dataclass
class WorkloadRow:
    user_id: int
    name: str
    roles: str
    open_at_end: int = 0
    agreed: int = 0
    sessions: int = 0


def _rows(counts: dict[str, list[int]], order: Iterable[tuple[str, str | Text]]) -> list[Row]:
    """Rows in the given order (every one, zeros included), then any other keys found ("" is 未定)."""
    rows = []
    known = set()
    for key, label in order:
        known.add(key)
        rows.append(Row(key, label, *counts.get(key, [0, 0, 0])))
    for key in sorted(k for k in counts if k not in known):
        rows.append(Row(key, key or UNDECIDED, *counts[key]))
    return rows


_COMMUNITIES = Scoped.of(
    select(Community).order_by(col(Community.street), col(Community.name)), col(Community.id)
)
_USERS_IN = select(User).where(col(User.id).in_(bindparam("ids", expanding=True)))


def _community_rows(session: Session, scope: Scope, tallies: dict[int, MonthTally]) -> list[Row]:
    statement, params = _COMMUNITIES.bound(scope.community_ids)
    communities = session.exec(statement, params=params)
    rows = []
    for community in communities:
        c = (
            tallies[community.id].counts
            if community.id in tallies
            else dict.fromkeys(("accepted", "success", "failure"), 0)
        )
        rows.append(Row(str(community.id), community.name, c["accepted"], c["success"], c["failure"]))
    return rows


def _workload_rows(session: Session, counts: dict[int, list[int]]) -> list[WorkloadRow]:
    if not counts:
        return []
    users = session.exec(_USERS_IN, params={"ids": sorted(counts)}).all()
    out = [
        WorkloadRow(u.id, u.display_name, _role_labels(u), *counts[u.id]) for u in users if u.id is not None
    ]
    return sorted(out, key=lambda r: (-r.open_at_end, -r.agreed, r.name))


def _role_labels(user: User) -> str:
    labels = [str(Role(r).label) for r in user.role_list if r in {t.value for t in Tier}]
    return listing(labels)


# --- the report ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    month: Month
    accepted: int
    success: int


def trend(
    session: Session, scope: Scope, month: Month, months: int = 12, *, now: datetime | None = None
) -> list[TrendPoint]:
    """Accepted and successful cases in each of the ``months`` months ending with ``month``.

    Months already kept (kept_months) are read from there, the others counted in two queries.
    """
    now = now or clock.now()
    span = [month.shift(i - months + 1) for i in range(months)]
    points = kept_months.kept_accepted_and_agreed(
        session, scope.community_ids, [m for m in span if m.closed(now)]
    )
    missing = [m for m in span if m not in points]
    if missing:
        counted = accepted_and_agreed(
            session, scope.community_ids, span[span.index(missing[0]) : span.index(missing[-1]) + 1]
        )
        points.update({m: counted[m] for m in missing})
    return [TrendPoint(m, *points[m]) for m in span]


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
    kept_at: datetime | None = None  # a closed month: when its figures were kept (月报定稿)

    def summary(self) -> list[SummaryLine]:
        lines = []
        for ind in INDICATORS:
            figures = (self.current, self.previous, self.last_year)
            cur, prev, ly = (value_of(f, ind) for f in figures)
            exact_cur, exact_prev, exact_ly = (value_of(f, ind, exact=True) for f in figures)
            mom, yoy = change(exact_cur, exact_prev, ind.kind), change(exact_cur, exact_ly, ind.kind)
            lines.append(SummaryLine(ind, cur, prev, mom, ly, yoy))
        return lines


def monthly_report(
    session: Session, scope: Scope, month: Month, *, trend_months: int = 12, now: datetime | None = None
) -> Report:
    """The month's report: figures with 环比/同比, breakdown tables, workload and the trend.

    A month that is over is read from its kept tallies (taken on first use, kept_months); the
    current month is computed from the records.
    """
    now = now or clock.now()
    tallies = kept_months.month_tallies(session, scope.community_ids, month, now)
    total = merged(tallies.values())
    previous, last_year = (
        merged(kept_months.month_tallies(session, scope.community_ids, m, now).values())
        for m in (month.shift(-1), month.shift(-12))
    )
    return Report(
        scope=scope,
        month=month,
        current=figures_of(month, total),
        previous=figures_of(month.shift(-1), previous),
        last_year=figures_of(month.shift(-12), last_year),
        categories=_rows(total.breakdowns["category"], [(c, c) for c in active_categories(session)]),
        sources=_rows(total.breakdowns["source"], [(s, s) for s in active_sources(session)]),
        tiers=_rows(total.breakdowns["tier"], [(t.value, t.label) for t in Tier]),
        communities=_community_rows(session, scope, tallies),
        workload=_workload_rows(session, total.workload),
        trend=trend(session, scope, month, trend_months, now=now),
        kept_at=kept_months.kept_at(session, scope.community_ids, month) if month.closed(now) else None,
    )
