"""Dispute categories (纠纷类型) and case sources (案件来源) offered at intake: see services.vocabulary."""

from sqlmodel import Session

from models import Term, TermKind
from services.vocabulary import active_categories, active_sources, create_term, update_term


def create_category(*, session: Session, name: str, actor_id: int | None = None) -> Term:
    return create_term(session=session, kind=TermKind.CATEGORY, name=name, actor_id=actor_id)


__all__ = ["active_categories", "active_sources", "create_category", "update_term"]
