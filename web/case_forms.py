"""Forms of the case pages: intake, and one form per workflow trigger built from its spec."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape
from pydantic import BaseModel
from pydantic import ValidationError as InputError
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput, Select

from models import User
from services import clock
from services.inputs import MAX_PARTIES, IntakeInput, PartyInput, Problem, max_length, problems
from web.base_form import SiteForm
from web.catalog import lazy_gettext as _l
from web.catalog import lazy_pgettext
from workflow import RiskLevel
from workflow.fields import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT
from workflow.fields import Field as SpecField
from workflow.text import say
from workflow.triggers import PARTY_ROLES, TRIGGERS, Trigger

RISK_CHOICES = tuple((r.value, r.label) for r in RiskLevel)


def options(pairs: Iterable[tuple[Any, Any]], *, keep: bool = False) -> list[SelectChoice]:
    """Select options from (value, label) pairs; ``keep``: labels people typed (names, categories),
    marked so the English page test leaves them alone."""
    render_kw = {"data-i18n-keep": True} if keep else {}
    return [SelectChoice(str(value), label, render_kw=dict(render_kw)) for value, label in pairs]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class FastSelect(Select):
    """WTForms' select, its plain options written directly: the same HTML as ``Select.render_option``
    (attributes in its sorted order), without its generic attribute writer for every option."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        value = choice.value
        if kwargs or choice.render_kw or value is None:
            return super().render_option(choice, **kwargs)  # type: ignore[no-any-return]
        shown = escape(str(value) if isinstance(value, bool) else value)
        label = str(choice.label) if choice.label is not None else ""  # a label read once (it is translated)
        label = escape(label or value)
        return Markup(f'<option{" selected" if choice.selected else ""} value="{shown}">{label}</option>')

    @classmethod
    def _dispatch_render_option(cls) -> Any:
        """``render_option`` has WTForms' own signature: no need to inspect it for every select written."""
        return cls.render_option


class ChoiceField(SelectField):
    """A select whose bad or forged values get a message of ours (in the page's language)."""

    widget = FastSelect()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError):
                self.data = None
                raise ValueError(gettext("选项无效，请重新选择。")) from None

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, "") and not self.flags.required:
            return
        allowed = {self.coerce(value) for value, *_ in (self.choices or []) if value not in ("", None)}
        if self.data not in allowed:
            raise ValidationError(gettext("选项无效，请重新选择。"))


class _PlainMessage:
    """A field whose unparsable input gets ``invalid`` (ours, translated) instead of the library's message."""

    invalid: Any = ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid)) from None


class CnDateField(_PlainMessage, DateField):
    """A date; years outside FIRST_YEAR..LAST_YEAR are typing mistakes, refused before any date arithmetic."""

    invalid = _l("日期格式不正确，请按“年-月-日”填写。")

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(say("日期超出范围（%(first)s–%(last)s 年）。", first=FIRST_YEAR, last=LAST_YEAR))


class CnDecimalField(_PlainMessage, DecimalField):
    """An amount; NaN and infinities are not numbers a user means."""

    invalid = _l("请填写有效的数字金额。")

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid)


class CnIntegerField(_PlainMessage, IntegerField):
    invalid = _l("请填写整数。")


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


def length(label: Any, max_length: int) -> Length:
    return Length(max=max_length, message=_l("%(label)s不能超过 %(n)s 个字。", label=label, n=max_length))


# --- intake -------------------------------------------------------------------------------------


class Marks:
    """Sets a field's HTML attributes (required, maxlength) from the intake model's declaration; the
    checks themselves are the model's (services.inputs), so none is repeated here."""

    def __init__(self, model: type[BaseModel], name: str, *, required: bool = False) -> None:
        self.field_flags: dict[str, Any] = {"required": True} if required else {}
        limit = max_length(model, name)
        if limit is not None:
            self.field_flags["maxlength"] = limit

    def __call__(self, form: Any, field: Field) -> None:
        return None


def _text(cls: type[Field], label: Any, model: type[BaseModel], name: str, *, required: bool = False) -> Any:
    filters = [_upper] if name == "id_number" else [_strip]
    return cls(label, filters=filters, validators=[Marks(model, name, required=required)])


class PartyForm(Form):
    """One party; a plain Form (the outer form carries the CSRF token)."""

    role = ChoiceField(_l("身份"), choices=options(PARTY_ROLES), default="applicant")
    name = _text(StringField, _l("姓名"), PartyInput, "name", required=True)
    phone = _text(StringField, _l("手机号码"), PartyInput, "phone")
    id_number = _text(StringField, _l("身份证号码"), PartyInput, "id_number")
    address_xiaoqu = _text(StringField, _l("小区"), PartyInput, "address_xiaoqu")
    address_building = _text(StringField, _l("楼栋"), PartyInput, "address_building")
    address_room = _text(StringField, _l("室"), PartyInput, "address_room")


