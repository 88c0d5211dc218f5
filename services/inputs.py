"""What intake takes: a complaint and its parties, as pydantic models — the one validation of intake data.

The web form's service call, the API's request body and ``services.cases.intake`` all go through these
models, so each check of intake data exists once, with the message people read. What needs the
database (the category and source lists, the community, who may register) is checked by
``services.cases.intake``. ``problems()`` turns a ValidationError into (code, field, message) triples:
the codes are stable (the API returns them), the messages Chinese (translated when shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from services import clock
from services.errors import Invalid
from services.validation import id_number_problem, is_mobile
from workflow import RiskLevel, TriageFacts
from workflow.fields import MAX_AMOUNT, MAX_INT
from workflow.text import N_, _, say, translate
from workflow.triggers import PARTY_ROLES

MAX_PARTIES = 20
MAX_PEOPLE = 100_000
MAX_ID = MAX_INT  # an id, as the database stores it
CENT = Decimal("0.01")
ROLE_VALUES = tuple(value for value, _label in PARTY_ROLES)


class _Input(BaseModel):
    """Strings stripped, unknown keys refused, and an instance passed to a service is checked again."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", revalidate_instances="always")

    def __init__(self, *args: Any, **values: Any) -> None:
        """Positional arguments in field order are taken too (the dataclasses these replace took them)."""
        values.update(zip(type(self).model_fields, args, strict=False))
        super().__init__(**values)


def _fail(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, "{message}", {"message": message})


