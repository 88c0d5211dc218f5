"""Guards: named questions about a case, the person acting and a trigger's data.

A guard answers None when the trigger may proceed, else the reason (in the user's language) it may not.
``needs_data`` False marks the guards that look only at the case and the person: the case page asks
those before anyone fills in a form, to say why a step is not possible yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.clocks import confirmation_window_closes
from workflow.errors import Refused
from workflow.facts import Actor, CaseFacts
from workflow.fields import Field
from workflow.papers import CLOSE_ORAL, CLOSE_WRITTEN, ENDINGS, REFUSE, kind_label, missing_papers
from workflow.roles import TIER_ROLES, Role, Tier
from workflow.text import Text, _, listing, say
from workflow.text import day as _day
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


Answer = str | tuple[str, str] | None  # a reason, or (reason, the field it concerns), or None: go ahead


@dataclass(frozen=True)
class Guard:
    """One rule that can refuse a trigger; ``name`` is its stable code (the API reports it)."""

    name: str
    label: Text
    check: Callable[[Context], Answer]
    needs_data: bool = True
    field: str | None = None
    # When this answers True for a context, the guard's reason only warns: the trigger fires and the
    # warning is kept in its event (the policy's "warn" for a missing paper).
    warns_only: Callable[[Context], bool] | None = None

    def only_warns(self, ctx: Context) -> bool:
        return self.warns_only is not None and self.warns_only(ctx)

    def refusal(self, ctx: Context) -> Refused | None:
        answer = self.check(ctx)
        if answer is None:
            return None
        if isinstance(answer, tuple):
            return Refused(self.name, answer[0], field=answer[1])
        return Refused(self.name, answer, field=self.field)


# --- who may fire ------------------------------------------------------------------------------
STAFF, ASSIGNEE, CASE_JUDGE = "staff", "assignee", "case_judge"
FIRED_BY_LABELS: dict[str, Text] = {
    STAFF: _("社区工作人员（本社区）"),
    ASSIGNEE: _("本案承办人（调解志愿者、社区调解员、社区法官）"),
    CASE_JUDGE: _("社区法官（社区法官层级的案件）"),
}


def fired_by(who: frozenset[str]) -> Guard:
    """The role rule of a trigger: staff of the case's community, its assignee, or its judge."""

    def check(ctx: Context) -> Answer:
        actor, facts = ctx.actor, ctx.facts
        if not actor.active:
            return say("账号已停用。")
        if not actor.in_community(facts.community_id):
            return say("此案件不属于您所在的社区。")
        if STAFF in who and actor.has(Role.STAFF):
            return None
        member = actor.has(*TIER_ROLES)
        if ASSIGNEE in who and member and facts.assignee_id == actor.id:
            return None
        if CASE_JUDGE in who and actor.has(Role.JUDGE) and facts.tier is Tier.JUDGE:
            if facts.assignee_id in (None, actor.id):
                return None
            return say("只有承办此案的社区法官可以交由下一级。")
        if ASSIGNEE in who and member:
            return say("只有本案承办人可以执行此操作。")
        return say("您的角色无权执行此操作。")

    return Guard("forbidden", _("操作人员"), check, needs_data=False)


# --- the case as it stands ----------------------------------------------------------------------
def _has_rights_notice(ctx: Context) -> Answer:
    if not ctx.facts.rights_notified:
        return say("先告知当事人权利义务（规定 §30），才能开始调解。")
    return None


def _has_no_recorded_refusal(ctx: Context) -> Answer:
    if ctx.facts.refusal_recorded:
        return say("已记录当事人拒绝调解（法 §17），不能开始调解。")
    return None


def _below_judge(ctx: Context) -> Answer:
    if ctx.facts.tier is None or ctx.facts.tier.up() is None:
        return say("已由社区法官承办，不能再上报。")
    return None


def _judge_tier(ctx: Context) -> Answer:
    if ctx.facts.tier is not Tier.JUDGE:
        return say("只有社区法官承办的案件可以交由下一级。")
    return None


