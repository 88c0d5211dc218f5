"""Signed papers and evidence kept with a case (stored by content hash), and who downloaded them."""

from datetime import datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Attachment(SQLModel, table=True):
    """One file attached to a case. The bytes live in the file store under ``sha256`` (the same bytes
    attached twice are stored once); a row is never deleted, only withdrawn with a reason."""

    __table_args__ = (
        Index("ix_attachment_case", "case_id", "id"),
        Index("ix_attachment_sha256", "sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    kind: str = Field(max_length=30)  # workflow.papers.PAPER_KINDS
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=50)  # what is stored: image/jpeg, image/png, application/pdf
    size: int
    sha256: str = Field(max_length=64)
    thumbnail: str | None = Field(default=None, max_length=64)  # sha256 of the JPEG thumbnail (images)
    pages: int | None = None  # PDFs
    id_numbers: bool = False  # carries parties' ID numbers: only for those who see them whole
    note: str = Field(default="", max_length=200)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user.id")
    withdrawn_reason: str = Field(default="", max_length=500)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AttachmentDownload(SQLModel, table=True):
    """Who downloaded an attachment, and when."""

    __tablename__ = "attachment_download"
    __table_args__ = (Index("ix_attachment_download_attachment", "attachment_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    attachment_id: int = Field(foreign_key="attachment.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
