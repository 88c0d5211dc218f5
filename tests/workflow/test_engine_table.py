"""Every (state, trigger) pair: allowed ones land in the right state, the others are refused."""

from dataclasses import replace
from datetime import date

import pytest

from tests.factories import trigger_data
from workflow import ENGINE, Actor, CaseFacts, Refused, Role, Severity, State, Tier
from workflow.triggers import TRIGGERS

TODAY = date(2026, 10, 15)
STAFF = Actor(1, frozenset({Role.STAFF}), frozenset({7}))
MEDIATOR = Actor(2, frozenset({Role.MEDIATOR}), frozenset({7}))
JUDGE = Actor(3, frozenset({Role.JUDGE}), frozenset({7}))
OTHER_MEDIATOR = Actor(4, frozenset({Role.MEDIATOR}), frozenset({7}))

# (state, trigger) -> expected destination; every pair not listed must be refused.
EXPECTED: dict[tuple[State, str], State] = {
    (State.REGISTERED, "accept"): State.ACCEPTED,
    (State.REGISTERED, "reject"): State.NOT_ACCEPTED,
    (State.REGISTERED, "withdraw"): State.WITHDRAWN,
    (State.REGISTERED, "flag_risk"): State.REGISTERED,
    (State.ACCEPTED, "assign"): State.ASSIGNED,
    (State.ACCEPTED, "withdraw"): State.WITHDRAWN,
    (State.ACCEPTED, "flag_risk"): State.ACCEPTED,
    (State.ACCEPTED, "extend_deadline"): State.ACCEPTED,
    (State.ACCEPTED, "delegate"): State.ACCEPTED,
    (State.ASSIGNED, "reassign"): State.ASSIGNED,
    (State.ASSIGNED, "notify_rights"): State.ASSIGNED,
    (State.ASSIGNED, "record_refusal"): State.ASSIGNED,
    (State.ASSIGNED, "start_mediation"): State.MEDIATING,
    (State.ASSIGNED, "escalate"): State.ACCEPTED,
    (State.ASSIGNED, "delegate"): State.ACCEPTED,
    (State.ASSIGNED, "terminate"): State.TERMINATED,
    (State.ASSIGNED, "withdraw"): State.WITHDRAWN,
    (State.ASSIGNED, "flag_risk"): State.ASSIGNED,
    (State.ASSIGNED, "extend_deadline"): State.ASSIGNED,
    (State.MEDIATING, "reassign"): State.MEDIATING,
    (State.MEDIATING, "record_session"): State.MEDIATING,
    (State.MEDIATING, "escalate"): State.ACCEPTED,
    (State.MEDIATING, "record_agreement"): State.AGREED,
    (State.MEDIATING, "terminate"): State.TERMINATED,
    (State.MEDIATING, "withdraw"): State.WITHDRAWN,
    (State.MEDIATING, "flag_risk"): State.MEDIATING,
    (State.MEDIATING, "extend_deadline"): State.MEDIATING,
    (State.AGREED, "record_judicial_confirmation"): State.AGREED,
    (State.AGREED, "follow_up"): State.CLOSED,
    (State.AGREED, "flag_risk"): State.AGREED,
    (State.DEFAULTED, "remediate"): State.MEDIATING,
    (State.DEFAULTED, "terminate"): State.TERMINATED,
    (State.DEFAULTED, "flag_risk"): State.DEFAULTED,
}


def facts_in(state: State, trigger: str) -> CaseFacts:
    """A case in ``state`` whose other facts let ``trigger`` pass its guards."""
    tier = Tier.JUDGE if trigger == "delegate" else Tier.MEDIATOR
    return CaseFacts(
        state=state,
        community_id=7,
        tier=tier if state is not State.REGISTERED else None,
        severity=Severity.GENERAL,
        assignee_id=(JUDGE.id if tier is Tier.JUDGE else MEDIATOR.id)
        if state in (State.ASSIGNED, State.MEDIATING, State.AGREED, State.DEFAULTED)
        else None,
        rights_notified=True,
        agreement_kind="written" if state is State.AGREED else None,
        agreement_effective_on=TODAY if state is State.AGREED else None,
    )


def actor_for(facts: CaseFacts, trigger: str) -> Actor:
    if trigger == "delegate":
        return JUDGE
    if trigger in ("accept", "reject", "assign", "reassign") or facts.assignee_id is None:
        return STAFF
    return JUDGE if facts.assignee_id == JUDGE.id else MEDIATOR


def data_for(trigger: str) -> dict[str, object]:
    data = trigger_data(trigger, today=TODAY)
    if trigger == "assign":
        data["assignee_id"] = MEDIATOR.id
    if trigger == "reassign":
        data["assignee_id"] = OTHER_MEDIATOR.id
    return data


def candidate_for(trigger: str) -> Actor | None:
    return {"assign": MEDIATOR, "reassign": OTHER_MEDIATOR}.get(trigger)


PAIRS = [(s, t) for s in State for t in TRIGGERS.names]


@pytest.mark.parametrize(("state", "trigger"), PAIRS, ids=[f"{s.value}-{t}" for s, t in PAIRS])
def test_every_state_trigger_pair(state: State, trigger: str) -> None:
    facts = facts_in(state, trigger)
    before = replace(facts)
    call = (facts, actor_for(facts, trigger), trigger, data_for(trigger))
    expected = EXPECTED.get((state, trigger))
    if expected is None:
        with pytest.raises(Refused) as refused:
            ENGINE.fire(*call, today=TODAY, candidate=candidate_for(trigger))
        assert refused.value.code == "invalid_state"
        assert str(state.label) in refused.value.message
    else:
        outcome = ENGINE.fire(*call, today=TODAY, candidate=candidate_for(trigger))
        assert outcome.from_state is state
        assert outcome.to_state is expected
    assert facts == before  # the engine never changes the facts it is given


def test_follow_up_not_performed_lands_in_defaulted() -> None:
    facts = facts_in(State.AGREED, "follow_up")
    outcome = ENGINE.fire(
        facts, MEDIATOR, "follow_up", trigger_data("follow_up_failed", today=TODAY), today=TODAY
    )
    assert outcome.to_state is State.DEFAULTED


def test_terminal_states_allow_nothing() -> None:
    for state in State:
        if state.terminal:
            facts = facts_in(state, "withdraw")
            assert ENGINE.available(facts, STAFF) == []
            assert ENGINE.available(facts, MEDIATOR) == []


def test_unknown_trigger_is_refused_with_our_error() -> None:
    with pytest.raises(Refused) as refused:
        ENGINE.fire(facts_in(State.REGISTERED, "accept"), STAFF, "to_closed", {}, today=TODAY)
    assert refused.value.code == "unknown_trigger"


def test_available_lists_reasons_for_refused_triggers() -> None:
    facts = replace(facts_in(State.ASSIGNED, "start_mediation"), rights_notified=False)
    by_trigger = {a.trigger: a for a in ENGINE.available(facts, MEDIATOR)}
    assert by_trigger["start_mediation"].allowed is False
    assert "权利义务" in (by_trigger["start_mediation"].reason or "")
    assert by_trigger["notify_rights"].allowed is True
    assert "start_mediation" not in ENGINE.allowed_triggers(facts, MEDIATOR)
