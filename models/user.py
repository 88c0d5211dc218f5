"""People who use the system, their roles and their communities."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime
from sqlmodel import Field, SQLModel

from models.base import utcnow


class UserCommunity(SQLModel, table=True):
    """Membership of a user in a community."""

    __tablename__ = "user_community"
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", primary_key=True, index=True)


class User(SQLModel, table=True):
    """A login; ``roles`` is a comma-separated list of workflow.Role values.

    ``kind`` ``api_client``: the identity an API client acts as (models.api); it has no password and
    never logs in to the site, and the user pages do not list it.
    """

    __table_args__ = (CheckConstraint("kind IN ('person', 'api_client')", name="ck_user_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(max_length=50)
    password_hash: str = Field(max_length=300)
    roles: str = Field(default="", max_length=100)
    active: bool = True
    locale: str = Field(default="zh", max_length=5)
    phone: str = Field(default="", max_length=20)
    # Part of every session's login id: raising it ends all of the user's sessions (services.users).
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    kind: str = Field(default="person", max_length=12, sa_column_kwargs={"server_default": "person"})
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]


class LoginAttempt(SQLModel, table=True):
    """One failed login; services.auth counts these (shared by every worker process) and prunes them."""

    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True))