class IntakeForm(SiteForm):
    """The intake page's form: it reads what was typed; ``validate`` checks it with services.inputs."""

    community_id = ChoiceField(
        lazy_pgettext("one", "社区"), coerce=_optional_int, validators=[InputRequired(_l("请选择社区。"))]
    )
    category = ChoiceField(
        lazy_pgettext("one", "纠纷类型"), validators=[InputRequired(_l("请选择纠纷类型。"))]
    )
    source = ChoiceField(_l("案件来源"), validators=[InputRequired(_l("请选择案件来源。"))])
    facts = _text(TextAreaField, _l("纠纷简要情况"), IntakeInput, "facts", required=True)
    claimed_amount = CnDecimalField(_l("争议金额（元）"), places=2, validators=[Optional()])
    people_involved = CnIntegerField(_l("涉及人数"), default=0, validators=[Optional()])
    injury = BooleanField(_l("有人身伤害需就医"))
    risk_level = ChoiceField(_l("激化风险"), choices=options(RISK_CHOICES), default="none")
    reported_to = _text(StringField, _l("已报告的单位（红色风险必填）"), IntakeInput, "reported_to")
    place_xiaoqu = _text(StringField, _l("纠纷发生地：小区"), IntakeInput, "place_xiaoqu")
    place_building = _text(StringField, _l("纠纷发生地：楼栋"), IntakeInput, "place_building")
    parties = FieldList(FormField(PartyForm), min_entries=2, max_entries=MAX_PARTIES)
    add_party = SubmitField(_l("添加当事人"))
    submit = SubmitField(_l("登记"))
    checked: IntakeInput | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        """What was typed, read by the fields, then checked by the intake model; each problem is shown
        beside its field (once: a field the form already refused keeps that message)."""
        ok = super().validate(extra_validators)
        try:
            self.checked = IntakeInput(**self._values())
        except InputError as err:
            self.show(problems(err, IntakeInput))
            return False
        return ok

    def show(self, found: Iterable[Problem]) -> None:
        """Put each problem beside the field its path names, else above the form."""
        for problem in found:
            field = self._field_at(problem.field)
            if field is None:
                if problem.message not in self.form_errors:
                    self.form_errors.append(problem.message)
            elif not field.errors:
                field.errors = [problem.message]

    def _field_at(self, path: str) -> Field | None:
        parts = path.split(".")
        if parts[0] == "parties" and len(parts) == 3 and parts[1].isdigit():
            entries = self.parties.entries
            index = int(parts[1])
            return (
                entries[index].form[parts[2]]
                if index < len(entries) and parts[2] in entries[index].form
                else None
            )
        if len(parts) == 1 and parts[0] in self and parts[0] != "parties":
            return self[parts[0]]
        return None

    def _values(self) -> dict[str, Any]:
        return {
            "community_id": self.community_id.data or 0,
            "category": self.category.data or "",
            "source": self.source.data or "",
            "facts": self.facts.data or "",
            "parties": [
                {name: e.form[name].data or "" for name in PartyInput.model_fields} for e in self.parties
            ],
            "claimed_amount": self.claimed_amount.data,
            "people_involved": self.people_involved.data or 0,
            "injury": bool(self.injury.data),
            "risk_level": self.risk_level.data or "none",
            "reported_to": self.reported_to.data or "",
            "place_xiaoqu": self.place_xiaoqu.data or "",
            "place_building": self.place_building.data or "",
        }

    def to_input(self) -> IntakeInput:
        """The checked input (after ``validate``)."""
        assert self.checked is not None
        return self.checked


def intake_form(
    *,
    communities: Iterable[tuple[int, str]],
    categories: Sequence[str],
    sources: Sequence[str],
    formdata: Any = None,
) -> IntakeForm:
    """The intake form with this user's communities and the vocabulary's lists."""
    if formdata is None:
        form = IntakeForm(formdata=None, data={"parties": [{"role": "applicant"}, {"role": "respondent"}]})
    else:
        form = IntakeForm(formdata=formdata)
    form.community_id.choices = options([("", gettext("请选择社区"))]) + options(communities, keep=True)
    form.category.choices = options([("", gettext("请选择纠纷类型"))]) + options(
        ((c, c) for c in categories), keep=True
    )
    form.source.choices = options(((s, s) for s in sources), keep=True)
    return form


# --- triggers -----------------------------------------------------------------------------------


