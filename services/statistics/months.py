"""Calendar months in Beijing time, the unit of the monthly report (人民调解月报)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services import clock
from services.errors import Invalid
from workflow.text import month_title, say


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in Beijing time."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> Month:
        """``2026-10`` → Month; anything else raises Invalid with a message for the user."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not match or not 1 <= int(match.group(2)) <= 12:
            shown = text or say("（空）")
            raise Invalid(
                say("月份格式不正确：%(text)s，应为 YYYY-MM，例如 2026-10。", text=shown), field="month"
            )
        month = cls(int(match.group(1)), int(match.group(2)))
        if not FIRST <= month <= LAST:
            raise Invalid(
                say(
                    "月份超出范围：%(month)s。可查询 %(first)s至%(last)s的统计。",
                    month=month.key,
                    first=FIRST.title,
                    last=LAST.title,
                ),
                field="month",
            )
        return month

    @classmethod
    def of(cls, moment: datetime | None = None) -> Month:
        day = clock.local_date(moment)
        return cls(day.year, day.month)

    @classmethod
    def of_day(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def shift(self, delta: int) -> Month:
        return Month(*clock.shift_month(self.year, self.month, delta))

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return clock.month_bounds(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        nxt = self.shift(1)
        return date(nxt.year, nxt.month, 1)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        """2026年10月 (Oct 2026 on an English page)."""
        return month_title(self.year, self.month)

    def closed(self, now: datetime) -> bool:
        """Whether the month is over at ``now`` (its figures can no longer gain events)."""
        return self.bounds[1] <= now

    def __str__(self) -> str:
        return self.key


# The months the report can be asked for (templates/stats/index.html gives the picker the same bounds).
FIRST = Month(2000, 1)
LAST = Month(2099, 12)
