"""The triggers: their labels and the data each one asks for (forms are built from this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow.errors import Refused

# Dates outside these years are typing mistakes (0001, 9999): refused before deadlines are computed from them.
DATE_YEARS = range(1900, 2101)
YEARS_HINT = f"年份须在 {DATE_YEARS[0]} 至 {DATE_YEARS[-1]} 之间"


@dataclass(frozen=True)
class Field:
    """One piece of data a trigger asks for."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | date | int | money | bool | choice | user | level
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 500
    help: str = ""


@dataclass(frozen=True)
class TriggerSpec:
    name: str
    label: str
    label_en: str
    fields: tuple[Field, ...] = field(default=())
    note: str = ""


NOTE = Field("note", "备注", "textarea", required=False, max_length=2000)
REASON = Field("reason", "理由", "textarea", max_length=2000)

REJECT_REASONS = (
    ("reserved_by_law", "法律、法规规定只能由专门机关管辖处理"),
    ("handled_elsewhere", "已由人民法院、公安机关或其他行政机关受理或解决"),
    ("party_refuses", "一方当事人拒绝调解"),
    ("other", "其他不属于人民调解范围的情形"),
)
SATISFACTION = (("satisfied", "满意"), ("basically", "基本满意"), ("dissatisfied", "不满意"))
SESSION_KINDS = (("public", "公开调解"), ("private", "不公开调解"))
AGREEMENT_KINDS = (("written", "书面协议"), ("oral", "口头协议"))
FOLLOW_UP_METHODS = (("visit", "上门回访"), ("call", "电话回访"))
NOTICE_METHODS = (("written", "书面告知"), ("oral", "口头告知"))
REASSIGN_REASONS = (
    ("recusal", "回避（当事人对调解员提出异议）"),
    ("workload", "工作量调整"),
    ("chosen", "当事人选择"),
)
WITHDRAW_KINDS = (("withdrew", "申请人撤回申请"), ("refused", "一方当事人拒绝调解"))
WHO = (("applicant", "申请人"), ("respondent", "被申请人"))
CONFIRMATION_RESULTS = (("valid", "确认有效"), ("invalid", "确认无效/驳回"))
RISK_LEVELS = (("none", "无"), ("yellow", "黄色"), ("orange", "橙色"), ("red", "红色"))
SEVERITIES = (("", "按分级结果"), ("minor", "轻微"), ("general", "一般"), ("major", "较大"))

