"""Time as Chinese offices count it: UTC in the database, Asia/Shanghai for days and months."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    """The moment in Beijing time (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI)


def local_date(moment: datetime | None = None) -> date:
    return local(moment or now()).date()


def day_start_utc(day: date) -> datetime:
    """Midnight Beijing time of ``day``, as a UTC datetime."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a calendar month in Beijing time, as UTC datetimes."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return day_start_utc(first), day_start_utc(nxt)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def days_between(start: datetime, end: datetime) -> float:
    """Elapsed days from ``start`` to ``end``, two Python datetimes.

    services.statistics.month_figures.sql_days_between measures the same between two SQL columns.
    """
    return (end - start) / timedelta(days=1)
