"""Clocks: mediation deadline and its extension, confirmation window, follow-up, overdue."""

from datetime import date

from workflow import State, confirmation_window_closes, follow_up_due, is_overdue, mediation_deadline
from workflow.clocks import days_left


def test_deadline_is_30_days_and_extends_by_30_with_consent() -> None:
    assert mediation_deadline(date(2026, 10, 1)) == date(2026, 10, 31)
    assert mediation_deadline(date(2026, 10, 1), extensions=1) == date(2026, 11, 30)


def test_overdue_only_while_the_clock_runs() -> None:
    deadline = date(2026, 10, 31)
    assert not is_overdue(State.MEDIATING, deadline, date(2026, 10, 31))
    assert is_overdue(State.MEDIATING, deadline, date(2026, 11, 1))
    assert is_overdue(State.ACCEPTED, deadline, date(2026, 11, 1))
    assert not is_overdue(State.AGREED, deadline, date(2026, 12, 1))
    assert not is_overdue(State.REGISTERED, None, date(2026, 12, 1))
    assert days_left(deadline, date(2026, 11, 3)) == -3


def test_confirmation_window_and_follow_up_due() -> None:
    assert confirmation_window_closes(date(2026, 10, 1)) == date(2026, 10, 31)
    written = follow_up_due(oral=False, effective_on=date(2026, 10, 1), performance_due=date(2026, 10, 10))
    assert written == date(2026, 10, 17)
    assert follow_up_due(oral=True, effective_on=date(2026, 10, 1), performance_due=None) == date(
        2026, 10, 31
    )
