"""Read-side queries: filters, search, paging, counts, the queue, names, eligible assignees."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlmodel import select

from models import Party
from services import clock
from services.permissions import actor_for
from services.queries import (
    CaseFilter,
    case_record,
    eligible_assignees,
    list_cases,
    my_queue,
    parse_month,
    search_condition,
)
from services.statistics.months import Month
from services.users import update_user
from tests.web.case_helpers import distinct_parties
from workflow import Tier
from workflow.states import CLOCK_RUNNING


def _actor(session, user):
    return actor_for(session, user)


def test_filters_by_state_tier_severity_category(session, factory):
    a = factory.case("registered", parties=distinct_parties())
    b = factory.case("accepted", parties=distinct_parties(), claimed_amount=Decimal("5000"))
    c = factory.case("mediating", parties=distinct_parties(), category="物业")
    who = _actor(session, factory.staff())
    ids = lambda flt: {r.id for r in list_cases(session, who, flt).rows}  # noqa: E731
    assert ids(CaseFilter()) == {a.id, b.id, c.id}
    assert ids(CaseFilter(state="accepted")) == {b.id}
    assert ids(CaseFilter(tier="mediator")) == {b.id}
    assert ids(CaseFilter(severity="minor")) == {a.id, c.id}
    assert ids(CaseFilter(category="物业")) == {c.id}
    assert ids(CaseFilter(assignee_id=c.assignee_id)) == {c.id}


def test_counts_per_state_in_one_group_by(session, factory, engine):
    for state in ("registered", "registered", "accepted", "closed"):
        factory.case(state)
    who = _actor(session, factory.staff())
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = list_cases(session, who, CaseFilter(state="registered"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.counts == {"registered": 2, "accepted": 1, "closed": 1}
    assert page.total == 2
    grouped = [s for s in statements if "GROUP BY" in s.upper()]
    assert len(grouped) == 1
    # counts, page ids, page rows, assignee names, community names, party names: no per-row queries
    assert len(statements) <= 7


def test_access_rule_hides_other_communities(session, factory):
    mine, theirs = factory.community(), factory.community()
    own = factory.case("registered", parties=distinct_parties(), community=mine)
    factory.case("registered", parties=distinct_parties(), community=theirs)
    who = _actor(session, factory.staff(mine))
    page = list_cases(session, who, CaseFilter(q="张三"))
    assert [r.id for r in page.rows] == [own.id]
    assert page.counts == {"registered": 1}
    assert list_cases(session, who, CaseFilter(community_id=theirs.id)).rows == []


def test_search_by_number_name_and_phone(session, factory):
    a = factory.case("accepted", parties=distinct_parties())
    b = factory.case("registered", parties=distinct_parties())
    who = _actor(session, factory.staff())
    found = lambda q: {r.id for r in list_cases(session, who, CaseFilter(q=q)).rows}  # noqa: E731
    assert found(a.number) == {a.id}
    assert found(a.number[:6]) == {a.id}  # prefix of the number
    assert found(str(a.number_seq)) == {a.id}  # the sequence number alone
    assert found("张三") == {a.id, b.id}
    assert found("张") == {a.id, b.id}  # name prefix
    assert found("王") == set()
    ph = session.exec(select(Party.phone).where(Party.case_id == b.id, Party.role == "applicant")).one()
    assert found(ph) == {b.id}
    assert found(ph[:7]) >= {b.id}
    assert found("%") == set()  # wildcards are literal
    assert found("_") == set()


def test_search_by_id_number_for_staff(session, factory):
    a = factory.case("registered", parties=distinct_parties())
    factory.case("registered", parties=distinct_parties())
    who = _actor(session, factory.staff())
    id_number = session.exec(
        select(Party.id_number).where(Party.case_id == a.id, Party.role == "applicant")
    ).one()
    found = lambda q: {r.id for r in list_cases(session, who, CaseFilter(q=q)).rows}  # noqa: E731
    assert found(id_number) == {a.id}
    assert found(id_number.lower()) == {a.id}  # a lower-case check letter
    assert a.id in found(id_number[:14])


@pytest.mark.parametrize("role", ["volunteer", "leader", "admin"])
def test_who_sees_numbers_masked_cannot_search_by_them(session, factory, role):
    """An unassigned volunteer recovered a masked phone from which prefixes matched (82 searches)."""
    case = factory.case("assigned", parties=distinct_parties())
    phone, id_number = session.exec(
        select(Party.phone, Party.id_number).where(Party.case_id == case.id, Party.role == "applicant")
    ).one()
    user = factory.user(role, communities=[] if role == "admin" else None)
    who = _actor(session, user)
    found = lambda q: {r.id for r in list_cases(session, who, CaseFilter(q=q)).rows}  # noqa: E731
    for probe in (phone, phone[:7], phone[:3], id_number, id_number[:10]):
        assert case.id not in found(probe), probe
    assert case.id in found("张三")  # names are not masked


def test_search_condition_ignores_blank():
    assert search_condition("   ") is None


def test_month_filter_uses_beijing_month(session, factory):
    # 2026-10-31 17:30 UTC is 2026-11-01 01:30 in Beijing: accepted in November.
    early_nov = factory.case(
        "accepted", parties=distinct_parties(), now=datetime(2026, 10, 31, 17, 30, tzinfo=UTC)
    )
    late_oct = factory.case(
        "accepted", parties=distinct_parties(), now=datetime(2026, 10, 31, 15, 30, tzinfo=UTC)
    )
    factory.case("registered", parties=distinct_parties())
    who = _actor(session, factory.staff())
    nov = {r.id for r in list_cases(session, who, CaseFilter(month="2026-11")).rows}
    octo = {r.id for r in list_cases(session, who, CaseFilter(month="2026-10")).rows}
    assert nov == {early_nov.id} and octo == {late_oct.id}
    assert parse_month("2026-1") == parse_month(" 2026-01 ") == Month(2026, 1)
    assert [parse_month(v) for v in ("2026-13", "abc", "1999-12", "2100-01", "", None)] == [None] * 6


def test_overdue_filter(session, factory):
    old = factory.case("mediating", parties=distinct_parties(), now=datetime.now(UTC) - timedelta(days=45))
    factory.case("mediating", parties=distinct_parties())
    factory.case(
        "agreed", parties=distinct_parties(), now=datetime.now(UTC) - timedelta(days=45)
    )  # clock stopped: not overdue
    who = _actor(session, factory.staff())
    assert [r.id for r in list_cases(session, who, CaseFilter(overdue=True)).rows] == [old.id]


def test_pagination_and_sorting(session, factory):
    base = datetime.now(UTC) - timedelta(days=20)
    made = [
        factory.case("accepted", parties=distinct_parties(), now=base + timedelta(days=i)) for i in range(7)
    ]
    who = _actor(session, factory.staff())
    pages = [list_cases(session, who, CaseFilter(), p, 3) for p in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [3, 3, 1]
    assert pages[0].pages == 3 and pages[0].total == 7
    newest_first = [r.id for p in pages for r in p.rows]
    assert newest_first == [c.id for c in reversed(made)]
    oldest = list_cases(session, who, CaseFilter(sort="oldest"), 1, 3)
    assert [r.id for r in oldest.rows] == [c.id for c in made[:3]]
    by_deadline = list_cases(session, who, CaseFilter(sort="deadline"), 1, 7)
    assert [r.id for r in by_deadline.rows] == [c.id for c in made]
    by_accepted = list_cases(session, who, CaseFilter(sort="accepted"), 1, 2)
    assert [r.id for r in by_accepted.rows] == [made[6].id, made[5].id]
    beyond = list_cases(session, who, CaseFilter(), 99, 3)
    assert beyond.page == 3 and [r.id for r in beyond.rows] == [made[0].id]


def test_page_names_loaded(session, factory):
    case = factory.case("assigned", parties=distinct_parties())
    who = _actor(session, factory.staff())
    page = list_cases(session, who, CaseFilter())
    assert page.users[case.assignee_id].startswith("用户")
    assert page.communities[case.community_id] == "幸福社区"
    assert page.parties[case.id] == ["张三", "李四"]


def test_member_queue_overdue_first(session, factory):
    volunteer = factory.member("volunteer")
    fresh_case = factory.case("mediating", parties=distinct_parties())
    overdue = factory.case("assigned", parties=distinct_parties(), now=datetime.now(UTC) - timedelta(days=50))
    factory.case("closed", parties=distinct_parties())  # done: not in the queue
    factory.case("registered", parties=distinct_parties())  # not the volunteer's
    page = my_queue(session, _actor(session, volunteer))
    assert [r.id for r in page.rows] == [overdue.id, fresh_case.id]


def test_staff_queue_holds_what_staff_must_do(session, factory):
    registered = factory.case("registered", parties=distinct_parties())
    accepted = factory.case("accepted", parties=distinct_parties())
    factory.case("assigned", parties=distinct_parties())
    factory.case("closed", parties=distinct_parties())
    due = factory.case("agreed", parties=distinct_parties(), now=datetime.now(UTC) - timedelta(days=20))
    factory.case("agreed", parties=distinct_parties())  # follow-up not yet due
    page = my_queue(session, _actor(session, factory.staff()))
    assert {r.id for r in page.rows} == {registered.id, accepted.id, due.id}


def test_queue_respects_access_rule(session, factory):
    other = factory.community()
    factory.case("registered", parties=distinct_parties(), community=other)
    page = my_queue(session, _actor(session, factory.staff()))
    assert page.rows == []


def _queue_order(cases, today):
    """The queue's order, computed here: overdue (clock running, deadline passed) first, then by
    deadline with none last, then oldest first."""

    def key(c):
        overdue = (
            c.state in {s.value for s in CLOCK_RUNNING} and c.deadline is not None and c.deadline < today
        )
        return (not overdue, c.deadline is None, c.deadline or today, c.id)

    return [c.id for c in sorted(cases, key=key)]


def test_queue_holds_exactly_the_waiting_cases(session, factory):
    elsewhere = factory.community()
    staff, volunteer = factory.staff(), factory.member("volunteer")
    other_volunteer = factory.user("volunteer")
    both = factory.user("staff", "volunteer")  # staff who also mediates: one case may wait twice
    leader = factory.user("leader")
    ago = lambda days: datetime.now(UTC) - timedelta(days=days)  # noqa: E731

    registered = factory.case("registered", parties=distinct_parties())
    accepted = factory.case("accepted", parties=distinct_parties())
    accepted_late = factory.case("accepted", parties=distinct_parties(), now=ago(50))
    assigned = factory.case("assigned", parties=distinct_parties())
    mediating_late = factory.case("mediating", parties=distinct_parties(), now=ago(45))
    # agreed 45 days ago: follow-up due; the deadline has passed but the clock stopped (not overdue)
    agreed_due = factory.case("agreed", parties=distinct_parties(), now=ago(45))
    agreed_not_due = factory.case("agreed", parties=distinct_parties())
    defaulted = factory.case("defaulted", parties=distinct_parties())
    factory.case("closed", parties=distinct_parties())
    factory.case("not_accepted", parties=distinct_parties())
    theirs = factory.fire(
        factory.case("accepted", parties=distinct_parties()), "assign", assignee_id=other_volunteer.id
    )
    own = factory.case("accepted", parties=distinct_parties(), now=ago(20))
    own = factory.fire(own, "assign", now=ago(20), assignee_id=both.id)
    for trigger in ("notify_rights", "start_mediation", "record_agreement"):
        own = factory.fire(own, trigger, now=ago(20))
    factory.case("registered", parties=distinct_parties(), community=elsewhere)
    factory.case("agreed", parties=distinct_parties(), community=elsewhere, now=ago(45))
    factory.case("assigned", parties=distinct_parties(), community=elsewhere)
    assert own.state == "agreed" and own.assignee_id == both.id and theirs.state == "assigned"

    today = clock.local_date()
    staff_cases = [registered, accepted, accepted_late, agreed_due, own]
    expected = {
        staff.id: (staff_cases, {"registered": 1, "accepted": 2, "agreed": 2}),
        both.id: (staff_cases, {"registered": 1, "accepted": 2, "agreed": 2}),
        volunteer.id: (
            [assigned, mediating_late, agreed_due, agreed_not_due, defaulted],
            {"assigned": 1, "mediating": 1, "agreed": 2, "defaulted": 1},
        ),
        other_volunteer.id: ([theirs], {"assigned": 1}),
        leader.id: ([], {}),
    }
    for user in (staff, both, volunteer, other_volunteer, leader):
        cases, counts = expected[user.id]
        page = my_queue(session, _actor(session, user), today=today)
        assert [r.id for r in page.rows] == _queue_order(cases, today), user.username
        assert page.counts == counts and page.total == len(cases) == sum(counts.values())
    assert _queue_order(staff_cases, today)[0] == accepted_late.id
    assert _queue_order(expected[volunteer.id][0], today)[:2] == [mediating_late.id, agreed_due.id]

    order = _queue_order(staff_cases, today)
    pages = [my_queue(session, _actor(session, staff), today=today, page=n, size=2) for n in (1, 2, 3, 9)]
    assert [[r.id for r in p.rows] for p in pages] == [order[:2], order[2:4], order[4:], order[4:]]
    assert [p.page for p in pages] == [1, 2, 3, 3]  # past the end: the last page
    assert all(p.total == 5 and p.pages == 3 and p.counts == expected[staff.id][1] for p in pages)


def test_eligible_assignees(session, factory):
    c = factory.default_community()
    yes = factory.member("mediator")
    volunteer = factory.user("volunteer")
    elsewhere = factory.user("mediator", communities=[factory.community()])
    gone = factory.user("mediator")
    update_user(session=session, user_id=gone.id, actor_id=None, active=False)
    ids = [u.id for u in eligible_assignees(session, community_id=c.id, tier=Tier.MEDIATOR)]
    assert ids == [yes.id]
    assert volunteer.id not in ids and elsewhere.id not in ids and gone.id not in ids
    assert eligible_assignees(session, community_id=c.id, tier=None) == []


def test_case_record_gathers_everything(session, factory):
    case = factory.case("closed", parties=distinct_parties())
    record = case_record(session, case)
    assert [e.trigger for e in record.events] == [
        "register", "accept", "assign", "notify_rights", "start_mediation", "record_agreement", "follow_up",
    ]  # fmt: skip
    assert record.agreement is not None and record.agreement.amount == Decimal("1200.00")
    assert len(record.follow_ups) == 1 and record.follow_ups[0].performed
    assert record.users[case.assignee_id]
    assert [p.name for p in record.applicants] == ["张三"]
    assert record.has_event("accept") and not record.has_event("escalate")


def test_case_record_skips_records_its_timeline_never_wrote(session, factory, engine):
    """Sessions, agreements, follow-ups and confirmations are written only beside their trigger's event
    (services.records), so the case page skips the tables its timeline never wrote to."""
    from models import Agreement, FollowUp, JudicialConfirmation, SessionRecord
    from services.records import WRITTEN_BY

    assert set(WRITTEN_BY) == {SessionRecord, Agreement, FollowUp, JudicialConfirmation}
    seen: list[str] = []

    def note(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    tables = ("session_record", "agreement", "follow_up", "judicial_confirmation")
    for state, read in (("accepted", set()), ("closed", {"agreement", "follow_up"})):
        case = factory.case(state, parties=distinct_parties())
        seen.clear()
        event.listen(engine, "before_cursor_execute", note)
        try:
            record = case_record(session, case)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert {t for t in tables if any(re.search(rf"\bFROM {t}\b", s) for s in seen)} == read
        assert bool(record.agreement) is ("agreement" in read)
        assert len(record.follow_ups) == (1 if "follow_up" in read else 0)
