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


def test_a_change_of_some_values_keeps_the_others_stored(factory, session):
    """The category rules exist only in the database (ids): changing a clock must not drop them."""
    from models import TermKind
    from services.vocabulary import names_by_id

    admin = actor_for(session, factory.user("admin"))
    ids = {v: k for k, v in names_by_id(session, TermKind.CATEGORY).items()}
    update_policy(session=session, actor=admin, values={"major_categories": [ids["合同"]]}, reason="合同较大")
    before = current_policy(session)
    update_policy(session=session, actor=admin, values={"escalate_overdue_days": 2}, reason="超期两天上报")
    session.rollback()
    after = current_policy(session)
    assert after.major_categories == {ids["合同"]} and after.escalate_overdue_days == 2
    assert after.general_categories == before.general_categories
