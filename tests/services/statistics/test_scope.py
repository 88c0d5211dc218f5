"""Report scopes: a street or all adds its communities, intersected with what the user may see."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models import Community
from services.errors import Forbidden, Invalid
from services.permissions import actor_for
from services.statistics.report import figures
from services.statistics.scope import resolve_scope, scope_of_community
from tests.services.statistics.world import OCT


def test_street_and_all_scopes(session, factory, world) -> None:  # type: ignore[no-untyped-def]
    admin = actor_for(session, factory.user("admin", communities=[]))
    street = resolve_scope(session, admin, "street:幸福街道")
    assert street.community_ids == {world["a"].id, world["b"].id}
    f = figures(session, street, OCT)
    assert (f.accepted, f.success, f.amount) == (5, 5, Decimal("101265.43"))  # + kb
    everything = resolve_scope(session, admin, "all")
    assert figures(session, everything, OCT).accepted == 6  # + kc


def test_scope_is_intersected_with_what_the_user_sees(session, factory, world) -> None:  # type: ignore[no-untyped-def]
    staff_a = actor_for(session, factory.staff(world["a"]))
    street = resolve_scope(session, staff_a, "street:幸福街道")
    assert street.community_ids == {world["a"].id}
    assert figures(session, street, OCT).accepted == 4  # B's case stays out
    mine = resolve_scope(session, staff_a, "all")
    assert mine.community_ids == {world["a"].id}
    with pytest.raises(Forbidden):
        resolve_scope(session, staff_a, f"community:{world['b'].id}")
    with pytest.raises(Forbidden):
        resolve_scope(session, staff_a, "street:和平街道")


@pytest.mark.parametrize("role", ["volunteer", "mediator", "judge"])
def test_case_workers_may_not_see_statistics(session, factory, role) -> None:  # type: ignore[no-untyped-def]
    a = factory.community()
    with pytest.raises(Forbidden):
        resolve_scope(session, actor_for(session, factory.user(role, communities=[a])), f"community:{a.id}")


@pytest.mark.parametrize("key", ["community:999", "community:x", "street:无此街道", "town:1", "community:"])
def test_unknown_scopes_are_refused(session, factory, key) -> None:  # type: ignore[no-untyped-def]
    admin = actor_for(session, factory.user("admin", communities=[]))
    with pytest.raises(Invalid):
        resolve_scope(session, admin, key)


def test_scope_for_the_command_line(session, world) -> None:  # type: ignore[no-untyped-def]
    assert scope_of_community(session, "幸福").community_ids == {world["a"].id}
    assert scope_of_community(session, None).community_ids is None
    with pytest.raises(Invalid, match="无此"):
        scope_of_community(session, "无此")
    assert isinstance(world["a"], Community)
