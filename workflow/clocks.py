"""Clocks of a case: mediation deadline, confirmation window, follow-up due date, overdue.

Each clock's last day follows its rule in the policy (``*_last_day``: calendar days, or a last day on a
day off moved to the next working day of ``policy.calendar``).
"""

from __future__ import annotations

from datetime import date, timedelta

from workflow.states import State
from workflow.text import day, say, say_n
from workflow.triage import DEFAULT_POLICY, Policy


def mediation_deadline(accepted_on: date, extensions: int = 0, policy: Policy = DEFAULT_POLICY) -> date:
    """Acceptance + 30 days, + 30 more for each extension both parties consented to."""
    day = accepted_on + timedelta(days=policy.mediation_days + extensions * policy.extension_days)
    return policy.calendar.last_day(day, policy.mediation_last_day)


def is_overdue(state: State, deadline: date | None, today: date) -> bool:
    """Still open on the mediation clock after its deadline."""
    return deadline is not None and state.clock_running and today > deadline


def confirmation_window_closes(effective_on: date, policy: Policy = DEFAULT_POLICY) -> date:
    """Last day to apply jointly for judicial confirmation (法 §33)."""
    day = effective_on + timedelta(days=policy.confirmation_days)
    return policy.calendar.last_day(day, policy.confirmation_last_day)


def confirmation_effective_range(
    first: date, last: date, policy: Policy = DEFAULT_POLICY
) -> tuple[date, date]:
    """The agreements' effective dates whose confirmation window closes between ``first`` and ``last``
    (inclusive), as a range of dates a query can ask for (the window's end never moves backwards)."""
    start = first - timedelta(days=policy.confirmation_days)
    while confirmation_window_closes(start - timedelta(days=1), policy) >= first:
        start -= timedelta(days=1)
    end = last - timedelta(days=policy.confirmation_days)
    while confirmation_window_closes(end, policy) > last:
        end -= timedelta(days=1)
    return start, end


def follow_up_due(
    *, oral: bool, effective_on: date, performance_due: date | None, policy: Policy = DEFAULT_POLICY
) -> date:
    """Written: 7 days after the performance date; oral (or no date): 30 days after it took effect."""
    if oral or performance_due is None:
        day = effective_on + timedelta(days=policy.follow_up_after_oral_days)
    else:
        day = performance_due + timedelta(days=policy.follow_up_after_performance_days)
    return policy.calendar.last_day(day, policy.follow_up_last_day)


def days_left(deadline: date | None, today: date) -> int | None:
    """Days until the deadline (negative when overdue)."""
    return None if deadline is None else (deadline - today).days


def left_text(left: int) -> str:
    """还剩 N 天 / 今日到期 / 已超期 N 天: a date against today, as the desk and the case page say it."""
    if left < 0:
        return say_n("已超期 %(num)s 天", "已超期 %(num)s 天", -left)
    if left == 0:
        return say("今日到期")
    return say_n("还剩 %(num)s 天", "还剩 %(num)s 天", left)


def dated(when: date, words: str) -> str:
    """2026年11月30日（words）: a date and what it means."""
    return say("%(date)s（%(words)s）", date=day(when), words=words)


def dated_left(deadline: date, left: int) -> str:
    """2026年11月30日（还剩 3 天）: a last day and how far it is."""
    return dated(deadline, left_text(left))
