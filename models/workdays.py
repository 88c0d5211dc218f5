"""Days an administrator marked as working days or days off (years chinesecalendar does not know yet)."""

from datetime import date, datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from models.base import utcnow


class HolidayOverride(SQLModel, table=True):
    """One day's status as the State Council announced it: a holiday, or a 调休 working day."""

    __tablename__ = "holiday_override"
    day: date = Field(primary_key=True)
    working: bool  # True: a working day (e.g. a 调休 Saturday); False: a day off (a statutory holiday)
    note: str = Field(default="", max_length=100)  # e.g. 国庆节
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
