"""Closed months' statistics, kept once the month is over (月报定稿).

A month's figures come from events (which are never back-dated in use) and from each case's tier, risk
level and deadline. Once the month has ended, services.statistics.kept_months takes its figures for
each community once and keeps them here, so a report of a past month reads a few rows instead of the
month's cases and events. A write dated inside a closed month (a follow-up or a judicial confirmation
entered late) drops that month's row for the case's community, and the next report takes it again.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


class MonthSnapshot(SQLModel, table=True):
    """One community's figures for one closed month (services.statistics.month_figures.MonthTally)."""

    __tablename__ = "month_snapshot"
    month: str = Field(primary_key=True, max_length=7)  # YYYY-MM, Beijing calendar month
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    taken_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    accepted: int = 0  # also in data; columns so the 12-month trend is one small query
    success: int = 0
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
