"""The API's request and response models; the OpenAPI document is built from them.

The intake body is services.inputs.IntakeInput (the form's and the service's own) plus the client's
reference. A trigger's data is described by a schema generated from its declaration (workflow.triggers:
``fields``) and checked by the engine itself when the trigger fires (state, who, then
``workflow.fields.clean``, then the guards, in the engine's order): no field of a trigger is written out
twice, and no check of one is made twice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from api.problems import MODELS
from services.inputs import MAX_ID, IntakeInput
from workflow import TRIGGERS, RiskLevel, Severity, State, Tier
from workflow.fields import MAX_AMOUNT
from workflow.fields import Field as SpecField
from workflow.text import N_

MONTH_PATTERN = r"^\d{4}-\d{2}$"


def _known(model: type[BaseModel]) -> type[BaseModel]:
    MODELS[model.__name__] = model
    return model


# --- requests -------------------------------------------------------------------------------------
class CaseIntake(IntakeInput):
    """登记纠纷：与网页登记表相同的内容，另加本系统之外的编号（同一编号只登记一次）。"""

    external_ref: str = Field(
        title=N_("外部编号"),
        min_length=1,
        max_length=100,
        description="发送方自己的编号：同一编号、同一内容再次提交时返回原案件；内容不同则 409",
    )


class CasePath(BaseModel):
    case_id: int = Field(ge=1, description="案件 id")


class CaseQuery(BaseModel):
    """案件列表的筛选（与网页列表相同），按登记先后倒序，游标分页。"""

    model_config = ConfigDict(extra="ignore")

    state: State | None = Field(None, title=N_("状态"))
    tier: Tier | None = Field(None, title=N_("层级"))
    severity: Severity | None = Field(None, title=N_("严重程度"))
    category: str | None = Field(None, title=N_("纠纷类型"), max_length=20)
    community_id: int | None = Field(None, title=N_("社区"), ge=1, le=MAX_ID)
    assignee_id: int | None = Field(None, title=N_("承办人"), ge=1, le=MAX_ID)
    overdue: bool = Field(False, title=N_("只看超期"))
    month: str | None = Field(None, title=N_("受理月份"), pattern=MONTH_PATTERN)
    q: str | None = Field(None, title=N_("搜索"), max_length=60)
    cursor: str | None = Field(None, title=N_("游标"), max_length=40, description="上一页的 next_cursor")
    limit: int = Field(50, title=N_("每页条数"), ge=1, le=200)


class EventQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    after: int = Field(0, title=N_("起点"), ge=0, le=MAX_ID, description="只要 id 大于它的事件；从 0 开始")
    limit: int = Field(500, title=N_("条数"), ge=1, le=1000)


class StatsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    month: str = Field(title=N_("统计月份"), pattern=MONTH_PATTERN, description="YYYY-MM")
    community: str | None = Field(
        None, title=N_("社区简称"), max_length=20, description="不填：客户端的全部社区"
    )


class TriggerBody(BaseModel):
    """Base of the generated bodies: the case version the client saw, and the trigger's data."""

    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(
        title=N_("案件版本"), ge=1, le=MAX_ID, description="GET /cases/{id} 的 version"
    )


_KINDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "text": (str, {}),
    "textarea": (str, {}),
    "date": (date, {}),
    "int": (int, {"ge": 0, "le": MAX_ID}),
    "user": (int, {"ge": 0, "le": MAX_ID}),
    "money": (Decimal, {"ge": 0, "le": MAX_AMOUNT}),
    "bool": (bool, {}),
    "choice": (str, {}),
}


def _field(spec: SpecField) -> tuple[Any, Any]:
    kind, limits = _KINDS[spec.kind]
    extra: dict[str, Any] = dict(limits)
    if spec.kind in ("text", "textarea"):
        extra["max_length"] = spec.max_length
    schema_extra: dict[str, Any] = {}
    if spec.kind == "choice":
        schema_extra["enum"] = [value for value, _label in spec.choices]
    description = "；".join(f"{v}：{label}" for v, label in spec.choices) if spec.choices else None
    if spec.required_when:
        other, value = spec.required_when
        description = f"{other} 为 {value} 时必填"
    if spec.always_required:
        return kind, Field(
            title=str(spec.label), description=description, json_schema_extra=schema_extra, **extra
        )
    return kind | None, Field(
        None, title=str(spec.label), description=description, json_schema_extra=schema_extra, **extra
    )


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


