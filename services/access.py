"""The one access rule: who sees which cases (lists and detail pages alike)."""

from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, col, select

from models import Case, User, UserCommunity
from workflow import Actor, Role

PII_ROLES = frozenset({Role.STAFF, Role.MEDIATOR, Role.JUDGE, Role.VOLUNTEER, Role.ADMIN})


def community_ids_of(session: Session, user: User) -> frozenset[int] | None:
    """The communities a user works in; None for an admin, who sees every community."""
    if Role.ADMIN.value in user.role_list:
        return None
    rows = session.exec(select(UserCommunity.community_id).where(UserCommunity.user_id == user.id))
    return frozenset(rows.all())


def actor_for(session: Session, user: User) -> Actor:
    assert user.id is not None
    return Actor(
        id=user.id,
        roles=frozenset(Role(r) for r in user.role_list),
        community_ids=community_ids_of(session, user),
        active=user.active,
    )


def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ``case`` selecting the cases this actor may see."""
    if actor.community_ids is None:
        return true()
    return col(Case.community_id).in_(sorted(actor.community_ids))


def can_see(actor: Actor, case: Case) -> bool:
    return actor.active and actor.in_community(case.community_id)


def sees_full_pii(actor: Actor, case: Case) -> bool:
    """Staff of the community and the assigned member see phones and ID numbers whole."""
    if not can_see(actor, case):
        return False
    if actor.has(Role.ADMIN, Role.STAFF):
        return True
    return case.assignee_id == actor.id


def visible_case(session: Session, actor: Actor, case_id: Any) -> Case | None:
    """The case if it exists and the actor may see it (else None: callers answer 404)."""
    try:
        case = session.get(Case, int(case_id))
    except (TypeError, ValueError):
        return None
    return case if case is not None and can_see(actor, case) else None
