"""Role rules: who may fire which trigger on which case."""

from __future__ import annotations

from workflow.facts import Actor, CaseFacts
from workflow.roles import TIER_ROLES, Role, Tier

STAFF_TRIGGERS = frozenset(
    {
        "accept",
        "reject",
        "assign",
        "reassign",
        "escalate",
        "withdraw",
        "flag_risk",
        "follow_up",
        "record_judicial_confirmation",
        "extend_deadline",
    }
)

ASSIGNEE_TRIGGERS = frozenset(
    {
        "notify_rights",
        "record_refusal",
        "start_mediation",
        "record_session",
        "escalate",
        "record_agreement",
        "record_judicial_confirmation",
        "follow_up",
        "remediate",
        "terminate",
        "withdraw",
        "flag_risk",
        "extend_deadline",
    }
)

JUDGE_TRIGGERS = frozenset({"delegate"})


def may_act(actor: Actor, facts: CaseFacts, trigger: str) -> str | None:
    """None when the actor may fire the trigger on this case, else why not."""
    if not actor.active:
        return "账号已停用。"
    if not actor.in_community(facts.community_id):
        return "此案件不属于您所在的社区。"
    if actor.has(Role.STAFF) and trigger in STAFF_TRIGGERS:
        return None
    if actor.has(*TIER_ROLES) and facts.assignee_id == actor.id and trigger in ASSIGNEE_TRIGGERS:
        return None
    if trigger in JUDGE_TRIGGERS and actor.has(Role.JUDGE) and facts.tier is Tier.JUDGE:
        if facts.assignee_id in (None, actor.id):
            return None
        return "只有承办此案的社区法官可以交由下一级。"
    if actor.has(*TIER_ROLES) and trigger in ASSIGNEE_TRIGGERS:
        return "只有本案承办人可以执行此操作。"
    return "您的角色无权执行此操作。"
