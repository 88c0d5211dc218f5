"""Reminders: the daily digest in each user's inbox, its deliveries by email and webhook, the channels
each user chose."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


class InboxMessage(SQLModel, table=True):
    """One day's digest for one user (站内消息): one a day at most, read in the site."""

    __tablename__ = "inbox_message"
    __table_args__ = (
        UniqueConstraint("user_id", "day", name="uq_inbox_message_user_day"),
        Index("ix_inbox_message_user_read", "user_id", "read_at"),  # the unread count in the navigation
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    day: date
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    read_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Delivery(SQLModel, table=True):
    """A digest sent (or to be sent again) through one channel; the delivery log admins read."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("message_id", "channel", name="uq_delivery_message_channel"),
        Index("ix_delivery_status", "status", "id"),
        Index("ix_delivery_user_channel", "user_id", "channel", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="inbox_message.id")
    user_id: int = Field(foreign_key="user.id")
    channel: str = Field(max_length=10)  # email | webhook
    target: str = Field(default="", max_length=254)  # the address, or the host posted to
    status: str = Field(default="pending", max_length=12)  # pending | sending | sent | failed | superseded
    attempts: int = 0
    error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class ReminderPreference(SQLModel, table=True):
    """The channels a user chose in 设置 besides the inbox (always on)."""

    __tablename__ = "reminder_preference"
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: str = Field(default="", max_length=254)
    by_email: bool = False
    by_webhook: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
