"""The audit record of administrative changes (users, communities, categories, policy)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel

from models.base import utcnow


class AdminEvent(SQLModel, table=True):
    """Who changed which setting or account, when, why, and to what."""

    __tablename__ = "admin_event"
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=40)
    target: str = Field(default="", max_length=100)
    reason: str = Field(default="", max_length=1000)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True))
