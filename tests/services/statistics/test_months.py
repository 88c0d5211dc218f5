"""Report months: parsed from YYYY-MM with a clear message, bounded in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.errors import Invalid
from services.statistics.months import Month
from tests.services.statistics.world import OCT


@pytest.mark.parametrize("text", ["2026-13", "2026-0", "abc", "", "2026/10", "26-10", "2026-10-01"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(Invalid, match="月份"):
        Month.parse(text)


@pytest.mark.parametrize("text", ["1999-01", "1999-12", "2100-01", "9999-12"])
def test_months_out_of_range_say_so(text: str) -> None:
    with pytest.raises(Invalid, match=f"月份超出范围：{text}。可查询 2000年1月至2099年12月的统计。"):
        Month.parse(text)


def test_month_parsing_and_bounds() -> None:
    m = Month.parse("2026-10")
    assert m == OCT and str(m) == "2026-10" and m.title == "2026年10月"
    assert m.bounds == (datetime(2026, 9, 30, 16, tzinfo=UTC), datetime(2026, 10, 31, 16, tzinfo=UTC))
    assert m.shift(-10) == Month(2025, 12) and m.shift(3) == Month(2027, 1)
    assert m.last_day.day == 31
