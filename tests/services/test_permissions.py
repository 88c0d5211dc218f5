"""The one permission module: who sees which case, whose numbers whole, and which pages."""

from __future__ import annotations

import pytest

from services.permissions import (
    actor_for,
    can_see,
    may_administer,
    may_register,
    may_search_pii,
    may_view_statistics,
    permissions,
    sees_full_pii,
)


@pytest.fixture
def world(factory):
    home, away = factory.default_community(), factory.community()
    case = factory.case("assigned")
    return {"home": home, "away": away, "case": case}


def actor(factory, *roles, communities=None):
    return actor_for(factory.session, factory.user(*roles, communities=communities))


def test_phones_and_ids_whole_only_for_staff_of_the_community_and_the_assignee(factory, world):
    case = world["case"]
    assignee = actor_for(factory.session, factory.member("volunteer"))
    assert case.assignee_id == assignee.id
    assert sees_full_pii(actor_for(factory.session, factory.staff()), case)
    assert sees_full_pii(assignee, case)
    assert not sees_full_pii(actor(factory, "volunteer"), case)  # a volunteer not on the case
    assert not sees_full_pii(actor(factory, "mediator"), case)
    assert not sees_full_pii(actor(factory, "leader"), case)
    assert not sees_full_pii(actor(factory, "admin", communities=[]), case)  # admins see every case, masked
    assert not sees_full_pii(actor(factory, "staff", communities=[world["away"]]), case)  # and cannot see it
    assert not can_see(actor(factory, "staff", communities=[world["away"]]), case)


def test_searching_by_numbers_follows_seeing_them_whole(factory, world):
    assert may_search_pii(actor_for(factory.session, factory.staff()))
    for roles in (("volunteer",), ("mediator",), ("judge",), ("leader",)):
        assert not may_search_pii(actor(factory, *roles))
    assert not may_search_pii(actor(factory, "admin", communities=[]))


@pytest.mark.parametrize(
    ("roles", "register", "statistics", "administer"),
    [
        (("staff",), True, True, False),
        (("volunteer",), False, False, False),
        (("mediator",), False, False, False),
        (("judge",), False, False, False),
        (("leader",), False, True, False),
        (("admin",), True, True, True),
    ],
)
def test_page_permissions(factory, world, roles, register, statistics, administer):
    who = actor(factory, *roles, communities=[] if "admin" in roles else None)
    assert (may_register(who), may_view_statistics(who), may_administer(who)) == (
        register,
        statistics,
        administer,
    )
    offered = permissions(who)
    assert (offered.register, offered.view_statistics, offered.administer) == (
        register,
        statistics,
        administer,
    )


def test_registering_is_for_ones_own_community(factory, world):
    staff = actor_for(factory.session, factory.staff())
    assert may_register(staff, world["home"].id)
    assert not may_register(staff, world["away"].id)
