"""The transition table, as data: trigger, sources, destination, guards."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.states import State

S = State


@dataclass(frozen=True)
class Rule:
    trigger: str
    sources: tuple[State, ...]
    dest: State | None  # None: the case stays in its state
    guards: tuple[str, ...] = ()


OPEN = (S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING, S.AGREED, S.DEFAULTED)

TABLE: tuple[Rule, ...] = (
    Rule("accept", (S.REGISTERED,), S.ACCEPTED, ("override_has_reason",)),
    Rule("reject", (S.REGISTERED,), S.NOT_ACCEPTED),
    Rule("assign", (S.ACCEPTED,), S.ASSIGNED, ("assignee_fits_case",)),
    Rule("reassign", (S.ASSIGNED, S.MEDIATING), None, ("assignee_fits_case", "assignee_changes")),
    Rule("notify_rights", (S.ASSIGNED,), None),
    Rule("record_refusal", (S.ASSIGNED,), None),
    Rule("start_mediation", (S.ASSIGNED,), S.MEDIATING, ("has_rights_notice", "has_no_recorded_refusal")),
    Rule("record_session", (S.MEDIATING,), None),
    Rule("escalate", (S.ASSIGNED, S.MEDIATING), S.ACCEPTED, ("below_judge",)),
    Rule("delegate", (S.ACCEPTED, S.ASSIGNED), S.ACCEPTED, ("judge_tier",)),
    Rule(
        "record_agreement",
        (S.MEDIATING,),
        S.AGREED,
        ("written_agreement_complete", "effective_not_in_future"),
    ),
    Rule(
        "record_judicial_confirmation",
        (S.AGREED,),
        None,
        ("applied_jointly", "within_confirmation_window", "not_yet_confirmed"),
    ),
    Rule("follow_up", (S.AGREED,), S.CLOSED, ("performed",)),
    Rule("follow_up", (S.AGREED,), S.DEFAULTED, ("not_performed",)),
    Rule("remediate", (S.DEFAULTED,), S.MEDIATING, ("both_parties_consent",)),
    Rule("terminate", (S.ASSIGNED, S.MEDIATING, S.DEFAULTED), S.TERMINATED, ("parties_told_route",)),
    Rule("withdraw", (S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING), S.WITHDRAWN),
    Rule("flag_risk", OPEN, None, ("red_risk_reported", "risk_level_changes")),
    Rule("extend_deadline", (S.ACCEPTED, S.ASSIGNED, S.MEDIATING), None, ("both_parties_consent",)),
)

TRIGGERS: tuple[str, ...] = tuple(dict.fromkeys(rule.trigger for rule in TABLE))


def rules_for(trigger: str, state: State) -> list[Rule]:
    return [r for r in TABLE if r.trigger == trigger and state in r.sources]
