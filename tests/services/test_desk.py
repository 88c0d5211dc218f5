"""The work desk per role, with hand-built cases at each boundary of its sections."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from models import Case
from services.desk import MEMBER_SECTIONS, STAFF_SECTIONS, Desk, desk_for
from services.permissions import actor_for
from services.policy import update_policy
from services.queries import CaseFilter, list_cases
from services.users import update_user
from services.workdays import set_override
from tests.factories import Factory, bj
from tests.web.case_helpers import distinct_parties

TODAY = date(2026, 11, 20)  # a Friday
NOW = bj(2026, 11, 20, 9)


def at(day: date, hour: int = 10) -> datetime:
    return bj(day.year, day.month, day.day, hour)


def case_with_deadline(factory: Factory, deadline: date, state: str = "assigned", **kw: object) -> Case:
    """A case accepted 30 days before ``deadline`` (so its mediation deadline is that day)."""
    return factory.case(state, now=at(deadline - timedelta(days=30)), parties=distinct_parties(), **kw)


def agreed_on(factory: Factory, day: date, **agreement: object) -> Case:
    """A case brought to agreement on ``day`` (the agreement takes effect that day)."""
    case = factory.case("mediating", now=at(day), parties=distinct_parties())
    return factory.fire(case, "record_agreement", now=at(day), **agreement)


def desk(session: Session, user: object, today: date = TODAY, now: datetime | None = None) -> Desk:
    session.rollback()
    return desk_for(session, actor_for(session, user), today=today, now=now or at(today, 9))  # type: ignore[arg-type]


def section(d: Desk, key: str) -> dict[int, tuple[date, int]]:
    """case id → (the date shown, days left) of one section."""
    found = next(s for s in d.sections if s.key == key)
    assert found.total == len(found.items)
    return {i.case_id: (i.day, i.left) for i in found.items}


def test_member_due_soon_is_three_days_not_four(session: Session, factory: Factory) -> None:
    in_3 = case_with_deadline(factory, TODAY + timedelta(days=3))
    in_4 = case_with_deadline(factory, TODAY + timedelta(days=4))
    today = case_with_deadline(factory, TODAY)
    volunteer = factory.member("volunteer")
    assert in_3.assignee_id == in_4.assignee_id == volunteer.id
    d = desk(session, volunteer)
    soon = section(d, "due_soon")
    assert soon == {today.id: (TODAY, 0), in_3.id: (TODAY + timedelta(days=3), 3)}
    assert list(soon) == [today.id, in_3.id]  # the most urgent first
    assert in_4.id not in section(d, "overdue")
    assert next(s for s in d.sections if s.key == "due_soon").title == "我承办的 3 日内到期案件"
    listed = list_cases(session, actor_for(session, volunteer), CaseFilter(due_within=3), today=TODAY)
    assert {c.id for c in listed.rows} == set(soon) and listed.total == 2  # the desk's link to the list


@pytest.mark.parametrize(("tier", "amount"), [("mediator", "5000"), ("judge", "50000")])
def test_a_mediator_and_a_judge_get_the_member_sections_of_their_own_cases(
    session: Session, factory: Factory, tier: str, amount: str
) -> None:
    theirs = {
        "soon": case_with_deadline(factory, TODAY + timedelta(days=3), claimed_amount=Decimal(amount)),
        "later": case_with_deadline(factory, TODAY + timedelta(days=4), claimed_amount=Decimal(amount)),
        "late": case_with_deadline(factory, TODAY - timedelta(days=1), claimed_amount=Decimal(amount)),
    }
    volunteers = case_with_deadline(factory, TODAY + timedelta(days=1))
    member = factory.member(tier)
    assert {c.assignee_id for c in theirs.values()} == {member.id} != {volunteers.assignee_id}
    d = desk(session, member)
    assert [s.key for s in d.sections] == list(MEMBER_SECTIONS) and d.communities is None
    assert section(d, "due_soon") == {theirs["soon"].id: (TODAY + timedelta(days=3), 3)}
    assert section(d, "overdue") == {theirs["late"].id: (TODAY - timedelta(days=1), -1)}


def test_member_overdue_by_one_day_not_zero(session: Session, factory: Factory) -> None:
    on_the_day = case_with_deadline(factory, TODAY)
    by_one = case_with_deadline(factory, TODAY - timedelta(days=1))
    by_ten = case_with_deadline(factory, TODAY - timedelta(days=10), state="mediating")
    d = desk(session, factory.member("volunteer"))
    assert section(d, "overdue") == {
        by_ten.id: (TODAY - timedelta(days=10), -10),
        by_one.id: (TODAY - timedelta(days=1), -1),
    }
    assert on_the_day.id in section(d, "due_soon")
    overdue = next(s for s in d.sections if s.key == "overdue")
    assert [overdue.when(i) for i in overdue.items] == [
        "2026年11月10日（已超期 10 天）",
        "2026年11月19日（已超期 1 天）",
    ]


def test_member_sees_only_their_own_cases_and_only_open_clocks(session: Session, factory: Factory) -> None:
    mine = case_with_deadline(factory, TODAY - timedelta(days=2))
    other_community = factory.community()
    theirs = case_with_deadline(factory, TODAY - timedelta(days=2), community=other_community)
    agreed = agreed_on(factory, TODAY - timedelta(days=40))  # deadline long past, but the clock stopped
    d = desk(session, factory.member("volunteer"))
    assert set(section(d, "overdue")) == {mine.id}
    assert theirs.id not in section(d, "overdue") and agreed.id not in section(d, "overdue")
    assert set(section(desk(session, factory.member("volunteer", other_community)), "overdue")) == {theirs.id}


def test_member_follow_ups_due_within_three_days(session: Session, factory: Factory) -> None:
    effective = TODAY - timedelta(days=20)
    # written agreements: the follow-up is due 7 days after the performance date
    due_3 = agreed_on(factory, effective, performance_due=(TODAY - timedelta(days=4)).isoformat())
    due_4 = agreed_on(factory, effective, performance_due=(TODAY - timedelta(days=3)).isoformat())
    late = agreed_on(factory, effective, performance_due=(TODAY - timedelta(days=9)).isoformat())
    d = desk(session, factory.member("volunteer"))
    assert section(d, "follow_up") == {
        late.id: (TODAY - timedelta(days=2), -2),
        due_3.id: (TODAY + timedelta(days=3), 3),
    }
    assert due_4.id not in section(d, "follow_up")


def test_a_follow_up_recorded_leaves_the_desk_and_a_new_agreement_counts_alone(
    session: Session, factory: Factory
) -> None:
    first = TODAY - timedelta(days=20)
    case = agreed_on(factory, first, performance_due=(first + timedelta(days=3)).isoformat())  # visit: T-10
    visit = at(TODAY - timedelta(days=10))
    case = factory.fire(case, "follow_up_failed", now=visit)
    volunteer = factory.member("volunteer")
    assert case.id not in section(desk(session, volunteer), "follow_up")
    case = factory.fire(case, "remediate", now=visit)
    again = (TODAY - timedelta(days=8)).isoformat()
    factory.fire(case, "record_agreement", now=visit, performance_due=again)  # visit: T-1
    # once, with the new agreement's date: the old agreement's (T-10) no longer counts
    assert section(desk(session, volunteer), "follow_up") == {case.id: (TODAY - timedelta(days=1), -1)}


def test_confirmation_windows_closing_within_three_days(session: Session, factory: Factory) -> None:
    # TODAY is Friday 11-20; windows closing 11-20 .. 11-23 (Monday) are shown.
    closes_today = agreed_on(factory, date(2026, 10, 21))  # + 30 = 11-20
    closes_saturday = agreed_on(factory, date(2026, 10, 22))  # + 30 = Saturday 11-21 → Monday 11-23
    closes_monday = agreed_on(factory, date(2026, 10, 24))  # + 30 = 11-23
    closes_tuesday = agreed_on(factory, date(2026, 10, 25))  # + 30 = 11-24: four days off
    closed = agreed_on(factory, date(2026, 10, 20))  # + 30 = 11-19: yesterday
    confirmed = agreed_on(factory, date(2026, 10, 21))
    factory.fire(confirmed, "record_judicial_confirmation", now=at(date(2026, 10, 28)))
    d = desk(session, factory.member("volunteer"))
    assert section(d, "confirmation") == {
        closes_today.id: (TODAY, 0),
        closes_saturday.id: (date(2026, 11, 23), 3),
        closes_monday.id: (date(2026, 11, 23), 3),
    }
    assert {closes_tuesday.id, closed.id, confirmed.id}.isdisjoint(section(d, "confirmation"))


def test_a_window_ending_on_national_day_is_shown_running_to_the_first_working_day(
    session: Session, factory: Factory
) -> None:
    case = agreed_on(factory, date(2026, 9, 1))  # + 30 = 2026-10-01, National Day
    volunteer = factory.member("volunteer")
    assert section(desk(session, volunteer, date(2026, 10, 6)), "confirmation") == {
        case.id: (date(2026, 10, 8), 2)
    }
    # Counted in calendar days it would have closed on 10-01, inside 09-28..10-01: not so.
    assert section(desk(session, volunteer, date(2026, 9, 28)), "confirmation") == {}


def test_a_tiaoxiu_saturday_closes_a_window_on_that_saturday(session: Session, factory: Factory) -> None:
    case = agreed_on(factory, date(2026, 9, 10))  # + 30 = Saturday 2026-10-10, a 调休 working day
    assert section(desk(session, factory.member("volunteer"), date(2026, 10, 9)), "confirmation") == {
        case.id: (date(2026, 10, 10), 1)
    }


def test_a_day_off_entered_by_the_admin_moves_a_window(session: Session, factory: Factory) -> None:
    case = agreed_on(factory, date(2026, 11, 4))  # + 30 = Friday 2026-12-04
    volunteer = factory.member("volunteer")
    admin = factory.user("admin", communities=[])
    set_override(
        session=session, actor=actor_for(session, admin), day=date(2026, 12, 4), working=False, note="测试"
    )
    assert section(desk(session, volunteer, date(2026, 12, 5)), "confirmation") == {
        case.id: (date(2026, 12, 7), 2)
    }


def test_staff_sections(session: Session, factory: Factory) -> None:
    waited_25h = factory.case("registered", now=NOW - timedelta(hours=25), parties=distinct_parties())
    waited_23h = factory.case("registered", now=NOW - timedelta(hours=23), parties=distinct_parties())
    unassigned = factory.case("accepted", now=at(TODAY - timedelta(days=5)), parties=distinct_parties())
    overdue = case_with_deadline(factory, TODAY - timedelta(days=1))
    not_yet = case_with_deadline(factory, TODAY)
    missed = agreed_on(
        factory, TODAY - timedelta(days=20), performance_due=(TODAY - timedelta(days=8)).isoformat()
    )
    due_today = agreed_on(
        factory, TODAY - timedelta(days=20), performance_due=(TODAY - timedelta(days=7)).isoformat()
    )
    elsewhere = factory.community()
    factory.case("registered", community=elsewhere, now=NOW - timedelta(days=3), parties=distinct_parties())
    d = desk(session, factory.staff(), now=NOW)
    assert section(d, "waiting") == {waited_25h.id: (TODAY - timedelta(days=1), -1)}
    waiting = next(s for s in d.sections if s.key == "waiting")
    assert waiting.when(waiting.items[0]) == "2026年11月19日（已等待 1 天）"
    assert waited_23h.id not in section(d, "waiting")
    assert set(section(d, "unassigned")) == {unassigned.id}
    assert set(section(d, "community_overdue")) == {overdue.id}
    assert not_yet.id not in section(d, "community_overdue")
    assert section(d, "follow_up_missing") == {missed.id: (TODAY - timedelta(days=1), -1)}
    assert due_today.id not in section(d, "follow_up_missing")
    assert [s.key for s in d.sections] == ["waiting", "unassigned", "community_overdue", "follow_up_missing"]
    assert d.communities is None


def test_a_section_longer_than_the_limit_shows_the_most_urgent_and_counts_the_rest(
    session: Session, factory: Factory
) -> None:
    cases = [case_with_deadline(factory, TODAY - timedelta(days=n)) for n in range(1, 6)]
    session.rollback()
    d = desk_for(session, actor_for(session, factory.staff()), today=TODAY, now=NOW, limit=2)
    overdue = next(s for s in d.sections if s.key == "community_overdue")
    assert overdue.total == 5 and overdue.more == 3
    assert [i.case_id for i in overdue.items] == [cases[4].id, cases[3].id]
    listed = list_cases(session, actor_for(session, factory.staff()), CaseFilter(overdue=True), today=TODAY)
    assert listed.total == overdue.total  # the link to the list shows the same cases


def test_leader_counts_per_community_and_escalation(session: Session, factory: Factory) -> None:
    home, other = factory.default_community(), factory.community()
    for n in (1, 2, 3, 5):
        case_with_deadline(factory, TODAY - timedelta(days=n))
    case_with_deadline(factory, TODAY + timedelta(days=3))
    case_with_deadline(factory, TODAY + timedelta(days=4))
    case_with_deadline(factory, TODAY - timedelta(days=3), community=other)
    outside = factory.community()
    case_with_deadline(factory, TODAY - timedelta(days=9), community=outside)
    leader = factory.user("leader", communities=[home, other])
    d = desk(session, leader)
    counts = {c.community_id: (c.overdue, c.due_soon) for c in d.communities or []}
    assert counts == {home.id: (4, 1), other.id: (1, 0)}
    assert d.sections == []  # escalation is off by default

    admin = factory.user("admin", communities=[])
    update_policy(
        session=session, actor=actor_for(session, admin), values={"escalate_overdue_days": 3}, reason="测试"
    )
    d = desk(session, leader)
    escalated = next(s for s in d.sections if s.key == "escalated")
    assert [i.left for i in escalated.items] == [-5, -3, -3]  # overdue by 3 days or more, not 2
    assert escalated.title == "超期 3 天以上的案件"
    assert {c.community_id: c.escalated for c in d.communities or []} == {home.id: 2, other.id: 1}
    assert all(i.community_id != outside.id for i in escalated.items)


def test_admin_sees_every_community_and_an_inactive_user_nothing(session: Session, factory: Factory) -> None:
    case_with_deadline(factory, TODAY - timedelta(days=1))
    case_with_deadline(factory, TODAY - timedelta(days=1), community=factory.community())
    admin = factory.user("admin", communities=[])
    d = desk(session, admin)
    assert sum(c.overdue for c in d.communities or []) == 2
    volunteer = factory.member("volunteer")
    assert desk(session, volunteer).waiting
    update_user(session=session, user_id=volunteer.id, actor_id=admin.id, active=False)
    assert desk(session, volunteer).sections == []


def test_someone_with_two_roles_gets_both_desks(session: Session, factory: Factory) -> None:
    keys = [s.key for s in desk(session, factory.user("staff", "mediator")).sections]
    assert keys == [*MEMBER_SECTIONS, *STAFF_SECTIONS]
