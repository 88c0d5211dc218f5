"""The monthly report against a small fixture whose every figure was worked out by hand.

The fixture (``world``) and the table of its cases, k1 to kc, with what each counts for in October 2026,
are in tests/services/statistics/world.py.
"""

from __future__ import annotations

from decimal import Decimal

from services.statistics.months import Month
from services.statistics.report import figures, monthly_report, trend
from tests.services.statistics.world import OCT


def test_october_every_figure_by_hand(session, world) -> None:  # type: ignore[no-untyped-def]
    f = figures(session, world["scope_a"], OCT)
    assert f.accepted == 4  # k2 (10-31 23:30 BJ), k4, k5, k6; not k1 (09-30 23:30) nor k3 (11-01 00:10)
    assert f.success == 4  # k1, k4, k9, k10 (its second agreement)
    assert f.failure == 1  # k5; k6 was terminated before mediation started
    assert f.success_rate == Decimal("80.0")  # 4 / (4 + 1)
    assert (f.written, f.oral) == (3, 1)  # k1, k9, k10 written; k4 oral
    assert f.amount == Decimal("100265.43")  # 1200 + 98765.43 + 300 (k10's 500 was in September)
    assert f.amount_wan == Decimal("10.03")
    assert f.follow_ups == 3  # k1 10-20, k10 10-05 and 10-28
    assert f.performed == 2  # k1, k10 on 10-28
    assert f.satisfaction_rate == Decimal("66.7")  # 满意 (k1) + 基本满意 (k10) of 3
    assert f.confirmed == 1  # k1 valid; k4 invalid
    assert f.escalations == 1  # k5
    assert f.overdue == 2  # k7 (deadline 09-19), k8 (mediating on 10-31, deadline 10-15)
    # days to agreement: k1 9.4375, k4 10.0, k9 35.0, k10 41.0
    assert f.avg_days == Decimal("23.9")  # 95.4375 / 4 = 23.859
    assert f.median_days == Decimal("22.5")  # (10 + 35) / 2
    assert (f.prevented_cases, f.prevented_people) == (2, 15)  # k4 (orange flag, 3 people) + k9 (red, 12)


def test_september_is_the_previous_month(session, world) -> None:  # type: ignore[no-untyped-def]
    f = figures(session, world["scope_a"], OCT.shift(-1))
    assert f.accepted == 4  # k1 (09-30 23:30 BJ), k8, k9, k10
    assert (f.success, f.failure, f.success_rate) == (1, 0, Decimal("100.0"))  # k10's first agreement
    assert (f.written, f.oral, f.amount) == (1, 0, Decimal("500.00"))
    assert f.overdue == 1  # k7 (deadline 09-19); k8's deadline is 10-15
    assert (f.avg_days, f.median_days) == (Decimal("9.0"), Decimal("9.0"))  # k10: 09-01 → 09-10
    assert (f.follow_ups, f.escalations, f.prevented_cases) == (0, 0, 0)


def test_empty_month_is_all_zero(session, world) -> None:  # type: ignore[no-untyped-def]
    f = figures(session, world["scope_a"], Month(2026, 6))
    assert (f.accepted, f.success, f.failure, f.written, f.oral, f.follow_ups, f.overdue) == (0,) * 7
    assert f.amount == Decimal("0.00")
    assert f.success_rate is None and f.satisfaction_rate is None
    assert f.avg_days is None and f.median_days is None


def test_report_compares_with_last_month_and_last_year(session, world) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, world["scope_a"], OCT)
    lines = {line.indicator.key: line for line in report.summary()}
    accepted = lines["accepted"]
    assert (accepted.current, accepted.previous, accepted.last_year) == (4, 4, 1)
    assert accepted.mom == Decimal("0.0")
    assert accepted.yoy == Decimal("300.0")  # (4 - 1) / 1
    assert lines["success"].mom == Decimal("300.0")  # (4 - 1) / 1
    assert lines["success_rate"].mom == Decimal("-20.0")  # 80.0 - 100.0 percentage points
    assert lines["amount"].last_year == Decimal("2000.00")
    assert lines["amount"].yoy == Decimal("4913.3")  # (100265.43 - 2000) / 2000
    assert lines["failure"].mom is None  # September had none: no growth rate


def test_amount_in_wan_changes_as_the_amount_in_yuan(session, world) -> None:  # type: ignore[no-untyped-def]
    """万元 is rounded for display only: 10.03 vs 0.20 万元 would say 4915.0%, the amounts say 4913.3%."""
    lines = {line.indicator.key: line for line in monthly_report(session, world["scope_a"], OCT).summary()}
    wan, yuan = lines["amount_wan"], lines["amount"]
    assert (wan.current, wan.last_year) == (Decimal("10.03"), Decimal("0.20"))
    assert wan.yoy == yuan.yoy == Decimal("4913.3")  # (100265.43 - 2000) / 2000
    assert wan.mom == yuan.mom == Decimal("19953.1")  # (100265.43 - 500) / 500


def test_breakdowns_by_category_source_tier(session, world) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, world["scope_a"], OCT)
    cat = {r.key: (r.accepted, r.success, r.failure) for r in report.categories}
    assert cat["邻里"] == (3, 3, 1)  # accepted k2 k5 k6; agreed k1 k9 k10; failed k5
    assert cat["婚姻家庭"] == (1, 1, 0)  # k4
    assert cat["合同"] == (0, 0, 0)
    src = {r.key: (r.accepted, r.success, r.failure) for r in report.sources}
    assert src == {"当事人申请": (3, 3, 1), "主动调解": (1, 1, 0), "委托移送": (0, 0, 0)}
    tier = {r.key: (r.accepted, r.success, r.failure) for r in report.tiers}
    # tier now: k2, k6, k1, k10 volunteer; k4 and k5 (escalated) mediator; k9 judge
    assert tier == {"volunteer": (2, 2, 0), "mediator": (2, 1, 1), "judge": (0, 1, 0)}
    assert [(r.label, r.accepted) for r in report.communities] == [("幸福社区", 4)]


def test_workload_at_month_end(session, factory, world) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, world["scope_a"], OCT)
    a = world["a"]
    rows = {r.user_id: (r.open_at_end, r.agreed, r.sessions) for r in report.workload}
    volunteer, mediator, judge = (factory.member(t, a).id for t in ("volunteer", "mediator", "judge"))
    assert rows[volunteer] == (2, 2, 1)  # open k7, k8; agreed k1, k10; session on k7
    assert rows[mediator] == (1, 1, 1)  # open k4 (agreed, no follow-up yet); agreed k4; session on k4
    assert rows[judge] == (1, 1, 0)  # open k9; agreed k9
    assert set(rows) == {volunteer, mediator, judge}


def test_trend_of_twelve_months(session, world) -> None:  # type: ignore[no-untyped-def]
    points = trend(session, world["scope_a"], OCT)
    assert [p.month.key for p in points][:2] == ["2025-11", "2025-12"] and points[-1].month == OCT
    by_month = {p.month.key: (p.accepted, p.success) for p in points}
    assert by_month["2026-08"] == (1, 0)  # k7
    assert by_month["2026-09"] == (4, 1)
    assert by_month["2026-10"] == (4, 4)
    assert sum(p.accepted for p in points) == 9  # the 2025-10 case is outside the window
