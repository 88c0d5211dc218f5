"""API clients (接口客户端): city platforms that send cases in and read them out with a bearer token.

A client acts through a user row of kind ``api_client`` (``user_id``): its role and its communities are
that user's, so the one permission module decides what it may see and do, and every write it makes
records it as the actor (``case_event.actor_id``) like any person's.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime
from sqlmodel import Field, SQLModel

from models.base import utcnow


class ApiClient(SQLModel, table=True):
    """A client and its token (only a SHA-256 of it is kept; the token itself is shown once)."""

    __tablename__ = "api_client"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="ck_api_client_scope"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    scope: str = Field(max_length=10)  # read | write
    token_hash: str = Field(max_length=64, unique=True)
    token_hint: str = Field(max_length=12)  # the token's first characters, to tell tokens apart
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # The rate limit's current minute: when it began and how many requests it has seen.
    window_start: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    window_count: int = 0


class ApiIntake(SQLModel, table=True):
    """A case a client sent in, by the client's own reference: the same reference never makes two."""

    __tablename__ = "api_intake"

    client_id: int = Field(foreign_key="api_client.id", primary_key=True)
    external_ref: str = Field(max_length=100, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    digest: str = Field(max_length=64)  # SHA-256 of the request as checked, to tell a replay from a clash
