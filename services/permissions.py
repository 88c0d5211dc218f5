"""Who may see and do what: the one place for every permission of the site.

Services ask it before they act, views before they answer, and templates through the ``may`` context
the web layer builds from it (what the navigation offers). Cases: one access rule for lists and detail
pages alike (``visible_condition`` / ``can_see``). Parties' phone and ID numbers (法 §15, domain.md
"Privacy"): whole only for staff of the case's community and the member assigned to it; everyone else
sees them masked and cannot search by them either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, false, true
from sqlmodel import Session, col, select

from models import Case, CaseEvent, Community, User, UserCommunity
from services.db import Scoped
from services.inputs import MAX_ID
from workflow import Actor, Role
from workflow.roles import TIER_ROLES

# Built once: the statements every request runs (building and keying one costs more than running it).
_CASE = select(Case).where(Case.id == bindparam("case_id"))
_COMMUNITIES_OF = select(UserCommunity.community_id).where(UserCommunity.user_id == bindparam("user_id"))


def communities_of(session: Session, user: User) -> frozenset[int] | None:
    """The communities a user works in; None for an admin, who sees every community."""
    if Role.ADMIN.value in user.role_list:
        return None
    return frozenset(session.exec(_COMMUNITIES_OF, params={"user_id": user.id}).all())


def actor_for(session: Session, user: User) -> Actor:
    """The user as the workflow and these rules see them."""
    assert user.id is not None
    return Actor(
        id=user.id,
        roles=frozenset(Role(r) for r in user.role_list),
        community_ids=communities_of(session, user),
        active=user.active,
    )


_COMMUNITIES = Scoped.of(select(Community).order_by(col(Community.name)), col(Community.id))


def communities_for(session: Session, actor: Actor) -> list[Community]:
    """The communities this actor works in (every one for an admin), by name."""
    statement, params = _COMMUNITIES.bound(actor.community_ids)
    return list(session.exec(statement, params=params))


# --- cases -----------------------------------------------------------------------------------------
def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ``case`` selecting the cases this actor may see."""
    if actor.community_ids is None:
        return true()
    return col(Case.community_id).in_(sorted(actor.community_ids))


def visible_event_condition(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on ``case_event`` selecting the events of cases this actor may see (the same rule:
    an event belongs to its case's community)."""
    if not actor.active:
        return false()
    if actor.community_ids is None:
        return true()
    return col(CaseEvent.community_id).in_(sorted(actor.community_ids))


def can_see(actor: Actor, case: Case) -> bool:
    return actor.active and actor.in_community(case.community_id)


def visible_case(session: Session, actor: Actor, case_id: Any) -> Case | None:
    """The case if it exists and the actor may see it (else None: callers answer 404)."""
    try:
        wanted = int(case_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < wanted <= MAX_ID:  # beyond what the column holds: no such case
        return None
    case = session.exec(_CASE, params={"case_id": wanted}).first()
    return case if case is not None and can_see(actor, case) else None


def _staff_of(actor: Actor, community_id: int) -> bool:
    """Staff who belong to the community (an admin's reach over every community does not count)."""
    return actor.has(Role.STAFF) and actor.community_ids is not None and community_id in actor.community_ids


def sees_full_pii(actor: Actor, case: Case) -> bool:
    """Staff of the case's community and the member assigned to it see phones and ID numbers whole."""
    if not can_see(actor, case):
        return False
    return _staff_of(actor, case.community_id) or (actor.has(*TIER_ROLES) and case.assignee_id == actor.id)


def may_search_pii(actor: Actor) -> bool:
    """Whether searching the list by phone or ID number is allowed: only for those who see them whole on
    every case the list shows them (staff of their own communities), else a masked number could be
    recovered digit by digit from which prefixes match."""
    return actor.active and actor.has(Role.STAFF) and actor.community_ids is not None


# --- attachments (signed papers and evidence in the case file) ----------------------------------------
def may_attach(actor: Actor, case: Case) -> bool:
    """Adding papers to a case: staff of its community and the member assigned to it (who work it)."""
    if not can_see(actor, case):
        return False
    return _staff_of(actor, case.community_id) or (actor.has(*TIER_ROLES) and case.assignee_id == actor.id)


def may_open_attachment(actor: Actor, case: Case, *, id_numbers: bool) -> bool:
    """Opening an attachment: whoever sees the case; a paper carrying parties' ID numbers, only those who
    see them whole."""
    return sees_full_pii(actor, case) if id_numbers else can_see(actor, case)


def may_withdraw_attachment(actor: Actor, case: Case, *, uploaded_by: int | None) -> bool:
    """Withdrawing an attachment: staff of the case's community, or who attached it while still working
    the case."""
    return may_attach(actor, case) and (_staff_of(actor, case.community_id) or uploaded_by == actor.id)


# --- pages ---------------------------------------------------------------------------------------
def may_register(actor: Actor, community_id: int | None = None) -> bool:
    """Registering complaints (登记纠纷): staff, and admins; in a given community, only if theirs."""
    if not actor.active or not actor.has(Role.STAFF, Role.ADMIN):
        return False
    return community_id is None or actor.in_community(community_id)


def may_import_ledger(actor: Actor, community_id: int | None = None) -> bool:
    """Bringing in a community's old ledger (导入台账): who may register its complaints, staff and admins."""
    return may_register(actor, community_id)


def may_view_statistics(actor: Actor) -> bool:
    return actor.active and actor.has(Role.STAFF, Role.LEADER, Role.ADMIN)


def may_administer(actor: Actor) -> bool:
    return actor.active and actor.has(Role.ADMIN)


def has_queue(actor: Actor) -> bool:
    """Whether 我的案件 lists anything for this actor: staff (intake, assignment, follow-ups) and members."""
    return actor.active and actor.has(Role.STAFF, *TIER_ROLES)


@dataclass(frozen=True)
class Permissions:
    """What the navigation and pages offer one person (templates read it as ``may``)."""

    register: bool
    import_ledger: bool
    view_statistics: bool
    administer: bool
    queue: bool
    search_pii: bool


def permissions(actor: Actor) -> Permissions:
    return Permissions(
        register=may_register(actor),
        import_ledger=may_import_ledger(actor),
        view_statistics=may_view_statistics(actor),
        administer=may_administer(actor),
        queue=has_queue(actor),
        search_pii=may_search_pii(actor),
    )
