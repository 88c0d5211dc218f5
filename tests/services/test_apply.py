"""services.cases.apply: one event per trigger, all or nothing, stale versions refused."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, func, select

from models import Agreement, Case, CaseEvent, FollowUp, JudicialConfirmation, SessionRecord
from services import records
from services.cases import apply
from services.errors import NotFound, StaleCase
from tests.factories import PATHS, Factory, trigger_data
from workflow import Refused


def events(session: Session, case: Case) -> list[CaseEvent]:
    session.expire_all()
    return list(
        session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id)))
    )


def count(session: Session, model: type) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


# (state to start from, trigger, expected state after)
STEPS = [
    ("registered", "accept", "accepted"),
    ("registered", "reject", "not_accepted"),
    ("registered", "withdraw", "withdrawn"),
    ("accepted", "assign", "assigned"),
    ("accepted", "flag_risk", "accepted"),
    ("accepted", "extend_deadline", "accepted"),
    ("assigned", "notify_rights", "assigned"),
    ("assigned", "record_refusal", "assigned"),
    ("assigned", "escalate", "accepted"),
    ("assigned", "terminate", "terminated"),
    ("mediating", "record_session", "mediating"),
    ("mediating", "record_agreement", "agreed"),
    ("mediating", "escalate", "accepted"),
    ("mediating", "withdraw", "withdrawn"),
    ("agreed", "record_judicial_confirmation", "agreed"),
    ("agreed", "follow_up", "closed"),
    ("agreed", "follow_up_failed", "defaulted"),
    ("defaulted", "remediate", "mediating"),
    ("defaulted", "terminate", "terminated"),
]


@pytest.mark.parametrize(("start", "trigger", "end"), STEPS, ids=[f"{s}-{t}" for s, t, _ in STEPS])
def test_each_trigger_writes_exactly_one_event(
    factory: Factory, session: Session, start: str, trigger: str, end: str
):
    case = factory.case(start)
    before = events(session, case)
    version = case.version
    actor = factory.actor_for(case, "follow_up" if trigger == "follow_up_failed" else trigger)
    case = factory.fire(case, trigger, actor=actor)
    after = events(session, case)
    assert len(after) == len(before) + 1
    event = after[-1]
    assert (event.from_state, event.to_state, event.actor_id) == (start, end, actor.id)
    assert event.trigger == ("follow_up" if trigger == "follow_up_failed" else trigger)
    stored = session.get(Case, case.id)
    assert stored is not None and stored.state == end and stored.version == version + 1


def test_reassign_and_delegate_keep_the_record(factory: Factory, session: Session) -> None:
    case = factory.case("assigned")
    other = factory.user("volunteer")
    case = factory.fire(case, "reassign", assignee_id=other.id)
    assert case.assignee_id == other.id
    judge_case = factory.case("accepted", injury=True)
    assert judge_case.tier == "judge"
    judge_case = factory.fire(judge_case, "delegate")
    assert (judge_case.tier, judge_case.state, judge_case.assignee_id) == ("mediator", "accepted", None)
    assert events(session, judge_case)[-1].data == {"reason": "案情简单，交由下一级", "tier": "mediator"}


def test_accept_issues_number_deadline_and_tier(factory: Factory) -> None:
    now = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    case = factory.case("accepted", now=now, claimed_amount=5000)
    assert case.number == "（2026）幸福人调字第0001号"
    assert (case.severity, case.tier) == ("general", "mediator")
    assert str(case.deadline) == "2026-03-31"


def test_trigger_records_are_written(factory: Factory, session: Session) -> None:
    case = factory.case("mediating")
    case = factory.fire(case, "record_session")
    case = factory.fire(case, "record_agreement")
    case = factory.fire(case, "record_judicial_confirmation", actor=factory.staff())
    case = factory.fire(case, "follow_up", actor=factory.staff())
    assert (count(session, SessionRecord), count(session, Agreement)) == (1, 1)
    assert (count(session, JudicialConfirmation), count(session, FollowUp)) == (1, 1)
    agreement = session.exec(select(Agreement)).one()
    assert str(agreement.amount) == "1200.00"
    assert case.state == "closed" and case.closed_at is not None


def test_refused_trigger_changes_nothing(factory: Factory, session: Session) -> None:
    case = factory.case("assigned")
    n_events, version = len(events(session, case)), case.version
    with pytest.raises(Refused):
        factory.fire(case, "start_mediation")  # no rights notice yet
    with pytest.raises(Refused):
        factory.fire(case, "record_agreement")  # not mediating
    stored = session.get(Case, case.id)
    assert stored is not None
    assert (stored.state, stored.version, len(events(session, case))) == ("assigned", version, n_events)


def test_stale_version_is_refused_and_nothing_written(factory: Factory, session: Session) -> None:
    case = factory.case("registered")
    stale = case.version
    factory.fire(case, "flag_risk", actor=factory.staff(), level="yellow")
    n = len(events(session, case))
    with pytest.raises(StaleCase) as err:
        apply(
            session=session,
            case_id=case.id,
            trigger="accept",
            actor=factory.staff(),
            data={},
            expected_version=stale,
        )
    assert "他人修改" in err.value.message
    assert len(events(session, case)) == n
    assert session.get(Case, case.id).state == "registered"  # type: ignore[union-attr]


def test_exception_after_the_state_change_leaves_the_database_as_before(
    factory: Factory, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = factory.case("mediating")
    n_events, n_sessions, version = len(events(session, case)), count(session, SessionRecord), case.version

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setitem(records._BUILDERS, "record_agreement", (Agreement, broken))
    with pytest.raises(RuntimeError):
        factory.fire(case, "record_agreement")
    session.expire_all()
    stored = session.get(Case, case.id)
    assert stored is not None
    assert (stored.state, stored.version) == ("mediating", version)
    assert (len(events(session, case)), count(session, SessionRecord), count(session, Agreement)) == (
        n_events,
        n_sessions,
        0,
    )


def test_other_communitys_case_is_not_found(factory: Factory) -> None:
    case = factory.case("registered")
    outsider = factory.staff(factory.community())
    with pytest.raises(NotFound):
        apply(
            session=factory.session,
            case_id=case.id,
            trigger="accept",
            actor=outsider,
            data={},
            expected_version=case.version,
        )


def test_paths_reach_every_state(factory: Factory) -> None:
    for state in PATHS:
        assert factory.case(state).state == state


def test_trigger_data_fixture_covers_every_trigger() -> None:
    from workflow.triggers import TRIGGERS

    for trigger in TRIGGERS.names:
        assert isinstance(trigger_data(trigger), dict)
