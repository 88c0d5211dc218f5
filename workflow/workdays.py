"""Working days in mainland China: statutory holidays and 调休 make-up working days.

The State Council announces each year's holidays and the weekends that become working days (调休);
the ``chinesecalendar`` package keeps them for the years it knows (see ``package_years``). Days an
administrator entered in the override table (services.workdays) come first, so a year the package
does not know yet — or a local change — is covered without a new release. A day neither source knows
is a working day from Monday to Friday.

A period whose last day falls on a day off ends on the next working day (民事诉讼法 第八十五条: 期间届满的
最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期); ``WorkCalendar.last_day`` applies that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import chinese_calendar

from workflow.text import Text, _


class LastDay(StrEnum):
    """How a clock's last day is fixed (a policy setting per clock)."""

    CALENDAR = "calendar"  # counted in calendar days, whatever day it is
    NEXT_WORKING_DAY = "next_working_day"  # a last day that is a day off moves to the next working day

    @property
    def label(self) -> Text:
        return LAST_DAY_LABELS[self]


LAST_DAY_LABELS: dict[LastDay, Text] = {
    LastDay.CALENDAR: _("按自然日计算"),
    LastDay.NEXT_WORKING_DAY: _("最后一日遇节假日顺延至节后第一个工作日"),
}

Overrides = Mapping[date, bool]  # day → True: a working day, False: a day off
_LONGEST_BREAK = 40  # no run of days off is longer; a search for a working day stops here


@cache
def package_knows(year: int) -> bool:
    """Whether the installed chinesecalendar has the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_years() -> range:
    """The years the installed chinesecalendar knows (2004 up to its last)."""
    last = 2004
    while package_knows(last + 1):
        last += 1
    return range(2004, last + 1)


class WorkCalendar:
    """Which days are working days: the administrator's overrides, then the package, then Mon–Fri.

    ``overrides`` may be a mapping or a function returning one, called the first time a day is asked
    about (the services pass a function that reads the override table only when a clock needs it).
    """

    def __init__(self, overrides: Overrides | Callable[[], Overrides] | None = None) -> None:
        self._source = overrides
        self._overrides: Overrides | None = None if callable(overrides) else (overrides or {})

    @property
    def overrides(self) -> Overrides:
        if self._overrides is None:
            assert callable(self._source)
            self._overrides = self._source()
        return self._overrides

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if package_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def knows(self, year: int) -> bool:
        """Whether the year's holidays are known: from the package, or entered as overrides."""
        return package_knows(year) or any(day.year == year for day in self.overrides)

    def next_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the first working day after it."""
        for offset in range(_LONGEST_BREAK):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        return day

    def last_day(self, day: date, rule: LastDay) -> date:
        """The last day of a period that would end on ``day``, under ``rule``."""
        return self.next_working_day(day) if rule is LastDay.NEXT_WORKING_DAY else day


BASE_CALENDAR = WorkCalendar()  # the package and the weekends only; services add the override table
