"""The data a trigger asks for: its fields, and turning submitted values into typed ones.

Forms (web), the API and the demo data all take a trigger's fields from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow.errors import Refused
from workflow.text import Text, say

MAX_AMOUNT = Decimal("1000000000")
# Dates a person can mean: nothing in this product happens before 1900 or after 2100.
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Field:
    """One piece of data a trigger asks for.

    ``required_when`` (field, value): required only when another field has that value, e.g. the §29
    contents of a written agreement. Forms mark such fields and check them before the engine does.
    """

    name: str
    label: Text
    kind: str = "text"  # text | textarea | date | int | money | bool | choice | user
    required: bool = True
    choices: tuple[tuple[str, Text], ...] = ()
    max_length: int = 500
    required_when: tuple[str, str] | None = None

    def choice_label(self, value: Any) -> str:
        """The label of a choice (the value itself when it is not one of the choices)."""
        return label_of(self.choices, value)

    @property
    def always_required(self) -> bool:
        """Required whatever else is submitted (a ``required_when`` field is checked by its guard)."""
        return self.required and self.required_when is None

    def required_for(self, data: dict[str, Any]) -> bool:
        """Whether this field must be filled in, given the other values submitted."""
        if self.required_when is None:
            return self.required
        other, value = self.required_when
        return str(data.get(other) or "") == value


def label_of(choices: tuple[tuple[str, Text], ...], value: Any) -> str:
    """The label of ``value`` among (value, label) choices; the value itself when it is not one."""
    for key, label in choices:
        if key == str(value):
            return str(label)
    return str(value)


def clean(fields: tuple[Field, ...], raw: dict[str, Any] | None) -> dict[str, Any]:
    """Typed values for the fields, or Refused naming the first bad field."""
    raw = raw or {}
    return {f.name: _clean_field(f, raw.get(f.name)) for f in fields}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_field(f: Field, value: Any) -> Any:
    if f.kind == "bool":
        parsed = value in (True, "y", "yes", "on", "true", "1", 1)
        if f.always_required and not parsed:
            raise Refused("missing_field", say("请确认：%(label)s。", label=f.label), field=f.name)
        return parsed
    if _blank(value):
        if f.always_required:
            raise Refused("missing_field", say("请填写：%(label)s。", label=f.label), field=f.name)
        return None
    try:
        return _parse(f, value)
    except (ValueError, InvalidOperation, TypeError, OverflowError):
        raise Refused("bad_field", say("%(label)s的格式不正确。", label=f.label), field=f.name) from None


def _parse(f: Field, value: Any) -> Any:
    if f.kind in ("text", "textarea"):
        text = str(value).strip()
        if len(text) > f.max_length:
            message = say("%(label)s不能超过 %(n)s 个字。", label=f.label, n=f.max_length)
            raise Refused("too_long", message, field=f.name)
        return text
    if f.kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            message = say(
                "%(label)s超出范围（%(first)s–%(last)s 年）。",
                label=f.label,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
            raise Refused("bad_field", message, field=f.name)
        return day
    if f.kind in ("int", "user"):
        number = int(value)
        if not 0 <= number < 2**31:
            raise ValueError(value)
        return number
    if f.kind == "money":
        amount = Decimal(str(value))
        if not amount.is_finite():
            raise ValueError(value)
        amount = amount.quantize(Decimal("0.01"))
        if amount < 0 or amount > MAX_AMOUNT:
            raise ValueError(value)
        return amount
    if f.kind == "choice":
        if str(value) not in {k for k, _ in f.choices}:
            raise Refused("bad_choice", say("%(label)s的选项无效。", label=f.label), field=f.name)
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
