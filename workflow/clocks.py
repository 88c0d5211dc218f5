"""Clocks of a case: mediation deadline, confirmation window, follow-up due date, overdue."""

from __future__ import annotations

from datetime import date, timedelta

from workflow.states import State
from workflow.triage import DEFAULT_POLICY, Policy


def mediation_deadline(accepted_on: date, extensions: int = 0, policy: Policy = DEFAULT_POLICY) -> date:
    """Acceptance + 30 days, + 30 more for each extension both parties consented to."""
    return accepted_on + timedelta(days=policy.mediation_days + extensions * policy.extension_days)


def is_overdue(state: State, deadline: date | None, today: date) -> bool:
    """Still open on the mediation clock after its deadline."""
    return deadline is not None and state.clock_running and today > deadline


def confirmation_window_closes(effective_on: date, policy: Policy = DEFAULT_POLICY) -> date:
    """Last day to apply jointly for judicial confirmation (法 §33)."""
    return effective_on + timedelta(days=policy.confirmation_days)


def follow_up_due(
    *, oral: bool, effective_on: date, performance_due: date | None, policy: Policy = DEFAULT_POLICY
) -> date:
    """Written: 7 days after the performance date; oral (or no date): 30 days after it took effect."""
    if oral or performance_due is None:
        return effective_on + timedelta(days=policy.follow_up_after_oral_days)
    return performance_due + timedelta(days=policy.follow_up_after_performance_days)


def days_left(deadline: date | None, today: date) -> int | None:
    """Days until the deadline (negative when overdue)."""
    return None if deadline is None else (deadline - today).days
