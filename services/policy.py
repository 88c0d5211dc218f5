"""The triage policy in force: the policy file's values, then the admin's overrides.

The rules' categories are vocabulary ids (services.vocabulary), stored with the overrides: migration
0013 turned the file's category names into ids once, so a category renamed later keeps its rule.
"""

import os
from typing import Any

from sqlmodel import Session, select

from models import AdminEvent, Setting, TermKind
from services.db import writing
from services.errors import Invalid
from services.file_marks import mark_ended_cases, rule_of
from services.memo import per_transaction
from services.permissions import may_administer
from services.vocabulary import names_by_id
from services.workdays import calendar_for
from workflow import Actor, Policy, load_policy
from workflow.text import listing, say
from workflow.triage import CATEGORY_RULES, DEFAULT_POLICY

POLICY_KEY = "policy"


def file_policy() -> Policy:
    path = os.environ.get("TIAOJIE_POLICY_FILE")
    return load_policy(path) if path else DEFAULT_POLICY


def current_policy(session: Session) -> Policy:
    """The policy in force (read once per transaction), with the working days in force."""
    return per_transaction(session, "policy", lambda: _read_policy(session))


_POLICY_ROW = select(Setting).where(Setting.key == POLICY_KEY)  # built once: most requests read it


def _read_policy(session: Session) -> Policy:
    row = session.exec(_POLICY_ROW).first()
    base = file_policy()
    policy = base.with_values(row.value) if row and row.value else base
    return policy.with_calendar(calendar_for(session))


def update_policy(*, session: Session, actor: Actor, values: dict[str, Any], reason: str) -> Policy:
    """Store new policy values (admin only, with a reason kept in the audit log). Values not given keep
    what is stored: the category rules, in particular, exist only here (ids of the vocabulary)."""
    if not may_administer(actor):
        raise Invalid(say("只有系统管理员可以修改分级规则。"))
    if not reason.strip():
        raise Invalid(say("修改分级规则须填写理由。"), field="reason")
    stored = session.get(Setting, POLICY_KEY)
    values = {**(stored.value if stored and stored.value else {}), **values}
    try:
        policy = file_policy().with_values(values)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise Invalid(say("分级规则的数值无效：%(why)s", why=exc)) from exc
    for name in ("major_amount", "general_amount"):
        if not getattr(policy, name).is_finite():  # NaN or infinity: every later triage would fail on it
            raise Invalid(say("金额须为有效数字。"), field=name)
    _check_categories(session, policy)
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


def _check_categories(session: Session, policy: Policy) -> None:
    """The rules name existing categories, and none is both major and general."""
    known = names_by_id(session, TermKind.CATEGORY)
    for key in CATEGORY_RULES:
        if not getattr(policy, key) <= set(known):
            raise Invalid(say("分级规则中有不存在的纠纷类型。"), field=key)
    both = policy.major_categories & policy.general_categories
    if both:
        names = listing(sorted(known[i] for i in both))
        raise Invalid(
            say("同一纠纷类型不能同时列为较大和一般：%(names)s", names=names), field="general_categories"
        )
