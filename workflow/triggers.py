"""Every trigger of the lifecycle, declared once.

An entry says where the trigger may fire (``sources``), where it leads (``branches``: a destination and
the guards that pick it), who may fire it (``by``), the data it asks for (``fields``), the rules that
may refuse it (``guards``), what it changes on the case (``effect``, a pure function), and how the case
page offers it (``step``). The transition table, the forms, the role sets, the labels and the
/workflow page are all read from these entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from workflow import guards as g
from workflow.clocks import follow_up_due, mediation_deadline
from workflow.facts import CaseFacts
from workflow.fields import Field
from workflow.guards import ASSIGNEE, CASE_JUDGE, STAFF, Context, Guard
from workflow.papers import CLOSE_WRITTEN, TERMINATE
from workflow.states import OPEN, State
from workflow.text import Text, _
from workflow.triage import RiskLevel, Severity, triage

S = State
Effect = Callable[[Context], dict[str, Any]]

# How the case page offers a step: the main path first, other steps after it, steps that end the case
# last, set apart and confirmed before they are sent.
MAIN, SIDE, END = "main", "side", "end"


@dataclass(frozen=True)
class Branch:
    """A destination and the guards that choose it (None: the case stays in its state)."""

    dest: State | None
    guards: tuple[Guard, ...] = ()


@dataclass(frozen=True)
class Trigger:
    name: str
    label: Text
    sources: tuple[State, ...]
    branches: tuple[Branch, ...]
    by: frozenset[str]
    fields: tuple[Field, ...] = ()
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None
    step: str = SIDE
    expected: Callable[[CaseFacts], bool] | None = None  # MAIN steps: whether the case waits for it now

    @property
    def dests(self) -> tuple[State | None, ...]:
        return tuple(b.dest for b in self.branches)

    @cached_property
    def role_guard(self) -> Guard:
        return g.fired_by(self.by)

    def all_guards(self, branch: Branch) -> tuple[Guard, ...]:
        """The guards of one way through: who may fire it, the trigger's own, the branch's."""
        return (self.role_guard, *self.guards, *branch.guards)

    def changes(self, ctx: Context) -> dict[str, Any]:
        """What firing changes on the case, besides its state."""
        return self.effect(ctx) if self.effect else {}

    def is_expected(self, facts: CaseFacts) -> bool:
        """Whether this is one of the steps the case waits for now (the case page shows it first)."""
        return self.step == MAIN and (self.expected is None or self.expected(facts))

    def picks_a_user(self) -> bool:
        return any(f.kind == "user" for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def to(dest: State | None, *guards: Guard) -> tuple[Branch, ...]:
    return (Branch(dest, guards),)


# --- choices --------------------------------------------------------------------------------------
REJECT_REASONS = (
    ("reserved_by_law", _("法律、法规规定只能由专门机关管辖处理")),
    ("handled_elsewhere", _("已由人民法院、公安机关或其他行政机关受理或解决")),
    ("party_refuses", _("一方当事人拒绝调解")),
    ("other", _("其他不属于人民调解范围的情形")),
)
SATISFACTION = (("satisfied", _("满意")), ("basically", _("基本满意")), ("dissatisfied", _("不满意")))
SESSION_KINDS = (("public", _("公开调解")), ("private", _("不公开调解")))
AGREEMENT_KINDS = (("written", _("书面协议")), ("oral", _("口头协议")))
FOLLOW_UP_METHODS = (("visit", _("上门回访")), ("call", _("电话回访")))
NOTICE_METHODS = (("written", _("书面告知")), ("oral", _("口头告知")))
REASSIGN_REASONS = (
    ("recusal", _("回避（当事人对调解员提出异议）")),
    ("workload", _("工作量调整")),
    ("chosen", _("当事人选择")),
)
WITHDRAW_KINDS = (("withdrew", _("申请人撤回申请")), ("refused", _("一方当事人拒绝调解")))
PARTY_ROLES = (("applicant", _("申请人")), ("respondent", _("被申请人")))
WHO = PARTY_ROLES
CONFIRMATION_RESULTS = (("valid", _("确认有效")), ("invalid", _("确认无效/驳回")))
RISK_LEVELS = tuple((r.value, r.label) for r in RiskLevel)
SEVERITIES = (("", _("按分级结果")), *((s.value, s.label) for s in Severity))

NOTE = Field("note", _("备注"), "textarea", required=False, max_length=2000)
REASON = Field("reason", _("理由"), "textarea", max_length=2000)
WRITTEN = ("kind", "written")
ORAL = ("kind", "oral")


AGREEMENT_FIELDS = (
    Field("kind", _("协议形式"), "choice", choices=AGREEMENT_KINDS),
    Field("effective_on", _("生效日期"), "date"),
    Field("facts", _("纠纷主要事实、争议事项及各方责任"), "textarea", max_length=5000, required_when=WRITTEN),
    Field("terms", _("达成协议的内容"), "textarea", max_length=5000, required_when=WRITTEN),
    Field("performance", _("履行方式、地点、期限"), "textarea", max_length=2000, required_when=WRITTEN),
    Field("performance_due", _("履行期限"), "date", required_when=WRITTEN),
    Field("amount", _("协议金额（元）"), "money", required=False),
    Field("content", _("口头协议内容"), "textarea", max_length=5000, required_when=ORAL),
)


# --- effects on the case (pure) -------------------------------------------------------------------
def _accept(ctx: Context) -> dict[str, Any]:
    facts, data = ctx.facts, ctx.data
    computed = facts.severity
    if computed is None and facts.triage is not None:
        computed = triage(facts.triage, ctx.policy).severity
    chosen = Severity(data["severity"]) if data.get("severity") else computed or Severity.MINOR
    return {
        "severity": chosen,
        "tier": chosen.tier,
        "severity_overridden": chosen != computed,
        "deadline": mediation_deadline(ctx.today, facts.extensions, ctx.policy),
    }


def _assign(ctx: Context) -> dict[str, Any]:
    return {"assignee_id": ctx.data["assignee_id"]}


def _escalate(ctx: Context) -> dict[str, Any]:
    tier = ctx.facts.tier
    assert tier is not None
    return {"tier": tier.up(), "assignee_id": None, "escalations": ctx.facts.escalations + 1}


def _delegate(ctx: Context) -> dict[str, Any]:
    tier = ctx.facts.tier
    assert tier is not None
    return {"tier": tier.down(), "assignee_id": None}


def _flag(ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"risk_level": RiskLevel(ctx.data["level"])}
    if ctx.data.get("reported_to"):
        out["reported_to"] = ctx.data["reported_to"]
    return out


def _extend(ctx: Context) -> dict[str, Any]:
    extensions = ctx.facts.extensions + 1
    out: dict[str, Any] = {"extensions": extensions}
    if ctx.facts.accepted_on is not None:
        out["deadline"] = mediation_deadline(ctx.facts.accepted_on, extensions, ctx.policy)
    return out


def _file_left(ending: str) -> Effect:
    """Whether the case ends with a required signed paper missing (the case list's 卷宗不全)."""

    def effect(ctx: Context) -> dict[str, Any]:
        if ending == CLOSE_WRITTEN and not ctx.data.get("performed"):
            return {}
        return {"file_incomplete": bool(g.papers_missing(ctx, ending))}

    return effect


def _agree(ctx: Context) -> dict[str, Any]:
    """The agreement's clocks kept on the case too, so the desk finds them by index."""
    data, effective = ctx.data, ctx.data["effective_on"]
    due = follow_up_due(
        oral=data["kind"] == "oral",
        effective_on=effective,
        performance_due=data.get("performance_due"),
        policy=ctx.policy,
    )
    return {"agreement_effective_on": effective, "follow_up_due": due}


def _setting(**values: Any) -> Effect:
    return lambda _ctx: dict(values)


# --- the entries ----------------------------------------------------------------------------------
_ENTRIES: tuple[Trigger, ...] = (
    Trigger(
        "accept",
        _("受理"),
        (S.REGISTERED,),
        to(S.ACCEPTED),
        by=frozenset({STAFF}),
        fields=(
            Field("severity", _("调整严重程度"), "choice", required=False, choices=SEVERITIES),
            Field("override_reason", _("调整理由"), "textarea", required=False, max_length=1000),
            NOTE,
        ),
        guards=(g.override_has_reason,),
        effect=_accept,
        step=MAIN,
    ),
    Trigger(
        "reject",
        _("不予受理"),
        (S.REGISTERED,),
        to(S.NOT_ACCEPTED),
        by=frozenset({STAFF}),
        fields=(
            Field("reason_code", _("不予受理理由"), "choice", choices=REJECT_REASONS),
            Field("route_told", _("告知的解决途径"), "textarea", max_length=1000),
            NOTE,
        ),
        step=END,
    ),
    Trigger(
        "assign",
        _("指派"),
        (S.ACCEPTED,),
        to(S.ASSIGNED),
        by=frozenset({STAFF}),
        fields=(Field("assignee_id", _("承办人"), "user"), NOTE),
        guards=(g.assignee_fits_case,),
        effect=_assign,
        step=MAIN,
    ),
    Trigger(
        "reassign",
        _("变更承办人"),
        (S.ASSIGNED, S.MEDIATING),
        to(None),
        by=frozenset({STAFF}),
        fields=(
            Field("assignee_id", _("新承办人"), "user"),
            Field("reason_kind", _("变更原因"), "choice", choices=REASSIGN_REASONS),
            REASON,
        ),
        guards=(g.assignee_fits_case, g.assignee_changes),
        effect=_assign,
    ),
    Trigger(
        "notify_rights",
        _("告知权利义务"),
        (S.ASSIGNED,),
        to(None),
        by=frozenset({ASSIGNEE}),
        fields=(
            Field("method", _("告知方式"), "choice", choices=NOTICE_METHODS),
            Field("notified_on", _("告知日期"), "date"),
            NOTE,
        ),
        guards=(g.happened("notified_on", _("告知日期")),),
        effect=_setting(rights_notified=True),
        step=MAIN,
        expected=lambda facts: not facts.rights_notified,
    ),
    Trigger(
        "record_refusal",
        _("记录拒绝调解"),
        (S.ASSIGNED,),
        to(None),
        by=frozenset({ASSIGNEE}),
        fields=(Field("who", _("拒绝方"), "choice", choices=WHO), REASON),
        effect=_setting(refusal_recorded=True),
    ),
    Trigger(
        "start_mediation",
        _("开始调解"),
        (S.ASSIGNED,),
        to(S.MEDIATING),
        by=frozenset({ASSIGNEE}),
        fields=(NOTE,),
        guards=(g.has_rights_notice, g.has_no_recorded_refusal),
        effect=_setting(mediation_started=True),
        step=MAIN,
    ),
    Trigger(
        "record_session",
        _("记录调解"),
        (S.MEDIATING,),
        to(None),
        by=frozenset({ASSIGNEE}),
        fields=(
            Field("held_on", _("调解日期"), "date"),
            Field("place", _("调解地点"), max_length=200),
            Field("attendees", _("参加人员"), "textarea", max_length=1000),
            Field("summary", _("调解情况"), "textarea", max_length=5000),
            Field("kind", _("调解方式"), "choice", choices=SESSION_KINDS),
        ),
        guards=(g.happened("held_on", _("调解日期")),),
        step=MAIN,
    ),
    Trigger(
        "escalate",
        _("上报上一级"),
        (S.ASSIGNED, S.MEDIATING),
        to(S.ACCEPTED),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(REASON,),
        guards=(g.below_judge,),
        effect=_escalate,
    ),
    Trigger(
        "delegate",
        _("交由下一级"),
        (S.ACCEPTED, S.ASSIGNED),
        to(S.ACCEPTED),
        by=frozenset({CASE_JUDGE}),
        fields=(REASON,),
        guards=(g.judge_tier,),
        effect=_delegate,
    ),
    Trigger(
        "record_agreement",
        _("记录调解协议"),
        (S.MEDIATING,),
        to(S.AGREED),
        by=frozenset({ASSIGNEE}),
        fields=AGREEMENT_FIELDS,
        guards=(
            g.agreement_complete(AGREEMENT_FIELDS),
            g.happened("effective_on", _("生效日期")),
            g.due_not_before_effective,
        ),
        effect=_agree,
        step=MAIN,
    ),
    Trigger(
        "record_judicial_confirmation",
        _("记录司法确认"),
        (S.AGREED,),
        to(None),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(
            Field("joint", _("双方共同申请"), "bool"),
            Field("applied_on", _("申请日期"), "date"),
            Field("court", _("受理法院"), max_length=200),
            Field("result", _("确认结果"), "choice", choices=CONFIRMATION_RESULTS),
            NOTE,
        ),
        guards=(
            g.not_yet_confirmed,
            g.applied_jointly,
            g.happened("applied_on", _("申请日期")),
            g.within_confirmation_window,
        ),
    ),
    Trigger(
        "follow_up",
        _("回访"),
        (S.AGREED,),
        (
            Branch(S.CLOSED, (g.performed, g.file_complete(CLOSE_WRITTEN))),
            Branch(S.DEFAULTED, (g.not_performed,)),
        ),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(
            Field("visited_on", _("回访日期"), "date"),
            Field("method", _("回访方式"), "choice", choices=FOLLOW_UP_METHODS),
            Field("performed", _("协议已履行"), "bool", required=False),
            Field("satisfaction", _("当事人满意度"), "choice", choices=SATISFACTION),
            Field("notes", _("回访情况"), "textarea", max_length=2000),
        ),
        guards=(g.happened("visited_on", _("回访日期")),),
        effect=_file_left(CLOSE_WRITTEN),
        step=MAIN,
    ),
    Trigger(
        "remediate",
        _("重新调解"),
        (S.DEFAULTED,),
        to(S.MEDIATING),
        by=frozenset({ASSIGNEE}),
        fields=(Field("consent", _("双方当事人同意重新调解"), "bool"), NOTE),
        guards=(g.both_parties_consent,),
        effect=_setting(mediation_started=True),
        step=MAIN,
    ),
    Trigger(
        "terminate",
        _("终止调解"),
        (S.ASSIGNED, S.MEDIATING, S.DEFAULTED),
        to(S.TERMINATED, g.file_complete(TERMINATE)),
        by=frozenset({ASSIGNEE}),
        fields=(
            REASON,
            Field("notice_given", _("已告知当事人可依法通过仲裁、行政、司法等途径解决（法 §26）"), "bool"),
            Field("route_told", _("告知的途径"), "textarea", max_length=1000),
        ),
        guards=(g.parties_told_route,),
        effect=_file_left(TERMINATE),
        step=END,
    ),
    Trigger(
        "withdraw",
        _("撤回"),
        (S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING),
        to(S.WITHDRAWN),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(
            Field("kind", _("情形"), "choice", choices=WITHDRAW_KINDS),
            Field("who", _("提出方"), "choice", choices=WHO),
            REASON,
        ),
        step=END,
    ),
    Trigger(
        "flag_risk",
        _("调整激化风险"),
        OPEN,
        to(None),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(
            Field("level", _("风险等级"), "choice", choices=RISK_LEVELS),
            Field("reported_to", _("已报告的单位（公安/有关部门）"), required=False, max_length=200),
            Field("reported_on", _("报告日期"), "date", required=False),
            NOTE,
        ),
        guards=(g.red_risk_reported, g.risk_level_changes, g.happened("reported_on", _("报告日期"))),
        effect=_flag,
    ),
    Trigger(
        "extend_deadline",
        _("延长调解期限"),
        (S.ACCEPTED, S.ASSIGNED, S.MEDIATING),
        to(None),
        by=frozenset({STAFF, ASSIGNEE}),
        fields=(Field("consent", _("双方当事人同意延长"), "bool"), NOTE),
        guards=(g.both_parties_consent,),
        effect=_extend,
    ),
)


class Triggers:
    """The entries by name, in declaration order."""

    def __init__(self, entries: tuple[Trigger, ...]) -> None:
        self._by_name = {t.name: t for t in entries}

    def __getitem__(self, name: str) -> Trigger:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Trigger]:
        return iter(self._by_name.values())

    def get(self, name: str) -> Trigger | None:
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def fired_by(self, who: str) -> tuple[str, ...]:
        """The triggers that ``who`` (staff, assignee, case_judge) may fire."""
        return tuple(t.name for t in self if who in t.by)


TRIGGERS = Triggers(_ENTRIES)

# The states from which some trigger reads the case's signed papers (its file_complete guard, whose
# ending effect reads the same): in any other state a service need not read them for the engine.
PAPER_STATES: frozenset[State] = frozenset(
    source
    for t in TRIGGERS
    if any(guard.name == g.FILE_COMPLETE for branch in t.branches for guard in t.all_guards(branch))
    for source in t.sources
)

# Triggers that record who holds a case (statistics follow the assignee through them).
HOLDER_TRIGGERS: tuple[str, ...] = tuple(
    t.name
    for t in TRIGGERS
    if any(f.name == "assignee_id" for f in t.fields) or t.name in ("escalate", "delegate")
)
__all__ = ["END", "MAIN", "SIDE", "TRIGGERS", "Branch", "Field", "Trigger"]
