"""A closed month's figures are kept once (月报定稿), read back unchanged, and dropped by a late entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import col, func, select

from models import Case, MonthSnapshot
from services.statistics import kept_months
from services.statistics.month_figures import accepted_and_agreed, compute, merged
from services.statistics.months import Month
from services.statistics.report import figures, monthly_report, trend
from tests.services.statistics.world import OCT

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)  # October and September are over; November is not


def cases_of(session, community) -> list[Case]:  # type: ignore[no-untyped-def]
    return list(session.exec(select(Case).where(Case.community_id == community.id).order_by(col(Case.id))))


def kept_rows(session) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(m, c) for m, c in session.exec(select(MonthSnapshot.month, MonthSnapshot.community_id))}


def test_report_keeps_the_closed_months_it_reads(session, world) -> None:  # type: ignore[no-untyped-def]
    scope = world["scope_a"]
    a = world["a"].id
    first = monthly_report(session, scope, OCT, now=NOW)
    assert kept_rows(session) == {("2026-10", a), ("2026-09", a), ("2025-10", a)}
    again = monthly_report(session, scope, OCT, now=NOW)
    assert again == first
    assert first.current == figures(session, scope, OCT)  # kept figures equal the ones computed now
    assert first.previous == figures(session, scope, OCT.shift(-1))


def test_current_month_is_computed_not_kept(session, world) -> None:  # type: ignore[no-untyped-def]
    report = monthly_report(session, world["scope_a"], Month(2026, 11), now=NOW)
    assert report.current.accepted == 1  # k3, accepted 11-01 00:10 Beijing time
    assert not any(m == "2026-11" for m, _ in kept_rows(session))


def test_a_kept_month_stays_as_filed(session, factory, world) -> None:  # type: ignore[no-untyped-def]
    scope = world["scope_a"]
    filed = monthly_report(session, scope, OCT, now=NOW)
    k2 = next(
        c for c in cases_of(session, world["a"]) if c.state == "accepted" and Month.of(c.accepted_at) == OCT
    )
    k2 = factory.fire(factory.fire(k2, "assign"), "escalate")  # in November: the case is now the mediator's
    assert k2.tier == "mediator"
    live = merged(compute(session, scope.community_ids, OCT).values())
    tiers = {r.key: r.accepted for r in filed.tiers}
    assert live.breakdowns["tier"]["volunteer"][0] == tiers["volunteer"] - 1
    assert live.breakdowns["tier"]["mediator"][0] == tiers["mediator"] + 1
    assert monthly_report(session, scope, OCT, now=NOW).tiers == filed.tiers


def test_a_late_follow_up_reopens_its_month(session, factory, world) -> None:  # type: ignore[no-untyped-def]
    scope = world["scope_a"]
    before = monthly_report(session, scope, OCT, now=NOW).current
    k9 = next(c for c in cases_of(session, world["a"]) if c.people_involved == 12)
    factory.fire(k9, "follow_up", visited_on=date(2026, 10, 30), satisfaction="satisfied", performed=True)
    assert ("2026-10", world["a"].id) not in kept_rows(session)
    after = monthly_report(session, scope, OCT, now=NOW).current
    assert (after.follow_ups, after.performed) == (before.follow_ups + 1, before.performed + 1)
    assert ("2026-10", world["a"].id) in kept_rows(session)


def test_close_all_takes_each_closed_month_once(session, world) -> None:  # type: ignore[no-untyped-def]
    taken = kept_months.close_all(session, now=NOW)
    assert taken[0] == Month(2025, 10) and taken[-1] == OCT  # from the first acceptance to last month
    assert len(taken) == 13
    rows = session.exec(select(func.count()).select_from(MonthSnapshot)).one()
    assert rows == 13 * 3  # every community, empty months included
    assert kept_months.close_all(session, now=NOW) == []
    span = [OCT.shift(i - 11) for i in range(12)]
    counted = accepted_and_agreed(session, world["scope_a"].community_ids, span)
    kept = trend(session, world["scope_a"], OCT, now=NOW)  # every month read from the kept rows
    assert [(p.accepted, p.success) for p in kept] == [counted[m] for m in span]
    assert kept[-1].accepted == 4 and kept[-2].accepted == 4
    empty = session.exec(select(MonthSnapshot).where(col(MonthSnapshot.month) == "2026-06")).all()
    assert all(sum(s.data["counts"].values()) == 0 for s in empty)


def test_taking_a_month_twice_keeps_the_first(session, world) -> None:  # type: ignore[no-untyped-def]
    a = world["a"].id
    first = kept_months.take(session, frozenset({a}), OCT, NOW)
    assert first[a].counts["accepted"] == 4
    row = session.exec(select(MonthSnapshot)).one()
    row.data = {**row.data, "counts": {**row.data["counts"], "accepted": 99}}  # mark the kept row
    session.add(row)
    session.commit()
    again = kept_months.take(session, frozenset({a}), OCT, NOW)  # a second request at the same time
    assert session.exec(select(func.count()).select_from(MonthSnapshot)).one() == 1
    assert again[a].counts["accepted"] == 99  # what is kept, not its own computation
