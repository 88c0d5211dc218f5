"""Guards: named questions about a case and a trigger's data.

Each returns None when the answer lets the trigger proceed, else the reason (Chinese) it may not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.clocks import confirmation_window_closes
from workflow.facts import Actor, CaseFacts
from workflow.roles import Tier
from workflow.triage import DEFAULT_POLICY, Policy, RiskLevel


@dataclass(frozen=True)
class Context:
    """Everything a guard may look at."""

    facts: CaseFacts
    actor: Actor
    data: dict[str, Any]
    today: date
    candidate: Actor | None = None
    policy: Policy = DEFAULT_POLICY


Guard = Callable[[Context], "str | None"]


def has_rights_notice(ctx: Context) -> str | None:
    if not ctx.facts.rights_notified:
        return "尚未记录向当事人告知权利义务（规定 §30），不能开始调解。"
    return None


def has_no_recorded_refusal(ctx: Context) -> str | None:
    if ctx.facts.refusal_recorded:
        return "已记录当事人拒绝调解（法 §17），不能开始调解。"
    return None


def override_has_reason(ctx: Context) -> str | None:
    chosen = ctx.data.get("severity")
    computed = ctx.facts.severity
    if chosen and (computed is None or chosen != computed.value):
        reason = ctx.data.get("override_reason")
        if not reason:
            return "调整严重程度须填写理由。"
    return None


def assignee_fits_case(ctx: Context) -> str | None:
    who = ctx.candidate
    tier = ctx.facts.tier
    if who is None:
        return "找不到所选承办人。"
    if not who.active:
        return "所选承办人已停用。"
    if tier is None or not who.has(tier.role):
        label = tier.label if tier else "相应层级"
        return f"承办人须为{label}。"
    if who.community_ids is not None and ctx.facts.community_id not in who.community_ids:
        return "承办人须属于本案所在社区。"
    return None


def assignee_changes(ctx: Context) -> str | None:
    if ctx.candidate is not None and ctx.candidate.id == ctx.facts.assignee_id:
        return "新承办人与现承办人相同。"
    return None


def below_judge(ctx: Context) -> str | None:
    if ctx.facts.tier is None or ctx.facts.tier.up() is None:
        return "已由社区法官承办，不能再上报。"
    return None


def judge_tier(ctx: Context) -> str | None:
    if ctx.facts.tier is not Tier.JUDGE:
        return "只有社区法官承办的案件可以交由下一级。"
    return None


def written_agreement_complete(ctx: Context) -> str | None:
    d = ctx.data
    if d.get("kind") == "written":
        missing = [
            label
            for key, label in (
                ("facts", "纠纷主要事实、争议事项及各方责任"),
                ("terms", "达成协议的内容"),
                ("performance", "履行方式、地点、期限"),
                ("performance_due", "履行期限"),
            )
            if not d.get(key)
        ]
        if missing:
            return "书面调解协议须载明（法 §29）：" + "、".join(missing) + "。"
    elif not d.get("content"):
        return "口头协议须记录协议内容（法 §28）。"
    return None


def effective_not_in_future(ctx: Context) -> str | None:
    effective = ctx.data.get("effective_on")
    if effective and effective > ctx.today:
        return "生效日期不能晚于今天。"
    return None


def applied_jointly(ctx: Context) -> str | None:
    if not ctx.data.get("joint"):
        return "司法确认须由双方当事人共同申请（法 §33）。"
    return None


def within_confirmation_window(ctx: Context) -> str | None:
    effective = ctx.facts.agreement_effective_on
    applied = ctx.data.get("applied_on")
    if effective is None:
        return "没有生效的调解协议。"
    if applied is None:
        return None
    closes = confirmation_window_closes(effective, ctx.policy)
    if applied > closes:
        days = ctx.policy.confirmation_days
        return f"协议生效已超过 {days} 日（{closes.isoformat()} 截止），不能申请司法确认。"
    if applied < effective:
        return "申请日期不能早于协议生效日期。"
    return None


def not_yet_confirmed(ctx: Context) -> str | None:
    if ctx.facts.confirmation_recorded:
        return "该协议已记录司法确认结果。"
    return None


def red_risk_reported(ctx: Context) -> str | None:
    if ctx.data.get("level") == RiskLevel.RED.value and not ctx.data.get("reported_to"):
        return "红色风险须记录已报告的公安机关或有关部门（法 §25）。"
    return None


def risk_level_changes(ctx: Context) -> str | None:
    if ctx.data.get("level") == ctx.facts.risk_level.value:
        return "风险等级没有变化。"
    return None


def both_parties_consent(ctx: Context) -> str | None:
    if not ctx.data.get("consent"):
        return "须记录双方当事人同意。"
    return None


def parties_told_route(ctx: Context) -> str | None:
    if not ctx.data.get("notice_given") or not ctx.data.get("route_told"):
        return "终止调解须告知当事人可依法通过仲裁、行政、司法等途径维护权利（法 §26）。"
    return None


def performed(ctx: Context) -> str | None:
    return None if ctx.data.get("performed") else "协议未履行。"


def not_performed(ctx: Context) -> str | None:
    return "协议已履行。" if ctx.data.get("performed") else None


GUARDS: dict[str, Guard] = {
    g.__name__: g
    for g in (
        has_rights_notice,
        has_no_recorded_refusal,
        override_has_reason,
        assignee_fits_case,
        assignee_changes,
        below_judge,
        judge_tier,
        written_agreement_complete,
        effective_not_in_future,
        applied_jointly,
        within_confirmation_window,
        not_yet_confirmed,
        red_risk_reported,
        risk_level_changes,
        both_parties_consent,
        parties_told_route,
        performed,
        not_performed,
    )
}

GUARD_LABELS: dict[str, str] = {
    "has_rights_notice": "已告知权利义务",
    "has_no_recorded_refusal": "无拒绝调解记录",
    "override_has_reason": "调整有理由",
    "assignee_fits_case": "承办人层级与社区相符",
    "assignee_changes": "承办人变更",
    "below_judge": "未到社区法官",
    "judge_tier": "社区法官承办",
    "written_agreement_complete": "协议内容完整",
    "effective_not_in_future": "生效日期有效",
    "applied_jointly": "双方共同申请",
    "within_confirmation_window": "30日内",
    "not_yet_confirmed": "尚未确认",
    "red_risk_reported": "红色已报告",
    "risk_level_changes": "等级变化",
    "both_parties_consent": "双方同意",
    "parties_told_route": "已告知救济途径",
    "performed": "已履行",
    "not_performed": "未履行",
}