class TriggerForm(SiteForm):
    """Base of the generated trigger forms: the case version the user saw rides along."""

    version = CnIntegerField(
        widget=HiddenInput(), validators=[InputRequired(_l("表单已过期，请刷新页面后重试。"))]
    )
    trigger_name: str = ""

    @property
    def spec(self) -> Trigger:
        return TRIGGERS[self.trigger_name]

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then the ones required by another field's value (§29 contents)."""
        ok = super().validate(extra_validators)
        values = {f.name: self[f.name].data for f in self.spec.fields}
        for f in self.spec.fields:
            if f.required_when and f.required_for(values) and _blank(values[f.name]):
                other, value = f.required_when
                because = self.spec.field(other).choice_label(value)
                self[f.name].errors = [
                    *self[f.name].errors,
                    _l("%(because)s须填写：%(label)s。", because=because, label=f.label),
                ]
                ok = False
        return ok

    def payload(self) -> dict[str, Any]:
        """The trigger's fields, typed, for services.cases.apply."""
        return {f.name: _value(self[f.name].data) for f in self.spec.fields}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(data: Any) -> Any:
    if isinstance(data, str):
        return data.strip()
    return data


def _field(trigger: str, spec: SpecField) -> Field:
    """A WTForms field for one of the trigger's fields (``required_when`` ones: see TriggerForm)."""
    label = spec.label
    ident = f"{trigger}-{spec.name}"
    required = spec.always_required
    kw: dict[str, Any] = {"id": ident}
    if spec.required_when:
        other, value = spec.required_when
        kw["render_kw"] = {"data-required-when": f"{trigger}-{other}={value}"}
        # the label itself (a Text), put in words when the form is shown: the field is built once
        choice = dict(TRIGGERS[trigger].field(other).choices).get(value, value)
        kw["description"] = _l("（%(choice)s必填）", choice=choice)
    if spec.kind in ("text", "textarea"):
        need = [DataRequired(_l("请填写：%(label)s。", label=label))] if required else [Optional()]
        cls = StringField if spec.kind == "text" else TextAreaField
        return cls(label, filters=[_strip], validators=[*need, length(label, spec.max_length)], **kw)
    if spec.kind == "date":
        need = [InputRequired(_l("请填写：%(label)s。", label=label))] if required else [Optional()]
        return CnDateField(label, validators=need, default=clock.local_date if required else None, **kw)
    if spec.kind == "money":
        need = [InputRequired(_l("请填写：%(label)s。", label=label))] if required else [Optional()]
        rng = NumberRange(min=0, max=MAX_AMOUNT, message=_l("%(label)s须在 0 至 10 亿元之间。", label=label))
        return CnDecimalField(label, places=2, validators=[*need, rng], **kw)
    if spec.kind == "int":
        need = [InputRequired(_l("请填写：%(label)s。", label=label))] if required else [Optional()]
        rng = NumberRange(min=0, message=_l("%(label)s不能为负数。", label=label))
        return CnIntegerField(label, validators=[*need, rng], **kw)
    if spec.kind == "bool":
        need = [DataRequired(_l("请确认：%(label)s。", label=label))] if required else []
        return BooleanField(label, validators=need, **kw)
    if spec.kind == "choice":
        need = [InputRequired(_l("请选择：%(label)s。", label=label))] if required else [Optional()]
        return ChoiceField(label, choices=options(spec.choices), validators=need, **kw)
    if spec.kind == "user":
        need = [InputRequired(_l("请选择：%(label)s。", label=label))] if required else [Optional()]
        return ChoiceField(label, coerce=_optional_int, validators=need, **kw)
    raise ValueError(f"unknown field kind {spec.kind!r}")


@cache
def trigger_form_class(trigger: str) -> type[TriggerForm]:
    """The form class of a trigger, built once from its entry in workflow.triggers (KeyError if unknown)."""
    spec = TRIGGERS[trigger]
    attrs: dict[str, Any] = {f.name: _field(trigger, f) for f in spec.fields}
    attrs["trigger_name"] = trigger
    return type(f"{trigger.title().replace('_', '')}Form", (TriggerForm,), attrs)


def trigger_form(
    trigger: str, *, version: int, users: Sequence[User] = (), formdata: Any = None
) -> TriggerForm:
    """A trigger's form; ``formdata`` None gives a blank one for this case version."""
    cls = trigger_form_class(trigger)
    form = cls(formdata=formdata, data=None if formdata is not None else {"version": version})
    user_choices = options([("", _l("请选择"))]) + options(((u.id, u.display_name) for u in users), keep=True)
    for f in TRIGGERS[trigger].fields:
        if f.kind == "user":
            form[f.name].choices = user_choices
    return form