def _not_yet_confirmed(ctx: Context) -> Answer:
    if ctx.facts.confirmation_recorded:
        return say("该协议已记录司法确认结果。")
    return None


has_rights_notice = Guard("has_rights_notice", _("已告知权利义务"), _has_rights_notice, needs_data=False)
has_no_recorded_refusal = Guard(
    "has_no_recorded_refusal", _("无拒绝调解记录"), _has_no_recorded_refusal, needs_data=False
)
below_judge = Guard("below_judge", _("未到社区法官"), _below_judge, needs_data=False)
judge_tier = Guard("judge_tier", _("社区法官承办"), _judge_tier, needs_data=False)
not_yet_confirmed = Guard("not_yet_confirmed", _("尚未确认"), _not_yet_confirmed, needs_data=False)


def _way(ctx: Context, ending: str) -> str:
    return CLOSE_ORAL if ending == CLOSE_WRITTEN and ctx.facts.agreement_kind == "oral" else ending


def papers_missing(ctx: Context, ending: str) -> tuple[str, ...]:
    """The signed papers the policy requires for ending this way that the case's file lacks."""
    return missing_papers(ctx.policy.papers_required(_way(ctx, ending)), ctx.facts.papers)


FILE_COMPLETE = "file_complete"  # the one guard that reads the case's signed papers (facts.papers)


def file_complete(ending: str) -> Guard:
    """The signed papers the policy requires for this way of ending are attached (warn or refuse, as
    the policy's ``file_check`` says). ``ending``: workflow.papers.ENDINGS; closing picks written or oral
    by the case's agreement."""

    def check(ctx: Context) -> Answer:
        way = _way(ctx, ending)
        missing = papers_missing(ctx, ending)
        if not missing:
            return None
        labels = "、".join(kind_label(k) for k in missing)
        return say("卷宗缺少%(papers)s的扫描件（%(ending)s须附）。", papers=labels, ending=ENDINGS[way])

    return Guard(
        FILE_COMPLETE,
        _("卷宗材料齐全"),
        check,
        needs_data=False,
        warns_only=lambda ctx: ctx.policy.file_check != REFUSE,
    )


# --- the trigger's data --------------------------------------------------------------------------
def _override_has_reason(ctx: Context) -> Answer:
    chosen = ctx.data.get("severity")
    computed = ctx.facts.severity
    if chosen and (computed is None or chosen != computed.value) and not ctx.data.get("override_reason"):
        return say("调整严重程度须填写理由。")
    return None


def _assignee_fits_case(ctx: Context) -> Answer:
    who, tier = ctx.candidate, ctx.facts.tier
    if who is None:
        return say("找不到所选承办人。")
    if not who.active:
        return say("所选承办人已停用。")
    if tier is None or not who.has(tier.role):
        return say("承办人须为%(tier)s。", tier=tier.label if tier else _("相应层级"))
    if who.community_ids is not None and ctx.facts.community_id not in who.community_ids:
        return say("承办人须属于本案所在社区。")
    return None


def _assignee_changes(ctx: Context) -> Answer:
    if ctx.candidate is not None and ctx.candidate.id == ctx.facts.assignee_id:
        return say("新承办人与现承办人相同。")
    return None


def agreement_complete(fields: tuple[Field, ...]) -> Guard:
    """法 §29 for a written agreement, 法 §28 for an oral one: every field ``required_when`` applies."""

    def check(ctx: Context) -> Answer:
        missing = [
            f for f in fields if f.required_when and f.required_for(ctx.data) and not ctx.data.get(f.name)
        ]
        if not missing:
            return None
        if ctx.data.get("kind") == "oral":
            return say("口头协议须记录协议内容（法 §28）。"), missing[0].name
        labels = listing(f.label for f in missing)
        return say("书面调解协议须载明（法 §29）：%(labels)s。", labels=labels), missing[0].name

    return Guard("agreement_complete", _("协议内容完整"), check)


def _due_not_before_effective(ctx: Context) -> Answer:
    due, effective = ctx.data.get("performance_due"), ctx.data.get("effective_on")
    if due and effective and due < effective:
        return say("履行期限不能早于协议生效日期（%(day)s）。", day=_day(effective))
    return None


