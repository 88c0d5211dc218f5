"""The engine: which triggers may fire now, and firing one (or refusing it with a reason).

One ``transitions`` machine is built once from workflow.triggers and shared by every request; it is the
only evaluator of the guards. Its models are a small pool of subjects, attached once (``add_model``
costs more than a whole decision) and lent to one call at a time: a call sets the subject's state and
context, asks it (``may_<trigger>()``) or fires it, and gives it back. Nothing per case stays in the
machine (a machine per case costs ~0.5 ms: see the project's pitfalls notes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from queue import Empty, SimpleQueue
from typing import Any

from transitions import EventData, Machine, MachineError

from workflow.errors import Refused
from workflow.facts import Actor, CaseFacts
from workflow.fields import clean, to_json
from workflow.guards import Context, Guard
from workflow.states import State
from workflow.text import Text, say
from workflow.triage import DEFAULT_POLICY, Policy
from workflow.triggers import TRIGGERS, Trigger


@dataclass(frozen=True)
class Availability:
    trigger: str
    label: Text
    allowed: bool
    reason: str | None = None
    step: str = "side"
    expected: bool = False
    warning: str | None = None  # allowed, but a guard warns (or refuses one of its ways): say so first


@dataclass(frozen=True)
class Outcome:
    """What firing a trigger decided: the new state, the case fields to change, the event data."""

    trigger: str
    from_state: State
    to_state: State
    changes: dict[str, Any]
    data: dict[str, Any]
    json_data: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Refused, ...] = ()  # guards that only warned (kept in the event)


class _Subject:
    """The machine's model for one request.

    A ``transitions`` condition can only answer True or False; the subject carries what we need besides:
    the context the guards read, each guard's answer (so a guard shared by two branches or asked again
    when firing runs once), the refusals in the order the machine met them, and whether this is a probe
    (asking before any data is typed: guards that need data are not asked then).
    """

    def __init__(self) -> None:
        self.state = State.REGISTERED
        self.context: Context | None = None
        self.probing = True
        self.answers: dict[int, Refused | None] = {}
        self.refusals: list[Refused] = []
        self.warnings: list[Refused] = []

    def reset(self, state: State, context: Context, *, probing: bool) -> _Subject:
        self.state = state
        self.context = context
        self.probing = probing
        self.answers.clear()
        self.clear()
        return self

    def clear(self) -> None:
        """Forget the refusals and warnings of the last question (the answers stay: same case)."""
        self.refusals.clear()
        self.warnings.clear()

    def ask(self, guard: Guard) -> bool:
        if self.probing and guard.needs_data:
            return True
        key = id(guard)
        if key not in self.answers:
            assert self.context is not None
            self.answers[key] = guard.refusal(self.context)
        refusal = self.answers[key]
        if refusal is None:
            return True
        assert self.context is not None
        # A guard that only warns goes last in its way through, so a warning kept means that way passed.
        if guard.only_warns(self.context):
            if refusal not in self.warnings:
                self.warnings.append(refusal)
            return True
        self.refusals.append(refusal)
        return False


def _condition(guard: Guard) -> Any:
    def check(event: EventData) -> bool:
        subject = event.model
        assert isinstance(subject, _Subject)
        return subject.ask(guard)

    check.__name__ = guard.name
    return check


def _build_machine() -> Machine:
    transitions = [
        {
            "trigger": t.name,
            "source": list(t.sources),
            "dest": branch.dest if branch.dest is not None else "=",
            "conditions": [_condition(guard) for guard in t.all_guards(branch)],
        }
        for t in TRIGGERS
        for branch in t.branches
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


MACHINE = _build_machine()
_FREE: SimpleQueue[_Subject] = SimpleQueue()  # subjects attached to MACHINE and not lent out


@contextmanager
def _lent(state: State, context: Context, *, probing: bool) -> Iterator[_Subject]:
    """A subject of the shared machine for one call (attached the first time, then reused)."""
    try:
        subject = _FREE.get_nowait()
    except Empty:
        subject = _Subject()
        MACHINE.add_model(subject, initial=state)
    try:
        yield subject.reset(state, context, probing=probing)
    finally:
        subject.context = None
        _FREE.put(subject)


class Engine:
    """Decides on triggers; never stores anything."""

    def __init__(self, policy: Policy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self.machine = MACHINE

    def with_policy(self, policy: Policy) -> Engine:
        return Engine(policy)

    # --- asking -------------------------------------------------------------------------
    def available(self, facts: CaseFacts, actor: Actor, *, today: date = date.min) -> list[Availability]:
        """Every trigger the machine has for the case's state: may this actor fire it, and why not."""
        out = []
        with _lent(facts.state, Context(facts, actor, {}, today, None, self.policy), probing=True) as subject:
            for name in self.machine.get_triggers(facts.state):
                out.append(self._ask(subject, TRIGGERS[name]))
        return out

    def availability(
        self, facts: CaseFacts, actor: Actor, trigger: str, *, today: date = date.min
    ) -> Availability | None:
        """Whether this actor may fire ``trigger`` now, and why not; None if the state has no such step."""
        if trigger not in TRIGGERS or trigger not in self.machine.get_triggers(facts.state):
            return None
        with _lent(facts.state, Context(facts, actor, {}, today, None, self.policy), probing=True) as subject:
            return self._ask(subject, TRIGGERS[trigger])

    @staticmethod
    def _ask(subject: _Subject, t: Trigger) -> Availability:
        subject.clear()
        allowed = bool(getattr(subject, f"may_{t.name}")())
        reason = None if allowed else subject.refusals[0].message
        assert subject.context is not None
        expected = t.is_expected(subject.context.facts)
        # Allowed with a warning, or allowed by one way while another is refused (a visit that finds
        # the agreement performed cannot close a case whose file the policy requires complete).
        heads_up = [*subject.warnings, *subject.refusals] if allowed else []
        warning = heads_up[0].message if heads_up else None
        return Availability(t.name, t.label, allowed, reason, t.step, expected, warning)

    def allowed_triggers(self, facts: CaseFacts, actor: Actor) -> list[str]:
        return [a.trigger for a in self.available(facts, actor) if a.allowed]

    # --- deciding -----------------------------------------------------------------------
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
        """Fire a trigger and return its outcome, or raise Refused saying why not.

        First the machine is asked without the data (state, role: a refusal there is about the case or
        the person, not the form); then the data is typed (missing or malformed fields); then the machine
        fires with it, every guard answering once.
        """
        t = TRIGGERS.get(trigger)
        if t is None:
            raise Refused("unknown_trigger", say("没有这个操作。"))
        if trigger not in self.machine.get_triggers(facts.state):
            raise Refused(
                "invalid_state",
                say(
                    "案件处于「%(state)s」状态，不能执行「%(label)s」。",
                    state=facts.state.label,
                    label=t.label,
                ),
            )
        ctx = Context(facts, actor, {}, today, candidate, self.policy)
        with _lent(facts.state, ctx, probing=True) as subject:
            if not getattr(subject, f"may_{trigger}")():
                raise subject.refusals[0]
            subject.context = replace(ctx, data=clean(t.fields, data))
            subject.probing = False
            subject.clear()
            try:
                fired = getattr(subject, trigger)()
            except MachineError as exc:
                raise Refused("invalid_state", str(exc)) from exc
            if not fired:
                raise subject.refusals[0]
            to_state = State(subject.state)
            fired_ctx = subject.context
            warnings = tuple(subject.warnings)
        return replace(self._outcome(t, fired_ctx, to_state), warnings=warnings)

    def unchecked(
        self,
        facts: CaseFacts,
        actor: Actor,
        trigger: str,
        data: dict[str, Any],
        *,
        today: date,
        to_state: State,
    ) -> Outcome:
        """The outcome of a step already known to be legal, without asking the guards, from data already
        typed as ``clean`` types it (bulk demo data, whose paths are each fired through ``fire`` first)."""
        t = TRIGGERS[trigger]
        ctx = Context(facts, actor, data, today, None, self.policy)
        return self._outcome(t, ctx, to_state)

    @staticmethod
    def _outcome(t: Trigger, ctx: Context, to_state: State) -> Outcome:
        return Outcome(t.name, ctx.facts.state, to_state, t.changes(ctx), ctx.data, to_json(ctx.data))


ENGINE = Engine()


def advance(facts: CaseFacts, outcome: Outcome, today: date) -> CaseFacts:
    """The case's facts after ``outcome``, without a database: what ``services.cases.facts_of`` would read
    back once the outcome is stored (bulk demo data and path checks walk cases this way)."""
    changed = {k: v for k, v in outcome.changes.items() if k in _FACT_FIELDS}
    if not changed and outcome.to_state is facts.state and outcome.trigger not in _RECORDING_FACTS:
        return facts
    known = {**facts.__dict__, **changed}
    known["state"] = outcome.to_state
    if outcome.trigger == "accept":
        known["accepted_on"] = today
    if outcome.trigger == "record_agreement":
        known["agreement_kind"] = outcome.data["kind"]
        known["agreement_effective_on"] = outcome.data["effective_on"]
        known["confirmation_recorded"] = False
    if outcome.trigger == "record_judicial_confirmation":
        known["confirmation_recorded"] = True
    return CaseFacts(**known)


_FACT_FIELDS = frozenset(CaseFacts.__dataclass_fields__)
_RECORDING_FACTS = frozenset({"accept", "record_agreement", "record_judicial_confirmation"})
