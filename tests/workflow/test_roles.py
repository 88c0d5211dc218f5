"""Role rules: who may fire what, on which cases."""

from datetime import date

import pytest

from workflow import ENGINE, Actor, CaseFacts, Refused, Role, Severity, State, Tier

TODAY = date(2026, 10, 15)
ASSIGNED = CaseFacts(State.ASSIGNED, 7, tier=Tier.VOLUNTEER, severity=Severity.MINOR, assignee_id=2)


def may_act(who: Actor, facts: CaseFacts, trigger: str) -> str | None:
    """Why the engine refuses ``who`` this trigger before any data is typed (None: allowed)."""
    found = ENGINE.availability(facts, who, trigger)
    assert found is not None
    return found.reason


def actor(role: Role, uid: int = 2, communities: frozenset[int] | None = frozenset({7})) -> Actor:
    return Actor(uid, frozenset({role}), communities)


def test_assigned_member_may_work_the_case() -> None:
    assert may_act(actor(Role.VOLUNTEER), ASSIGNED, "notify_rights") is None


def test_other_tier_member_may_not() -> None:
    assert "承办人" in (may_act(actor(Role.VOLUNTEER, uid=5), ASSIGNED, "notify_rights") or "")


def test_member_of_another_community_may_not() -> None:
    assert "社区" in (may_act(actor(Role.STAFF, communities=frozenset({8})), ASSIGNED, "withdraw") or "")


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN])
def test_leaders_and_admins_do_not_work_cases(role: Role) -> None:
    who = actor(role, uid=9, communities=None if role is Role.ADMIN else frozenset({7}))
    assert ENGINE.allowed_triggers(ASSIGNED, who) == []


def test_staff_may_route_but_not_mediate() -> None:
    staff = actor(Role.STAFF, uid=1)
    allowed = set(ENGINE.allowed_triggers(ASSIGNED, staff))
    assert {"reassign", "withdraw", "flag_risk", "escalate"} <= allowed
    assert "notify_rights" not in allowed
    registered = CaseFacts(State.REGISTERED, 7, severity=Severity.MINOR)
    assert {"accept", "reject"} <= set(ENGINE.allowed_triggers(registered, staff))
    assert ENGINE.allowed_triggers(registered, actor(Role.VOLUNTEER)) == []


def test_inactive_actor_is_refused() -> None:
    gone = Actor(2, frozenset({Role.VOLUNTEER}), frozenset({7}), active=False)
    with pytest.raises(Refused) as err:
        ENGINE.fire(
            ASSIGNED, gone, "notify_rights", {"method": "oral", "notified_on": "2026-10-15"}, today=TODAY
        )
    assert err.value.code == "forbidden"
