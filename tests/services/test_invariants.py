"""Property: random triggers by random actors never break the record's invariants."""

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from models import Agreement, Case, CaseEvent
from services.cases import apply
from services.errors import ServiceError
from services.statistics import live_counts
from tests.factories import Factory, trigger_data
from workflow import Refused, State
from workflow.triggers import TRIGGERS

ROLES = ["staff", "volunteer", "mediator", "judge", "leader", "admin"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([*TRIGGERS.names, "follow_up_failed"]), st.sampled_from(ROLES), st.booleans()
        ),
        min_size=1,
        max_size=25,
    )
)
def test_random_triggers_keep_the_invariants(factory: Factory, session: Session, steps) -> None:  # type: ignore[no-untyped-def]
    case = factory.case("registered")
    people = {
        role: factory.member(role) if role in ("volunteer", "mediator", "judge") else None for role in ROLES
    }
    people["staff"] = factory.staff()
    if people["leader"] is None:
        people["leader"] = factory.user("leader")
    people["admin"] = people["admin"] or factory.user("admin")
    for trigger, role, fresh in steps:
        real = "follow_up" if trigger == "follow_up_failed" else trigger
        data = trigger_data(trigger)
        if real in ("assign", "reassign"):
            data["assignee_id"] = factory.member(case.tier or "volunteer").id
        stored = session.get(Case, case.id)
        assert stored is not None
        version = stored.version if fresh else stored.version - 1
        was_terminal = State(stored.state).terminal
        try:
            case = apply(
                session=session, case_id=stored.id or 0, trigger=real, actor=people[role] or people["staff"],
                data=data, expected_version=version,
            ).case  # fmt: skip
        except (Refused, ServiceError):
            session.expire_all()
            case = session.get(Case, stored.id)  # type: ignore[assignment]
            assert case is not None
        if was_terminal:
            assert case.state == stored.state
    _check(session)


def _check(session: Session) -> None:
    session.expire_all()
    assert live_counts.stored(session) == live_counts.recounted(session)
    numbers: set[tuple[int, int, int]] = set()
    for case in session.exec(select(Case)).all():
        events = session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id))
        ).all()
        assert events[0].trigger == "register" and events[0].from_state is None
        for before, after in pairwise(events):
            assert after.from_state == before.to_state
            assert not State(before.to_state).terminal
        assert case.state == events[-1].to_state
        assert case.version == len(events)
        newest = session.exec(
            select(Agreement).where(Agreement.case_id == case.id).order_by(col(Agreement.id).desc())
        ).first()
        kept = (newest.effective_on, newest.follow_up_due) if newest else (None, None)
        assert (case.agreement_effective_on, case.follow_up_due) == kept  # the desk reads these
        if case.number_seq is not None:
            key = (case.community_id, case.number_year or 0, case.number_seq)
            assert key not in numbers
            numbers.add(key)
