"""Read-side queries for case lists (filters, search, paging) under the access rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Case
from services.access import visible_condition
from workflow import Actor


@dataclass
class CaseFilter:
    state: str | None = None
    community_id: int | None = None
    assignee_id: int | None = None


@dataclass
class Page:
    rows: list[Case]
    total: int
    page: int
    size: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def list_cases(session: Session, actor: Actor, flt: CaseFilter, page: int = 1, size: int = 20) -> Page:
    """One page of the cases this actor may see, newest first."""
    conditions = [visible_condition(actor)]
    if flt.state:
        conditions.append(col(Case.state) == flt.state)
    if flt.community_id:
        conditions.append(col(Case.community_id) == flt.community_id)
    if flt.assignee_id:
        conditions.append(col(Case.assignee_id) == flt.assignee_id)
    total = session.exec(select(func.count()).select_from(Case).where(*conditions)).one()
    rows = session.exec(
        select(Case).where(*conditions).order_by(col(Case.id).desc()).offset((page - 1) * size).limit(size)
    ).all()
    return Page(list(rows), int(total), page, size)