SPECS: dict[str, TriggerSpec] = {
    s.name: s
    for s in (
        TriggerSpec(
            "accept",
            "受理",
            "Accept",
            (
                Field("severity", "调整严重程度", "choice", required=False, choices=SEVERITIES),
                Field("override_reason", "调整理由", "textarea", required=False, max_length=1000),
                NOTE,
            ),
        ),
        TriggerSpec(
            "reject",
            "不予受理",
            "Reject",
            (
                Field("reason_code", "不予受理理由", "choice", choices=REJECT_REASONS),
                Field("route_told", "告知的解决途径", "textarea", max_length=1000),
                NOTE,
            ),
        ),
        TriggerSpec("assign", "指派", "Assign", (Field("assignee_id", "承办人", "user"), NOTE)),
        TriggerSpec(
            "reassign",
            "变更承办人",
            "Reassign",
            (
                Field("assignee_id", "新承办人", "user"),
                Field("reason_kind", "变更原因", "choice", choices=REASSIGN_REASONS),
                REASON,
            ),
        ),
        TriggerSpec(
            "notify_rights",
            "告知权利义务",
            "Record rights notice",
            (
                Field("method", "告知方式", "choice", choices=NOTICE_METHODS),
                Field("notified_on", "告知日期", "date"),
                NOTE,
            ),
        ),
        TriggerSpec(
            "record_refusal",
            "记录拒绝调解",
            "Record refusal",
            (Field("who", "拒绝方", "choice", choices=WHO), REASON),
        ),
        TriggerSpec("start_mediation", "开始调解", "Start mediation", (NOTE,)),
        TriggerSpec(
            "record_session",
            "记录调解",
            "Record session",
            (
                Field("held_on", "调解日期", "date"),
                Field("place", "调解地点", max_length=200),
                Field("attendees", "参加人员", "textarea", max_length=1000),
                Field("summary", "调解情况", "textarea", max_length=5000),
                Field("kind", "调解方式", "choice", choices=SESSION_KINDS),
            ),
        ),
        TriggerSpec("escalate", "上报上一级", "Escalate", (REASON,)),
        TriggerSpec("delegate", "交由下一级", "Delegate", (REASON,)),
        TriggerSpec(
            "record_agreement",
            "记录调解协议",
            "Record agreement",
            (
                Field("kind", "协议形式", "choice", choices=AGREEMENT_KINDS),
                Field("effective_on", "生效日期", "date"),
                Field(
                    "facts", "纠纷主要事实、争议事项及各方责任", "textarea", required=False, max_length=5000
                ),
                Field("terms", "达成协议的内容", "textarea", required=False, max_length=5000),
                Field("performance", "履行方式、地点、期限", "textarea", required=False, max_length=2000),
                Field("performance_due", "履行期限", "date", required=False),
                Field("amount", "协议金额（元）", "money", required=False),
                Field("content", "口头协议内容", "textarea", required=False, max_length=5000),
            ),
        ),
        TriggerSpec(
            "record_judicial_confirmation",
            "记录司法确认",
            "Record judicial confirmation",
            (
                Field("joint", "双方共同申请", "bool"),
                Field("applied_on", "申请日期", "date"),
                Field("court", "受理法院", max_length=200),
                Field("result", "确认结果", "choice", choices=CONFIRMATION_RESULTS),
                NOTE,
            ),
        ),
        TriggerSpec(
            "follow_up",
            "回访",
            "Follow up",
            (
                Field("visited_on", "回访日期", "date"),
                Field("method", "回访方式", "choice", choices=FOLLOW_UP_METHODS),
                Field("performed", "协议已履行", "bool", required=False),
                Field("satisfaction", "当事人满意度", "choice", choices=SATISFACTION),
                Field("notes", "回访情况", "textarea", max_length=2000),
            ),
        ),
        TriggerSpec(
            "remediate",
            "重新调解",
            "Mediate again",
            (Field("consent", "双方当事人同意重新调解", "bool"), NOTE),
        ),
        TriggerSpec(
            "terminate",
            "终止调解",
            "Terminate",
            (
                REASON,
                Field("notice_given", "已告知当事人可依法通过仲裁、行政、司法等途径解决（法 §26）", "bool"),
                Field("route_told", "告知的途径", "textarea", max_length=1000),
            ),
        ),
        TriggerSpec(
            "withdraw",
            "撤回",
            "Withdraw",
            (
                Field("kind", "情形", "choice", choices=WITHDRAW_KINDS),
                Field("who", "提出方", "choice", choices=WHO),
                REASON,
            ),
        ),
        TriggerSpec(
            "flag_risk",
            "调整激化风险",
            "Change risk level",
            (
                Field("level", "风险等级", "choice", choices=RISK_LEVELS),
                Field("reported_to", "已报告的单位（公安/有关部门）", required=False, max_length=200),
                Field("reported_on", "报告日期", "date", required=False),
                NOTE,
            ),
        ),
        TriggerSpec(
            "extend_deadline",
            "延长调解期限",
            "Extend deadline",
            (Field("consent", "双方当事人同意延长", "bool"), NOTE),
        ),
    )
}


def clean_data(trigger: str, raw: dict[str, Any] | None) -> dict[str, Any]:
    """Typed values for the trigger's fields, or Refused naming the first bad field."""
    spec = SPECS[trigger]
    raw = raw or {}
    out: dict[str, Any] = {}
    for f in spec.fields:
        out[f.name] = _clean_field(f, raw.get(f.name))
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_field(f: Field, value: Any) -> Any:
    if f.kind == "bool":
        parsed = value in (True, "y", "yes", "on", "true", "1", 1)
        if f.required and not parsed:
            raise Refused("missing_field", f"请确认：{f.label}。", field=f.name)
        return parsed
    if _blank(value):
        if f.required:
            raise Refused("missing_field", f"请填写：{f.label}。", field=f.name)
        return None
    try:
        return _parse(f, value)
    except (ValueError, InvalidOperation, TypeError):
        raise Refused("bad_field", f"{f.label}的格式不正确。", field=f.name) from None


def _parse(f: Field, value: Any) -> Any:
    if f.kind in ("text", "textarea"):
        text = str(value).strip()
        if len(text) > f.max_length:
            raise Refused("too_long", f"{f.label}不能超过 {f.max_length} 个字。", field=f.name)
        return text
    if f.kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        if day.year not in DATE_YEARS:
            raise Refused("bad_date", f"{f.label}超出范围：{YEARS_HINT}。", field=f.name)
        return day
    if f.kind in ("int", "user"):
        number = int(value)
        if number < 0:
            raise ValueError(value)
        return number
    if f.kind == "money":
        amount = Decimal(str(value))
        if not amount.is_finite() or not 0 <= amount <= Decimal("1000000000"):
            raise ValueError(value)
        return amount.quantize(Decimal("0.01"))
    if f.kind == "choice":
        keys = {k for k, _ in f.choices}
        if str(value) not in keys:
            raise Refused("bad_choice", f"{f.label}的选项无效。", field=f.name)
        return str(value) or None
    raise ValueError(f.kind)


def to_json(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned data as JSON-ready values (dates ISO, amounts as strings), blanks dropped."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out
