"""The one vocabulary: dispute categories (纠纷类型) and case sources (案件来源), edited by admins.

Cases keep the name they were filed with (history reads as filed); the triage policy refers to
categories by id, so renaming one keeps its rule.
"""

from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel


class TermKind(StrEnum):
    CATEGORY = "category"
    SOURCE = "source"


class Term(SQLModel, table=True):
    """One entry of a list: a category or a source, offered at intake while active."""

    __tablename__ = "vocabulary_term"
    __table_args__ = (
        UniqueConstraint("kind", "name", name="uq_vocabulary_term_kind_name"),
        CheckConstraint("kind IN ('category', 'source')", name="ck_vocabulary_term_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    name: str = Field(max_length=20)
    active: bool = True
    position: int = 0
