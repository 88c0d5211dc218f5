"""The engine: which triggers may fire now, and firing one (or refusing it with a reason).

One ``transitions`` machine is built once and shared; each call fires the event on a small
unattached subject, so nothing per case is kept in the machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from transitions import EventData, Machine, MachineError

from workflow import guards as g
from workflow.errors import Refused
from workflow.facts import Actor, CaseFacts
from workflow.lifecycle import TABLE, TRIGGERS, rules_for
from workflow.roles import Tier
from workflow.rules import may_act
from workflow.states import State
from workflow.triage import DEFAULT_POLICY, Policy, RiskLevel, Severity, triage
from workflow.triggers import SPECS, clean_data, to_json


@dataclass(frozen=True)
class Availability:
    trigger: str
    label: str
    allowed: bool
    reason: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What firing a trigger decided: the new state, the case fields to change, the event data."""

    trigger: str
    from_state: State
    to_state: State
    changes: dict[str, Any]
    data: dict[str, Any]
    json_data: dict[str, Any] = field(default_factory=dict)


class _Subject:
    """The machine's model for one call: holds only the state."""

    __slots__ = ("context", "state")

    def __init__(self, state: State, context: g.Context) -> None:
        self.state = state
        self.context = context


def _condition(name: str) -> Any:
    guard = g.GUARDS[name]

    def check(event: EventData) -> bool:
        subject = event.model
        assert isinstance(subject, _Subject)
        return guard(subject.context) is None

    check.__name__ = name
    return check


def _build_machine() -> Machine:
    transitions = [
        {
            "trigger": rule.trigger,
            "source": list(rule.sources),
            "dest": rule.dest if rule.dest is not None else "=",
            "conditions": [_condition(name) for name in rule.guards],
        }
        for rule in TABLE
    ]
    return Machine(
        model=None,
        states=State,
        transitions=transitions,
        initial=State.REGISTERED,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        model_attribute="state",
    )


class Engine:
    """Decides on triggers; never stores anything."""

    def __init__(self, policy: Policy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self.machine = _build_machine()

    def with_policy(self, policy: Policy) -> Engine:
        engine = Engine.__new__(Engine)
        engine.policy = policy
        engine.machine = self.machine
        return engine

    # --- asking -------------------------------------------------------------------------
    def available(self, facts: CaseFacts, actor: Actor) -> list[Availability]:
        """Every trigger valid in the case's state, whether this actor may fire it, and why not."""
        return [a for a in (self.availability(facts, actor, t) for t in TRIGGERS) if a is not None]

    def availability(self, facts: CaseFacts, actor: Actor, trigger: str) -> Availability | None:
        """Whether this actor may fire ``trigger`` now, and why not; None if the state has no such step."""
        if not rules_for(trigger, facts.state):
            return None
        reason = may_act(actor, facts, trigger) or self._state_reason(facts, trigger)
        return Availability(trigger, SPECS[trigger].label, reason is None, reason)

    def allowed_triggers(self, facts: CaseFacts, actor: Actor) -> list[str]:
        return [a.trigger for a in self.available(facts, actor) if a.allowed]

    def _state_reason(self, facts: CaseFacts, trigger: str) -> str | None:
        """Reasons that do not depend on the trigger's data (e.g. no rights notice yet)."""
        if trigger == "start_mediation":
            ctx = g.Context(facts, Actor(0, frozenset()), {}, date.min, policy=self.policy)
            return g.has_rights_notice(ctx) or g.has_no_recorded_refusal(ctx)
        if trigger == "escalate" and facts.tier is Tier.JUDGE:
            return "已由社区法官承办，不能再上报。"
        if trigger == "delegate" and facts.tier is not Tier.JUDGE:
            return "只有社区法官承办的案件可以交由下一级。"
        if trigger == "record_judicial_confirmation" and facts.confirmation_recorded:
            return "该协议已记录司法确认结果。"
        return None

    # --- deciding -----------------------------------------------------------------------
    def check(
        self,
        facts: CaseFacts,
        actor: Actor,
        trigger: str,
        data: dict[str, Any] | None = None,
        *,
        today: date,
        candidate: Actor | None = None,
    ) -> g.Context:
        """Refuse (raise Refused) or return the context the trigger would fire with."""
        if trigger not in SPECS:
            raise Refused("unknown_trigger", "没有这个操作。")
        rules = rules_for(trigger, facts.state)
        if not rules:
            raise Refused(
                "invalid_state",
                f"案件处于「{facts.state.label}」状态，不能执行「{SPECS[trigger].label}」。",
            )
        why = may_act(actor, facts, trigger)
        if why:
            raise Refused("forbidden", why)
        clean = clean_data(trigger, data)
        ctx = g.Context(facts, actor, clean, today, candidate, self.policy)
        reasons = []
        for rule in rules:
            failed = next((r for r in (g.GUARDS[n](ctx) for n in rule.guards) if r), None)
            if failed is None:
                return ctx
            reasons.append(failed)
        raise Refused("guard", reasons[0])

    def fire(
        self,
        facts: CaseFacts,
        actor: Actor,
        trigger: str,
        data: dict[str, Any] | None = None,
        *,
        today: date,
        candidate: Actor | None = None,
    ) -> Outcome:
        """Fire a trigger and return its outcome, or raise Refused saying why not."""
        ctx = self.check(facts, actor, trigger, data, today=today, candidate=candidate)
        subject = _Subject(facts.state, ctx)
        try:
            fired = self.machine.events[trigger].trigger(subject)
        except MachineError as exc:  # pragma: no cover - check() already ruled this out
            raise Refused("invalid_state", str(exc)) from exc
        if not fired:  # pragma: no cover - the same guards passed in check()
            raise Refused("guard", "条件不满足。")
        to_state = State(subject.state)
        changes = _effects(trigger, ctx, self.policy)
        return Outcome(trigger, facts.state, to_state, changes, ctx.data, to_json(ctx.data))


def _effects(trigger: str, ctx: g.Context, policy: Policy) -> dict[str, Any]:
    """The case fields a trigger changes, besides its state."""
    facts, data = ctx.facts, ctx.data
    if trigger == "accept":
        computed = facts.severity
        if computed is None and facts.triage is not None:
            computed = triage(facts.triage, policy).severity
        chosen = Severity(data["severity"]) if data.get("severity") else computed
        if chosen is None:
            chosen = Severity.MINOR
        return {"severity": chosen, "tier": chosen.tier, "severity_overridden": chosen != computed}
    if trigger in ("assign", "reassign"):
        return {"assignee_id": data["assignee_id"]}
    if trigger == "notify_rights":
        return {"rights_notified": True}
    if trigger == "record_refusal":
        return {"refusal_recorded": True}
    if trigger == "escalate":
        assert facts.tier is not None
        return {"tier": facts.tier.up(), "assignee_id": None}
    if trigger == "delegate":
        assert facts.tier is not None
        return {"tier": facts.tier.down(), "assignee_id": None}
    if trigger == "flag_risk":
        return {"risk_level": RiskLevel(data["level"])}
    if trigger == "extend_deadline":
        return {"extensions": facts.extensions + 1}
    return {}


ENGINE = Engine()
