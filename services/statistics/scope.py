"""Which communities a report covers (a community, a street, all) and who may ask for which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, col, select

from models import Community
from services.errors import Forbidden, Invalid
from services.permissions import communities_for, may_view_statistics
from workflow import Actor
from workflow.text import Text, _, say

# Community ids of a scope; None means every community.
Communities = frozenset[int] | None

ALL = _("全部社区")
ALL_VISIBLE = _("全部可见社区")
STREET = _("%(street)s（街道）")


def within(column: Any, communities: Communities) -> ColumnElement[bool]:
    """SQL condition: ``column`` (a community id) is one of ``communities`` (None: any)."""
    return true() if communities is None else col(column).in_(sorted(communities))


@dataclass(frozen=True)
class Scope:
    """Which communities a report covers; ``community_ids`` None means every community."""

    kind: str  # community | street | all
    key: str  # as in URLs: community:<id>, street:<name>, all
    label: str | Text
    community_ids: Communities

    def condition(self, column: Any) -> ColumnElement[bool]:
        return within(column, self.community_ids)


def resolve_scope(session: Session, actor: Actor, key: str | None) -> Scope:
    """The scope named by ``key``, intersected with what the actor may see.

    Raises Forbidden when the actor may not see statistics or the scope (never an empty report of
    someone else's community), Invalid when the key names nothing.
    """
    if not may_view_statistics(actor):
        raise Forbidden(say("您无权查看统计报表。"))
    key = (key or "").strip() or "all"
    mine = actor.community_ids
    if key == "all":
        if mine is None:
            return Scope("all", "all", ALL, None)
        if not mine:
            raise Forbidden(say("您不属于任何社区，无法查看统计。"))
        return Scope("all", "all", ALL_VISIBLE, frozenset(mine))
    kind, _colon, value = key.partition(":")
    if kind == "community":
        try:
            community = session.get(Community, int(value))
        except ValueError:
            community = None
        if community is None or community.id is None:
            raise Invalid(say("社区不存在。"), field="scope")
        if not actor.in_community(community.id):
            raise Forbidden(say("您无权查看该社区的统计。"))
        return Scope("community", key, community.name, frozenset({community.id}))
    if kind == "street" and value:
        found = session.exec(select(Community.id).where(Community.street == value)).all()
        ids = frozenset(i for i in found if i is not None)
        if not ids:
            raise Invalid(say("街道不存在。"), field="scope")
        visible = ids if mine is None else ids & mine
        if not visible:
            raise Forbidden(say("您无权查看该街道的统计。"))
        return Scope("street", key, value, visible)
    raise Invalid(say("统计范围无效。"), field="scope")


def scope_of_community(session: Session, short_name: str | None) -> Scope:
    """The scope for the command line: one community by short name, or all (no access check)."""
    if not short_name:
        return Scope("all", "all", ALL, None)
    community = session.exec(select(Community).where(Community.short_name == short_name)).first()
    if community is None or community.id is None:
        raise Invalid(say("找不到简称为「%(name)s」的社区。", name=short_name), field="community")
    return Scope("community", f"community:{community.id}", community.name, frozenset({community.id}))


@dataclass(frozen=True)
class ScopeChoice:
    key: str
    label: str | Text


def scope_choices(session: Session, actor: Actor) -> list[ScopeChoice]:
    """The scopes this actor may pick: all, each street they see, each community they see."""
    communities = sorted(communities_for(session, actor), key=lambda c: c.street)
    choices = [ScopeChoice("all", ALL if actor.community_ids is None else ALL_VISIBLE)]
    streets = sorted({c.street for c in communities if c.street})
    choices += [ScopeChoice(f"street:{s}", STREET.of(street=s)) for s in streets]
    choices += [ScopeChoice(f"community:{c.id}", c.name) for c in communities]
    return choices
