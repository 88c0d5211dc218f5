"""The triage policy's service refuses amounts that are not numbers (NaN, infinity), whoever calls it."""

from __future__ import annotations

import pytest

from services.errors import Invalid
from services.permissions import actor_for
from services.policy import current_policy, update_policy


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("name", ["major_amount", "general_amount"])
def test_amounts_must_be_finite(factory, session, name, value):
    admin = actor_for(session, factory.user("admin"))
    before = current_policy(session).as_dict()
    with pytest.raises(Invalid) as refused:
        update_policy(session=session, actor=admin, values={name: value}, reason="测试")
    assert refused.value.field == name
    session.rollback()
    assert current_policy(session).as_dict() == before
