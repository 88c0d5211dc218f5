"""Dispute categories (纠纷类型) offered at intake: administered rows, else the policy's default list."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from models import AdminEvent, Category
from services.db import writing
from services.errors import Invalid
from services.memo import per_transaction
from services.policy import current_policy
from workflow.text import say

MAX_NAME = 20


def all_categories(session: Session) -> list[Category]:
    """Every administered category, in display order."""
    return list(session.exec(select(Category).order_by(col(Category.position), col(Category.id))).all())


def active_categories(session: Session) -> list[str]:
    """Names offered at intake: active rows in order; the policy's list while no row exists."""
    return list(per_transaction(session, "categories", lambda: _read_active(session)))


def _read_active(session: Session) -> list[str]:
    rows = all_categories(session)
    if not rows:
        return list(current_policy(session).categories)
    return [row.name for row in rows if row.active]


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(say("类型名称须为 1–%(n)s 个字。", n=MAX_NAME), field="name")
    return name


def _seed_defaults(session: Session) -> None:
    """Copy the policy's list into rows, so adding the first row does not shrink what intake offers."""
    if session.exec(select(func.count()).select_from(Category)).one():
        return
    for position, name in enumerate(current_policy(session).categories, start=1):
        session.add(Category(name=name, position=position))
    session.flush()


def create_category(*, session: Session, name: str, actor_id: int | None = None) -> Category:
    """A new active category at the end of the list; names are unique."""
    name = _clean_name(name)
    with writing(session):
        _seed_defaults(session)
        if session.exec(select(Category).where(Category.name == name)).first():
            raise Invalid(say("类型名称已存在。"), field="name")
        last = session.exec(select(func.max(Category.position))).one() or 0
        category = Category(name=name, position=last + 1)
        session.add(category)
        session.add(AdminEvent(actor_id=actor_id, action="create_category", target=name))
    return category


def update_category(
    *,
    session: Session,
    category_id: int,
    actor_id: int | None = None,
    name: str | None = None,
    position: int | None = None,
    active: bool | None = None,
) -> Category:
    """Rename, move or (de)activate a category; cases keep the name they were registered with."""
    if name is not None:
        name = _clean_name(name)
    if position is not None and not 0 <= position <= 9999:
        raise Invalid(say("排序须为 0–9999 的整数。"), field="position")
    with writing(session):
        category = session.get(Category, category_id)
        if category is None:
            raise Invalid(say("纠纷类型不存在。"))
        changes: dict[str, object] = {}
        if name is not None and name != category.name:
            clash = select(Category).where(Category.name == name, Category.id != category_id)
            if session.exec(clash).first():
                raise Invalid(say("类型名称已存在。"), field="name")
            changes["name"] = name
        if position is not None and position != category.position:
            changes["position"] = position
        if active is not None and active != category.active:
            changes["active"] = active
        if changes.get("active") is False and _is_last_active(session, category):
            raise Invalid(say("至少须保留一个启用的纠纷类型。"), field="active")
        old_name = category.name
        for key, value in changes.items():
            setattr(category, key, value)
        session.add(category)
        if changes:
            session.add(
                AdminEvent(actor_id=actor_id, action="update_category", target=old_name, data=changes)
            )
    return category


def seed_default_categories(*, session: Session, actor_id: int | None = None) -> int:
    """Turn the policy's default list into editable rows (only while the table is empty)."""
    with writing(session):
        if session.exec(select(func.count()).select_from(Category)).one():
            raise Invalid(say("纠纷类型列表已存在。"))
        _seed_defaults(session)
        count = len(current_policy(session).categories)
        session.add(AdminEvent(actor_id=actor_id, action="seed_categories", data={"count": count}))
    return count


def _is_last_active(session: Session, category: Category) -> bool:
    others = (
        select(func.count()).select_from(Category).where(col(Category.active), Category.id != category.id)
    )
    return session.exec(others).one() == 0
