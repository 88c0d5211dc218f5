"""The old ledger (台账) brought in: uploads kept between steps, remembered mappings, import runs, rows.

A community's Excel/CSV ledger is uploaded once (``LedgerUpload``, kept with its hash so the mapping page
and the dry run read it again without a new upload), its columns and free-text values are mapped to the
product's fields and vocabulary (``LedgerMapping``, remembered per community), and each import
(``LedgerImport``) turns the rows that pass into cases through the one write path. ``LedgerRow`` is the
identity of every row imported, so importing the same file twice creates nothing new.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


class LedgerUpload(SQLModel, table=True):
    """A ledger file as uploaded: its bytes, name and SHA-256 (one row per community and content)."""

    __tablename__ = "ledger_upload"
    __table_args__ = (UniqueConstraint("community_id", "sha256", name="uq_ledger_upload_content"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    size: int = 0
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class LedgerMapping(SQLModel, table=True):
    """A community's remembered mapping: header text → field, and per field raw value → product value."""

    __tablename__ = "ledger_mapping"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    columns: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class LedgerImport(SQLModel, table=True):
    """One import of an upload: who, when, how many rows became cases, were already in, were refused."""

    __tablename__ = "ledger_import"
    id: int | None = Field(default=None, primary_key=True)
    upload_id: int = Field(foreign_key="ledger_upload.id", index=True)
    community_id: int = Field(foreign_key="community.id")
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created: int = 0
    skipped: int = 0
    refused: int = 0
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class LedgerRow(SQLModel, table=True):
    """A ledger row imported as a case; ``key`` is its identity (case number, or date + parties + facts)."""

    __tablename__ = "ledger_row"
    __table_args__ = (
        UniqueConstraint("community_id", "key", name="uq_ledger_row_key"),
        Index("ix_ledger_row_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    key: str = Field(max_length=80)
    case_id: int = Field(foreign_key="case.id")
    import_id: int = Field(foreign_key="ledger_import.id")
    row_number: int


class ImportedNumberCounter(SQLModel, table=True):
    """Last number of the imported series (（年）简称人调导字第NNNN号) per community and year."""

    __tablename__ = "imported_number_counter"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