def _applied_jointly(ctx: Context) -> Answer:
    if not ctx.data.get("joint"):
        return say("司法确认须由双方当事人共同申请（法 §33）。")
    return None


def _within_confirmation_window(ctx: Context) -> Answer:
    effective = ctx.facts.agreement_effective_on
    applied = ctx.data.get("applied_on")
    if effective is None:
        return say("没有生效的调解协议。")
    if applied is None:
        return None
    closes = confirmation_window_closes(effective, ctx.policy)
    if applied > closes:
        days = ctx.policy.confirmation_days
        return say(
            "协议生效已超过 %(days)s 日（%(closes)s 截止），不能申请司法确认。",
            days=days,
            closes=_day(closes),
        )
    if applied < effective:
        return say("申请日期不能早于协议生效日期（%(day)s）。", day=_day(effective))
    return None


def _red_risk_reported(ctx: Context) -> Answer:
    if ctx.data.get("level") == RiskLevel.RED.value and not ctx.data.get("reported_to"):
        return say("红色风险须记录已报告的公安机关或有关部门（法 §25）。")
    return None


def _risk_level_changes(ctx: Context) -> Answer:
    if ctx.data.get("level") == ctx.facts.risk_level.value:
        return say("风险等级没有变化。")
    return None


def _both_parties_consent(ctx: Context) -> Answer:
    if not ctx.data.get("consent"):
        return say("须记录双方当事人同意。")
    return None


def _parties_told_route(ctx: Context) -> Answer:
    if not ctx.data.get("notice_given") or not ctx.data.get("route_told"):
        return say("终止调解须告知当事人可依法通过仲裁、行政、司法等途径维护权利（法 §26）。")
    return None


def _performed(ctx: Context) -> Answer:
    return None if ctx.data.get("performed") else say("协议未履行。")


def _not_performed(ctx: Context) -> Answer:
    return say("协议已履行。") if ctx.data.get("performed") else None


override_has_reason = Guard(
    "override_has_reason", _("调整有理由"), _override_has_reason, field="override_reason"
)
assignee_fits_case = Guard(
    "assignee_fits_case", _("承办人层级与社区相符"), _assignee_fits_case, field="assignee_id"
)
assignee_changes = Guard("assignee_changes", _("承办人变更"), _assignee_changes, field="assignee_id")
due_not_before_effective = Guard(
    "due_not_before_effective",
    _("履行期限不早于生效日期"),
    _due_not_before_effective,
    field="performance_due",
)
applied_jointly = Guard("applied_jointly", _("双方共同申请"), _applied_jointly, field="joint")
within_confirmation_window = Guard(
    "within_confirmation_window", _("30日内"), _within_confirmation_window, field="applied_on"
)
red_risk_reported = Guard("red_risk_reported", _("红色已报告"), _red_risk_reported, field="reported_to")
risk_level_changes = Guard("risk_level_changes", _("等级变化"), _risk_level_changes, field="level")
both_parties_consent = Guard("both_parties_consent", _("双方同意"), _both_parties_consent, field="consent")
parties_told_route = Guard(
    "parties_told_route", _("已告知救济途径"), _parties_told_route, field="notice_given"
)
performed = Guard("performed", _("已履行"), _performed, field="performed")
not_performed = Guard("not_performed", _("未履行"), _not_performed, field="performed")


# --- dates of things that already happened ------------------------------------------------------
def happened(field: str, label: Text) -> Guard:
    """A date of something that already happened: not after today (Beijing), not before registration."""

    def check(ctx: Context) -> Answer:
        day = ctx.data.get(field)
        if day is None:
            return None
        if day > ctx.today:
            return say("%(label)s不能晚于今天（%(today)s）。", label=label, today=_day(ctx.today))
        registered = ctx.facts.registered_on
        if registered is not None and day < registered:
            return say("%(label)s不能早于案件登记日期（%(day)s）。", label=label, day=_day(registered))
        return None

    return Guard(
        f"{field}_happened", _("%(label)s不晚于今天、不早于登记日期").of(label=label), check, field=field
    )