class PartyInput(_Input):
    """One party: an applicant (申请人) or a respondent (被申请人), with an address down to the room."""

    role: str = Field(title=N_("身份"), json_schema_extra={"enum": list(ROLE_VALUES)})
    name: str = Field(title=N_("姓名"), min_length=1, max_length=50)
    phone: str = Field("", title=N_("手机号码"), max_length=20, description="11 位大陆手机号码，可留空")
    id_number: str = Field(
        "",
        title=N_("身份证号码"),
        description="18 位居民身份证号码，可留空",
        json_schema_extra={"maxLength": 18},
    )
    address_xiaoqu: str = Field("", title=N_("小区"), max_length=100)
    address_building: str = Field("", title=N_("楼栋"), max_length=50)
    address_room: str = Field("", title=N_("室"), max_length=20)

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLE_VALUES:
            raise _fail("bad_choice", say("选项无效，请重新选择。"))
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not is_mobile(value):
            raise _fail("bad_phone", say("手机号码格式不正确：须为 11 位大陆手机号码。"))
        return value

    @field_validator("id_number", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        problem = id_number_problem(value, clock.local_date()) if value else None
        if problem:
            raise _fail("bad_id_number", problem)
        return value


class IntakeInput(_Input):
    """A complaint as registered (登记纠纷): where, what kind, from where, the facts, the parties."""

    community_id: int = Field(title=N_("社区"), ge=1, le=MAX_ID)
    category: str = Field(title=N_("纠纷类型"), min_length=1, max_length=20, description="启用的纠纷类型名称")
    source: str = Field(title=N_("案件来源"), min_length=1, max_length=20, description="启用的案件来源名称")
    facts: str = Field(title=N_("纠纷简要情况"), min_length=1, max_length=5000)
    parties: list[PartyInput] = Field(title=N_("当事人"), min_length=2, max_length=MAX_PARTIES)
    claimed_amount: Decimal | None = Field(None, title=N_("争议金额（元）"), ge=0, le=MAX_AMOUNT)
    people_involved: int = Field(
        0, title=N_("涉及人数"), ge=0, le=MAX_PEOPLE, description="0：按当事人人数计"
    )
    injury: bool = Field(False, title=N_("有人身伤害需就医"))
    risk_level: RiskLevel = Field(RiskLevel.NONE, title=N_("激化风险"))
    reported_to: str = Field(
        "",
        title=N_("已报告的单位"),
        max_length=200,
        description="红色风险必填（法 §25）",
        validate_default=True,  # its check depends on the risk level, so it runs when it is left out too
    )
    place_xiaoqu: str = Field("", title=N_("小区"), max_length=100)
    place_building: str = Field("", title=N_("楼栋"), max_length=50)
    _checked: bool = PrivateAttr(False)  # passed every check (model_construct leaves it False)

    @field_validator("claimed_amount")
    @classmethod
    def _to_fen(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(CENT)

    @field_validator("parties", mode="before")
    @classmethod
    def _both_sides(cls, value: Any) -> Any:
        """Checked on what was sent, before each party is, so that it is said with the other problems."""
        if isinstance(value, list) and len(value) >= 2:  # fewer: the count is the problem
            sent = (p.get("role") if isinstance(p, dict) else getattr(p, "role", None) for p in value)
            roles = {role for role in sent if isinstance(role, str)}  # a bad role is its party's problem
            if not {"applicant", "respondent"} <= roles:
                raise _fail("parties_incomplete", say("至少须有一名申请人和一名被申请人。"))
        return value

    @field_validator("reported_to")
    @classmethod
    def _reported(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("risk_level") is RiskLevel.RED and not value:
            raise _fail("reported_to_required", say("红色风险须记录已报告的公安机关或有关部门（法 §25）。"))
        return value

    @model_validator(mode="after")
    def _whole(self) -> IntakeInput:
        self._checked = True
        return self

    @property
    def people_count(self) -> int:
        """涉及人数 as stored and graded (``people_count``)."""
        return people_count(self.people_involved, len(self.parties))

    def triage_facts(self, days_since_related_case: int | None, category_id: int | None) -> TriageFacts:
        """What triage grades this complaint on (with the days since the same parties' last case and the
        id of its category, which the policy's category rules name)."""
        return triage_facts(
            self.category,
            category_id,
            self.claimed_amount,
            self.people_involved,
            len(self.parties),
            days_since_related_case,
            injury=self.injury,
            risk_level=RiskLevel(self.risk_level),
        )


def people_count(people_involved: int, parties: int) -> int:
    """涉及人数; left at 0 it counts the parties themselves (triage and the stored figure agree)."""
    return people_involved or parties


def triage_facts(
    category: str,
    category_id: int | None,
    claimed_amount: Decimal | None,
    people_involved: int,
    parties: int,
    days_since_related_case: int | None,
    *,
    injury: bool = False,
    risk_level: RiskLevel = RiskLevel.NONE,
) -> TriageFacts:
    """What triage grades a complaint on: an intake's (``IntakeInput.triage_facts``), or a ledger row's
    (which has no model: a check of 100,000 rows would build one for each)."""
    return TriageFacts(
        category=category,
        category_id=category_id,
        claimed_amount=claimed_amount,
        injury=injury,
        people_involved=people_count(people_involved, parties),
        parties=parties,
        risk_level=risk_level,
        days_since_related_case=days_since_related_case,
    )


# Messages for a missing or blank value, an out-of-range number and an unreadable one, where the
# generic wording would read worse.
_BLANK = {
    "name": _("请填写当事人姓名。"),
    "facts": _("请填写纠纷简要情况。"),
    "category": _("请选择纠纷类型。"),
    "source": _("请选择案件来源。"),
    "community_id": _("请选择社区。"),
}
_RANGE = {
    "claimed_amount": _("争议金额须在 0 至 10 亿元之间。"),
    "people_involved": _("涉及人数须在 0 至 100000 之间。"),
    "parties": _("当事人须为 2 至 20 名。"),
}
_FORMAT = {"claimed_amount": _("请填写有效的数字金额。"), "people_involved": _("请填写整数。")}
MISSING, OUT_OF_RANGE, BAD_FORMAT = (
    _("请填写：%(label)s。"),
    _("%(label)s超出范围。"),
    _("%(label)s的格式不正确。"),
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: a stable code, the field's path (``parties.0.phone``), a message."""

    code: str
    field: str
    message: str


def problems(error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Each error of a validation, in our words."""
    return [_problem(e, model) for e in error.errors()]


def _problem(error: Any, model: type[BaseModel]) -> Problem:
    kind: str = error["type"]
    loc = [str(part) for part in error["loc"]]
    name = next((part for part in reversed(loc) if not part.isdigit()), "")
    field = ".".join(loc)
    title = _title(model, loc) or name
    ctx = error.get("ctx") or {}
    if "message" in ctx:
        if ctx.get("field"):  # a check that names its own field (workflow.fields.clean's refusals)
            field = ".".join([*loc, str(ctx["field"])])
        return Problem(kind, field, str(ctx["message"]))
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return Problem("missing_field", field, str(_BLANK.get(name, MISSING).of(label=title)))
    if kind in ("string_too_long",):
        return Problem(
            "too_long", field, say("%(label)s不能超过 %(n)s 个字。", label=title, n=ctx["max_length"])
        )
    if kind in ("enum", "literal_error"):
        return Problem("bad_choice", field, say("%(label)s的选项无效。", label=title))
    if kind in ("greater_than_equal", "less_than_equal", "too_short", "too_long", "greater_than"):
        return Problem("out_of_range", field, str(_RANGE.get(name, OUT_OF_RANGE).of(label=title)))
    if kind == "extra_forbidden":
        return Problem("unknown_field", field, say("没有这一项：%(name)s。", name=name))
    return Problem("bad_field", field, str(_FORMAT.get(name, BAD_FORMAT).of(label=title)))


def _title(model: type[BaseModel], loc: list[str]) -> str | None:
    """The title of the field at ``loc`` (walking into nested models and lists of them)."""
    current: type[BaseModel] | None = model
    title = None
    for part in loc:
        if part.isdigit():
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            return title
        title = translate(info.title) if info.title else None
        current = _model_in(info.annotation)
    return title


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def checked(data: IntakeInput) -> IntakeInput:
    """``data`` as a checked IntakeInput: as it is when it passed the checks already, else checked now
    (it may have been built without them), or Invalid with the first problem."""
    if data._checked:
        if type(data) is IntakeInput:
            return data
        plain = IntakeInput.model_construct(
            **{name: getattr(data, name) for name in IntakeInput.model_fields}
        )
        plain._checked = True
        return plain
    try:
        return IntakeInput.model_validate(data)
    except ValidationError as err:
        first = problems(err, IntakeInput)[0]
        raise Invalid(first.message, field=first.field, code=first.code) from None


def max_length(model: type[BaseModel], name: str) -> int | None:
    """The declared maximum length of a text field (forms use it for the ``maxlength`` attribute)."""
    info = model.model_fields[name]
    for meta in info.metadata:
        if getattr(meta, "max_length", None) is not None:
            return int(meta.max_length)
    extra = info.json_schema_extra
    declared = extra.get("maxLength") if isinstance(extra, dict) else None
    return declared if isinstance(declared, int) else None
