"""The append-only audit record: one row per trigger fired on a case."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from models.base import utcnow


class CaseEvent(SQLModel, table=True):
    """Who fired which trigger on which case, when, why, and with what data."""

    __tablename__ = "case_event"
    __table_args__ = (
        Index("ix_event_case", "case_id", "id"),
        Index("ix_event_to_state_at", "to_state", "at"),
        # Covers the statistics' event counts (trigger, month, community, to-state, case): no table reads.
        Index("ix_event_trigger_at_cover", "trigger", "at", "community_id", "to_state", "case_id"),
        Index("ix_event_community_at", "community_id", "at"),
        Index("ix_event_community_id", "community_id", "id"),  # the API's change feed, in order
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    community_id: int = Field(foreign_key="community.id")
    trigger: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
