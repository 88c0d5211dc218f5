"""Administered values: the triage policy (the lists of categories and sources: models.vocabulary)."""

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Setting(SQLModel, table=True):
    """A named JSON value, e.g. ``policy`` overrides set by an admin."""

    key: str = Field(primary_key=True, max_length=50)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
