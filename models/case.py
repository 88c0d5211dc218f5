"""The case (案件) and its gap-free number counter."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import Money


class Case(SQLModel, table=True):
    """One dispute from intake to its end. Changed only through services.cases."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("community_id", "number_year", "number_seq", name="uq_case_number"),
        # A number is unique in its community, also one kept from an imported ledger (no year/seq).
        Index("uq_case_community_number", "community_id", "number", unique=True),
        Index("ix_case_community_state", "community_id", "state", "id"),
        Index("ix_case_community_id", "community_id", "id"),
        Index("ix_case_assignee_state_deadline", "assignee_id", "state", "deadline"),  # queue, desk
        Index("ix_case_community_state_deadline", "community_id", "state", "deadline"),  # desk, leaders
        # the desk: follow-up visits due and judicial-confirmation windows closing, as index ranges
        Index("ix_case_assignee_state_follow_up", "assignee_id", "state", "follow_up_due"),
        Index("ix_case_community_state_follow_up", "community_id", "state", "follow_up_due"),
        Index("ix_case_assignee_state_effective", "assignee_id", "state", "agreement_effective_on"),
        Index("ix_case_community_accepted", "community_id", "accepted_at"),
        Index("ix_case_accepted", "accepted_at"),
        Index("ix_case_state_deadline", "state", "deadline"),
        Index("ix_case_community_category", "community_id", "category"),
        Index("ix_case_file_incomplete", "file_incomplete", "community_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    number: str | None = Field(default=None, max_length=60, index=True)
    number_year: int | None = None
    number_seq: int | None = None

    category: str = Field(max_length=20)
    source: str = Field(max_length=20)
    facts: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    claimed_amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    people_involved: int = 0
    parties_count: int = 2
    injury: bool = False
    place_xiaoqu: str = Field(default="", max_length=100)
    place_building: str = Field(default="", max_length=50)

    risk_level: str = Field(default="none", max_length=10)
    reported_to: str | None = Field(default=None, max_length=200)
    severity_computed: str = Field(default="minor", max_length=10)
    triage_reasons: str = Field(default="", max_length=500)
    severity: str | None = Field(default=None, max_length=10)
    severity_overridden: bool = False
    tier: str | None = Field(default=None, max_length=10)

    state: str = Field(default="registered", max_length=20)
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    rights_notified: bool = False
    refusal_recorded: bool = False
    mediation_started: bool = False
    extensions: int = 0
    escalations: int = 0
    # Ended (closed/terminated) with a signed paper the policy requires missing from its file: set when
    # it ends, kept up to date as papers are attached or withdrawn (services.attachments) and set again
    # for every ended case when the policy's rule changes (services.file_marks).
    file_incomplete: bool = False

    registered_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    deadline: date | None = None
    agreed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # The newest agreement's effective date and follow-up date (set by record_agreement, as on the agreement).
    agreement_effective_on: date | None = None
    follow_up_due: date | None = None
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), index=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class CaseCounter(SQLModel, table=True):
    """Last case number issued per community and year; bumped inside the accepting transaction."""

    __tablename__ = "case_counter"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
