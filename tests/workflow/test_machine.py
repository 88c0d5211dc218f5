"""The shared machine decides: its conditions are the guards, asked once each; it keeps nothing per case."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from tests.factories import trigger_data
from workflow import ENGINE, Actor, CaseFacts, Refused, Role, Severity, State, Tier
from workflow import guards as g
from workflow.engine import MACHINE, _Subject

TODAY = date(2026, 10, 15)
VOLUNTEER = Actor(2, frozenset({Role.VOLUNTEER}), frozenset({7}))
MEDIATING = CaseFacts(
    State.MEDIATING, 7, tier=Tier.VOLUNTEER, severity=Severity.MINOR, assignee_id=2, rights_notified=True
)


def test_availability_comes_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every condition of the machine and nothing is available: there is no second path."""
    asked: list[str] = []

    def refuse(self: _Subject, guard: g.Guard) -> bool:
        asked.append(guard.name)
        self.refusals.append(Refused("test", "不行"))
        return False

    monkeypatch.setattr(_Subject, "ask", refuse)
    offered = ENGINE.available(MEDIATING, VOLUNTEER)
    assert offered and not any(a.allowed for a in offered)
    assert {a.reason for a in offered} == {"不行"}
    assert set(asked) >= {"forbidden"}


def test_each_guard_is_asked_once_per_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = g.Guard.refusal

    def counted(self: g.Guard, ctx: g.Context) -> Refused | None:
        calls.append(self.name)
        return real(self, ctx)

    monkeypatch.setattr(g.Guard, "refusal", counted)
    data = {**trigger_data("follow_up", today=TODAY), "performed": False}
    agreed = CaseFacts(
        State.AGREED,
        7,
        tier=Tier.VOLUNTEER,
        severity=Severity.MINOR,
        assignee_id=2,
        agreement_effective_on=TODAY,
    )
    out = ENGINE.fire(agreed, VOLUNTEER, "follow_up", data, today=TODAY)
    assert out.to_state is State.DEFAULTED  # the first branch (performed) refused, the second taken
    assert len(calls) == len(set(calls)), calls  # visited_on_happened is on both branches: asked once


def test_many_decisions_at_once_keep_nothing_per_case() -> None:
    def decide(i: int) -> State:
        facts = CaseFacts(State.ASSIGNED, 7, tier=Tier.VOLUNTEER, severity=Severity.MINOR, assignee_id=2)
        ENGINE.available(facts, VOLUNTEER)
        return ENGINE.fire(
            facts, VOLUNTEER, "notify_rights", trigger_data("notify_rights", today=TODAY), today=TODAY
        ).to_state

    with ThreadPoolExecutor(8) as pool:
        states = list(pool.map(decide, range(400)))
    assert set(states) == {State.ASSIGNED}
    assert len(MACHINE.models) <= 16  # a small pool of lent subjects, not one per decision
