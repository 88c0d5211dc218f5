"""Administered lists and values: dispute categories and the triage policy."""

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Category(SQLModel, table=True):
    """A dispute category (纠纷类型) offered at intake."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=20, unique=True)
    active: bool = True
    position: int = 0


class Setting(SQLModel, table=True):
    """A named JSON value, e.g. ``policy`` overrides set by an admin."""

    key: str = Field(primary_key=True, max_length=50)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
