"""How case data reads on screen and on paper: Chinese dates, labels, money, masked identifiers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services import clock
from services.clock import cn_date
from workflow import RiskLevel, Severity, State, Tier
from workflow import is_overdue as _overdue
from workflow.clocks import days_left, left_text
from workflow.fields import Field, label_of
from workflow.triggers import (
    AGREEMENT_KINDS,
    CONFIRMATION_RESULTS,
    FOLLOW_UP_METHODS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_KINDS,
    TRIGGERS,
)

EVENT_LABELS = {"register": "登记"}

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "兆")


def cn_datetime(value: datetime | None) -> str:
    """2026年11月23日 14:05, Beijing time."""
    if value is None:
        return "—"
    moment = clock.local(value)
    return f"{cn_date(moment.date())} {moment:%H:%M}"


def _label(enum: Any, value: str | None) -> str:
    if not value:
        return "—"
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def state_label(value: str | None) -> str:
    return _label(State, value)


def tier_label(value: str | None) -> str:
    return _label(Tier, value)


def severity_label(value: str | None) -> str:
    return _label(Severity, value)


def risk_label(value: str | None) -> str:
    return _label(RiskLevel, value)


def trigger_label(value: str) -> str:
    trigger = TRIGGERS.get(value)
    return str(trigger.label) if trigger else EVENT_LABELS.get(value, value)


# What stands in for the case number before one is issued (受理 issues it): distinct words for a case
# waiting for a decision and one refused, used wherever a case is named by its number.
NO_NUMBER = {State.REGISTERED.value: "待受理", State.NOT_ACCEPTED.value: "不予受理"}


def case_number(case: Any) -> str:
    """The case number, else 待受理 (registered), 不予受理 (not accepted) or 未受理 (withdrawn before)."""
    return str(case.number or NO_NUMBER.get(case.state, "未受理"))


def money(value: Decimal | None) -> str:
    """1,200.00 元"""
    return "—" if value is None else f"{value:,.2f} 元"


def _four_digits(n: int) -> str:
    """Read 0..9999 in capital numerals, with 零 for inner gaps."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[pos]
    return out


def money_upper(value: Decimal | None) -> str:
    """An amount in 元 in capital numerals, as on cheques: 壹万贰仟零伍元伍角整."""
    if value is None:
        return "—"
    fen = int((Decimal(value) * 100).to_integral_value())
    if fen < 0:
        return "负" + money_upper(Decimal(-fen) / 100)
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    groups: list[int] = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    text, gap = "", False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            gap = True
            continue
        if text and (gap or g < 1000):
            text += "零"
        text += _four_digits(g) + _BIG_UNITS[i]
        gap = False
    if text:
        text += "元"
    if not jiao and not cents:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if cents:
        text += _DIGITS[cents] + "分"
    else:
        text += "整"
    return text


def countdown(deadline: date | None, state: str) -> str:
    """还剩 N 天 / 今日到期 / 已超期 N 天, only while the mediation clock runs."""
    if deadline is None:
        return "—"
    if State(state).terminal or state in (State.AGREED.value, State.DEFAULTED.value):
        return f"{cn_date(deadline)}（已停止计时）"
    left = days_left(deadline, clock.local_date())
    assert left is not None
    return f"{cn_date(deadline)}（{left_text(left)}）"


def is_overdue(deadline: date | None, state: str) -> bool:
    return _overdue(State(state), deadline, clock.local_date())


def event_details(trigger: str, data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The event's key data as (label, text) pairs, with choices shown by their Chinese label."""
    if not isinstance(data, dict):
        return []
    spec = TRIGGERS.get(trigger)
    out: list[tuple[str, str]] = []
    if spec is None:
        if data.get("severity"):
            out.append(("分级", severity_label(data["severity"])))
        if data.get("tier"):
            out.append(("建议层级", tier_label(data["tier"])))
        return out
    for f in spec.fields:
        if f.name in ("note", "reason") or f.name not in data or f.kind == "user":
            continue
        out.append((str(f.label), _field_text(f, data[f.name])))
    for key, label in (("number", "案号"), ("tier", "承办层级")):
        if data.get(key):
            out.append((label, tier_label(data[key]) if key == "tier" else str(data[key])))
    return out


def _field_text(f: Field, value: Any) -> str:
    kind = f.kind
    if kind == "bool":
        return "是" if value else "否"
    if kind == "choice":
        return f.choice_label(value)
    if kind == "date":
        try:
            return cn_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "money":
        return money(Decimal(str(value)))
    return str(value)


def clauses(text: str | None) -> list[str]:
    """The lines of a text as typed, blank ones dropped: each prints as a clause of its own."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


FILTERS: dict[str, Callable[..., Any]] = {
    "clauses": clauses,
    "case_number": case_number,
    "cn_date": cn_date,
    "cn_datetime": cn_datetime,
    "state_label": state_label,
    "tier_label": tier_label,
    "severity_label": severity_label,
    "risk_label": risk_label,
    "trigger_label": trigger_label,
    "money": money,
    "money_upper": money_upper,
    "countdown": countdown,
    "party_role": lambda v: label_of(PARTY_ROLES, v),
    "agreement_kind": lambda v: label_of(AGREEMENT_KINDS, v),
    "satisfaction": lambda v: label_of(SATISFACTION, v),
    "confirmation": lambda v: label_of(CONFIRMATION_RESULTS, v),
    "session_kind": lambda v: label_of(SESSION_KINDS, v),
    "follow_up_method": lambda v: label_of(FOLLOW_UP_METHODS, v),
}
