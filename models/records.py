"""What mediation produces: session records, agreements, follow-ups, judicial confirmations."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import Money


class SessionRecord(SQLModel, table=True):
    """One mediation session (调解记录, 规定 §29)."""

    __tablename__ = "session_record"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    held_on: date
    place: str = Field(max_length=200)
    attendees: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(default="public", max_length=10)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class Agreement(SQLModel, table=True):
    """A mediation agreement, written (法 §29) or oral (法 §28)."""

    __table_args__ = (
        Index("ix_agreement_community_effective", "community_id", "effective_on"),
        Index("ix_agreement_created_at", "created_at"),  # the monthly report: agreements recorded in a month
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    community_id: int = Field(foreign_key="community.id")
    kind: str = Field(max_length=10)  # written | oral
    facts: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    terms: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    performance: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    content: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    effective_on: date
    performance_due: date | None = None
    follow_up_due: date | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class FollowUp(SQLModel, table=True):
    """A follow-up visit or call (回访) after an agreement."""

    __tablename__ = "follow_up"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    visited_on: date = Field(index=True)
    method: str = Field(max_length=10)
    performed: bool
    satisfaction: str = Field(max_length=15)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class JudicialConfirmation(SQLModel, table=True):
    """The court's judicial confirmation of an agreement (司法确认, 法 §33)."""

    __tablename__ = "judicial_confirmation"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    agreement_id: int = Field(foreign_key="agreement.id")
    applied_on: date = Field(index=True)
    joint: bool = True
    court: str = Field(max_length=200)
    result: str = Field(max_length=10)  # valid | invalid
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