@cache
def trigger_body(name: str) -> type[TriggerBody]:
    """The request body of one trigger, from its declaration (``TRIGGERS[name].fields``)."""
    trigger = TRIGGERS[name]
    described = create_model(  # type: ignore[call-overload]
        f"{_camel(name)}Data",
        __doc__=f"{trigger.label}：所填内容（由执行时的流程引擎检查）",
        **{f.name: _field(f) for f in trigger.fields},
    )
    data = Annotated[dict[str, Any], WithJsonSchema(described.model_json_schema())]
    body = create_model(
        f"{_camel(name)}Request",
        __base__=TriggerBody,
        __doc__=f"{trigger.label}（{name}）",
        data=(data, Field(default_factory=dict, title=N_("所填内容"))),
    )
    return _known(body)  # type: ignore[return-value]


# --- responses ------------------------------------------------------------------------------------
class PartyOut(BaseModel):
    role: str = Field(description="applicant 申请人 | respondent 被申请人")
    name: str
    phone: str = Field(description="按本客户端的权限，完整或脱敏（138****5678）")
    id_number: str = Field(description="按本客户端的权限，完整或脱敏")
    address_xiaoqu: str
    address_building: str
    address_room: str


class CommunityOut(BaseModel):
    id: int
    name: str
    short_name: str


class EventOut(BaseModel):
    id: int
    case_id: int
    community_id: int
    trigger: str = Field(description="操作（register 为登记）")
    label: str
    from_state: State | None
    to_state: State
    actor_id: int | None
    actor: str | None = Field(description="操作人（接口客户端为“接口：名称”）")
    at: datetime
    note: str
    data: dict[str, Any]


class TriggerOut(BaseModel):
    trigger: str
    label: str
    allowed: bool = Field(description="本客户端现在能否执行")
    reason: str | None = Field(description="不能执行的原因")
    expected: bool = Field(description="案件正在等待的步骤")


class CaseOut(BaseModel):
    id: int
    number: str | None = Field(description="案号（受理后才有）")
    state: State
    state_label: str
    version: int = Field(description="作为 expected_version 提交")
    community: CommunityOut
    category: str
    source: str
    facts: str
    claimed_amount: str | None = Field(description="元，两位小数")
    people_involved: int
    injury: bool
    risk_level: RiskLevel
    reported_to: str | None
    severity: Severity = Field(description="现行严重程度（受理时可调整）")
    severity_computed: Severity
    triage_reasons: str
    tier: Tier | None
    assignee_id: int | None
    deadline: date | None
    registered_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    pii_masked: bool = Field(description="当事人的电话和身份证号是否已脱敏")
    parties: list[PartyOut]


class CaseDetail(CaseOut):
    events: list[EventOut]
    triggers: list[TriggerOut] = Field(description="此状态下的每个操作：本客户端现在能否执行，不能的原因")


class CaseList(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None = Field(description="下一页的 cursor；null 表示已是最后一页")


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: int = Field(description="下次请求的 after（没有新事件时不变）")
    has_more: bool


class FigureOut(BaseModel):
    key: str
    label: str
    unit: str
    current: int | float | None
    previous: int | float | None
    mom: float | None = Field(description="环比（%，比率为百分点）")
    last_year: int | float | None
    yoy: float | None = Field(description="同比（%，比率为百分点）")


class BreakdownOut(BaseModel):
    key: str
    label: str
    accepted: int
    success: int
    failure: int
    success_rate: float | None


class WorkloadOut(BaseModel):
    user_id: int
    name: str
    roles: str
    open_at_end: int
    agreed: int
    sessions: int


class MonthlyStats(BaseModel):
    scope: str
    scope_label: str
    month: str
    kept_at: datetime | None = Field(description="已定稿月份的定稿时间")
    summary: list[FigureOut]
    categories: list[BreakdownOut]
    sources: list[BreakdownOut]
    tiers: list[BreakdownOut]
    communities: list[BreakdownOut]
    workload: list[WorkloadOut]


class WorkflowOut(BaseModel):
    initial: str
    states: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    guards: dict[str, str]
    fired_by: dict[str, str]


for _model in (CaseIntake, CasePath, CaseQuery, EventQuery, StatsQuery, TriggerBody):
    _known(_model)
