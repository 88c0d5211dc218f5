"""The triage policy in force: the policy file's values, then the admin's overrides."""

import os
from typing import Any

from sqlmodel import Session

from models import AdminEvent, Setting
from services.db import writing
from services.errors import Invalid
from services.file_marks import mark_ended_cases, rule_of
from services.memo import per_transaction
from services.permissions import may_administer
from services.workdays import calendar_for
from workflow import Actor, Policy, load_policy
from workflow.text import say
from workflow.triage import DEFAULT_POLICY

POLICY_KEY = "policy"


def file_policy() -> Policy:
    path = os.environ.get("TIAOJIE_POLICY_FILE")
    return load_policy(path) if path else DEFAULT_POLICY


def current_policy(session: Session) -> Policy:
    """The policy in force (read once per transaction), with the working days in force."""
    return per_transaction(session, "policy", lambda: _read_policy(session))


def _read_policy(session: Session) -> Policy:
    row = session.get(Setting, POLICY_KEY)
    base = file_policy()
    policy = base.with_values(row.value) if row and row.value else base
    return policy.with_calendar(calendar_for(session))


def update_policy(*, session: Session, actor: Actor, values: dict[str, Any], reason: str) -> Policy:
    """Store new policy values (admin only, with a reason kept in the audit log)."""
    if not may_administer(actor):
        raise Invalid(say("只有系统管理员可以修改分级规则。"))
    if not reason.strip():
        raise Invalid(say("修改分级规则须填写理由。"), field="reason")
    try:
        policy = file_policy().with_values(values)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise Invalid(say("分级规则的数值无效：%(why)s", why=exc)) from exc
    for name in ("major_amount", "general_amount"):
        if not getattr(policy, name).is_finite():  # NaN or infinity: every later triage would fail on it
            raise Invalid(say("金额须为有效数字。"), field=name)
    with writing(session):
        before = current_policy(session)
        row = session.get(Setting, POLICY_KEY) or Setting(key=POLICY_KEY)
        row.value = {k: v for k, v in policy.as_dict().items() if k in values}
        session.add(row)
        session.add(
            AdminEvent(
                actor_id=actor.id, action="update_policy", target=POLICY_KEY, reason=reason, data=row.value
            )
        )
        if rule_of(policy) != rule_of(before):
            mark_ended_cases(session, policy)  # the 卷宗不全 marks follow the new rule
    return policy
