"""The per-state tally: kept in the case's own transaction, and the case list reads the same counts."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from services import clock
from services.cases import apply
from services.permissions import actor_for
from services.queries import CaseFilter, _conditions, list_cases, state_counts
from services.statistics import live_counts
from tests.factories import Factory
from tests.web.case_helpers import distinct_parties


def test_intake_and_every_transition_keep_the_tally(factory: Factory, session: Session) -> None:
    other = factory.community()
    factory.case("closed", parties=distinct_parties())
    factory.case("mediating", community=other, parties=distinct_parties(), category="物业")
    factory.case("registered", parties=distinct_parties())
    escalated = factory.case("mediating", parties=distinct_parties())
    factory.fire(escalated, "escalate")
    assert live_counts.stored(session) == live_counts.recounted(session)
    assert sum(live_counts.stored(session).values()) == 4


def test_a_severity_override_moves_the_case_to_its_new_cell(factory: Factory, session: Session) -> None:
    case = factory.case("registered", parties=distinct_parties())
    factory.fire(case, "accept", severity="major", override_reason="涉及人数可能增加")
    cells = live_counts.stored(session)
    assert [key.severity for key in cells] == ["major"]
    assert [key.tier for key in cells] == ["judge"]
    assert cells == live_counts.recounted(session)


def test_a_refused_or_failed_transition_leaves_the_tally_alone(factory: Factory, session: Session) -> None:
    case = factory.case("registered", parties=distinct_parties())
    before = live_counts.stored(session)
    with pytest.raises(Exception):  # noqa: B017  (the workflow's refusal: assign before accept)
        factory.fire(case, "assign")
    with pytest.raises(Exception):  # noqa: B017  (a stale version)
        apply(
            session=session,
            case_id=case.id or 0,
            trigger="accept",
            actor=factory.staff(),
            data={},
            expected_version=case.version - 1,
        )
    session.expire_all()
    assert live_counts.stored(session) == before == live_counts.recounted(session)


def test_rebuild_recounts_from_the_cases(factory: Factory, session: Session) -> None:
    factory.case("closed", parties=distinct_parties())
    factory.case("accepted", parties=distinct_parties())
    kept = live_counts.stored(session)
    session.execute(text("UPDATE case_tally SET n = n + 5"))
    assert live_counts.stored(session) != kept
    live_counts.rebuild(session)
    session.commit()
    assert live_counts.stored(session) == kept


FILTERS = [
    CaseFilter(),
    CaseFilter(state="mediating"),
    CaseFilter(category="物业"),
    CaseFilter(tier="mediator"),
    CaseFilter(severity="minor"),
    CaseFilter(category="邻里", state="closed"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_list_counts_from_the_tally_equal_counting_the_cases(
    factory: Factory, session: Session, flt: CaseFilter
) -> None:
    other = factory.community()
    factory.case("closed", parties=distinct_parties())
    factory.case("mediating", parties=distinct_parties(), category="物业")
    factory.case("accepted", parties=distinct_parties(), claimed_amount=5000)
    factory.case("mediating", community=other, parties=distinct_parties())
    for who in (factory.staff(), factory.user("admin"), factory.staff(other)):
        actor = actor_for(session, who)
        page = list_cases(session, actor, flt)
        direct = state_counts(session, _conditions(actor, flt, clock.local_date()))
        assert page.counts == direct
        assert page.total == (direct.get(flt.state, 0) if flt.state else sum(direct.values()))
        assert len(page.rows) == page.total


def test_a_community_filter_outside_the_users_communities_counts_nothing(
    factory: Factory, session: Session
) -> None:
    other = factory.community()
    factory.case("registered", community=other, parties=distinct_parties())
    actor = actor_for(session, factory.staff())
    page = list_cases(session, actor, CaseFilter(community_id=other.id))
    assert (page.counts, page.total, page.rows) == ({}, 0, [])
