"""Clocks: mediation deadline and its extension, confirmation window, follow-up, overdue, working days."""

from datetime import date, timedelta

import pytest

from workflow import State, confirmation_window_closes, follow_up_due, is_overdue, mediation_deadline
from workflow.clocks import confirmation_effective_range, days_left, left_text
from workflow.triage import DEFAULT_POLICY
from workflow.workdays import LastDay, WorkCalendar, package_knows, package_years


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
    # 2026-10-01 + 30 = Saturday 10-31: the window (a Civil Procedure Law period) runs to Monday 11-02.
    assert confirmation_window_closes(date(2026, 10, 1)) == date(2026, 11, 2)
    assert confirmation_window_closes(date(2026, 10, 2)) == date(2026, 11, 2)  # Sunday 11-01
    assert confirmation_window_closes(date(2026, 10, 3)) == date(2026, 11, 2)
    assert confirmation_window_closes(date(2026, 10, 4)) == date(2026, 11, 3)
    written = follow_up_due(oral=False, effective_on=date(2026, 10, 1), performance_due=date(2026, 10, 10))
    assert written == date(2026, 10, 17)  # a Saturday: the follow-up clock counts calendar days
    assert follow_up_due(oral=True, effective_on=date(2026, 10, 1), performance_due=None) == date(
        2026, 10, 31
    )


def test_a_last_day_on_national_day_rolls_to_the_first_working_day_after_the_holiday() -> None:
    calendar = WorkCalendar()
    assert calendar.next_working_day(date(2026, 10, 1)) == date(2026, 10, 8)
    assert confirmation_window_closes(date(2026, 9, 1)) == date(2026, 10, 8)
    assert all(not calendar.is_working_day(date(2026, 10, d)) for d in range(1, 8))


def test_a_tiaoxiu_saturday_is_a_working_day_and_a_last_day_on_it_stays() -> None:
    calendar = WorkCalendar()
    saturday = date(2026, 10, 10)  # 调休: worked to bridge the National Day holiday
    assert saturday.weekday() == 5 and calendar.is_working_day(saturday)
    assert not calendar.is_working_day(date(2026, 10, 11))  # the Sunday after is a day off
    assert calendar.last_day(saturday, LastDay.NEXT_WORKING_DAY) == saturday
    assert confirmation_window_closes(date(2026, 9, 10)) == saturday


def test_each_clock_follows_its_rule_in_the_policy() -> None:
    rolling = DEFAULT_POLICY.with_values(
        {"mediation_last_day": "next_working_day", "follow_up_last_day": "next_working_day"}
    )
    calendar_days = DEFAULT_POLICY.with_values({"confirmation_last_day": "calendar"})
    assert mediation_deadline(date(2026, 9, 1), policy=rolling) == date(2026, 10, 8)
    assert mediation_deadline(date(2026, 9, 1)) == date(2026, 10, 1)
    assert follow_up_due(
        oral=False, effective_on=date(2026, 10, 1), performance_due=date(2026, 10, 10), policy=rolling
    ) == date(2026, 10, 19)
    assert confirmation_window_closes(date(2026, 9, 1), calendar_days) == date(2026, 10, 1)
    with pytest.raises(ValueError):
        DEFAULT_POLICY.with_values({"confirmation_last_day": "sometimes"})


def test_a_year_the_package_does_not_know_uses_the_overrides_then_weekdays() -> None:
    year = package_years()[-1] + 1
    assert not package_knows(year) and package_knows(year - 1)
    holiday = date(year, 5, 1) + timedelta(days=-date(year, 5, 1).weekday() % 7)  # the first Monday of May
    saturday = holiday - timedelta(days=2)
    plain = WorkCalendar()
    assert plain.is_working_day(holiday) and not plain.is_working_day(saturday)
    assert not plain.knows(year)
    entered = WorkCalendar({holiday: False, saturday: True})
    assert entered.knows(year)
    assert not entered.is_working_day(holiday) and entered.is_working_day(saturday)
    policy = DEFAULT_POLICY.with_calendar(entered)
    assert confirmation_window_closes(holiday - timedelta(days=30), policy) == holiday + timedelta(days=1)


def test_overrides_are_read_only_when_a_day_is_asked_about() -> None:
    reads: list[int] = []

    def load() -> dict[date, bool]:
        reads.append(1)
        return {date(2026, 10, 9): False}

    calendar = WorkCalendar(load)
    assert reads == []
    assert not calendar.is_working_day(date(2026, 10, 9))
    assert calendar.is_working_day(date(2026, 10, 12))
    assert reads == [1]


@pytest.mark.parametrize(
    "first", [date(2026, 9, 28), date(2026, 10, 1), date(2026, 10, 8), date(2026, 12, 30)]
)
def test_the_effective_dates_of_windows_closing_in_a_span_are_one_range(first: date) -> None:
    last = first + timedelta(days=3)
    start, end = confirmation_effective_range(first, last)
    candidates = [first - timedelta(days=d) for d in range(10, 60)]
    inside = sorted(e for e in candidates if first <= confirmation_window_closes(e) <= last)
    assert inside == [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_left_text() -> None:
    assert left_text(3) == "还剩 3 天"
    assert left_text(0) == "今日到期"
    assert left_text(-1) == "已超期 1 天"
