"""How case data reads on screen and on paper: dates, labels, money, masked identifiers.

Dates and words follow the page's language: 2026年11月29日 on a Chinese page (as Chinese offices write
them), 29 Nov 2026 on an English one. The legal papers are rendered in Chinese whatever the language
(web.documents), so the same filters print them as Chinese offices do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from services import clock
from web.catalog import lazy_gettext
from workflow import RiskLevel, Severity, State, Tier
from workflow import is_overdue as _overdue
from workflow.clocks import dated_left, days_left
from workflow.fields import Field, label_of
from workflow.labels import EVENT_LABELS
from workflow.papers import kind_label
from workflow.text import Text, day, say, translate
from workflow.triage import read_reasons
from workflow.triggers import (
    AGREEMENT_KINDS,
    CONFIRMATION_RESULTS,
    FOLLOW_UP_METHODS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_KINDS,
    TRIGGERS,
)

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "兆")


def cn_date(value: date | datetime | None) -> str:
    """2026年11月23日, or 23 Nov 2026 on an English page (a datetime is taken in Beijing time first)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = clock.local(value).date()
    return day(value)


def cn_datetime(value: datetime | None) -> str:
    """2026年11月23日 14:05 (23 Nov 2026 14:05 in English), Beijing time."""
    if value is None:
        return "—"
    moment = clock.local(value)
    return f"{cn_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


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
    return str(trigger.label) if trigger else str(EVENT_LABELS.get(value, value))


# What stands in for the case number before one is issued (受理 issues it): distinct words for a case
# waiting for a decision and one refused, used wherever a case is named by its number.
NO_NUMBER = {
    State.REGISTERED.value: lazy_gettext("待受理"),
    State.NOT_ACCEPTED.value: State.NOT_ACCEPTED.label,
}
NEVER_NUMBERED = lazy_gettext("未受理")


def case_number(case: Any) -> str:
    """The case number, else 待受理 (registered), 不予受理 (not accepted) or 未受理 (withdrawn before)."""
    return str(case.number or NO_NUMBER.get(case.state, NEVER_NUMBERED))


def money(value: Decimal | None) -> str:
    """1,200.00 元 (1,200.00 yuan in English)"""
    return "—" if value is None else say("%(amount)s 元", amount=f"{value:,.2f}")


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
    """2026年11月30日（还剩 N 天 / 今日到期 / 已超期 N 天）, only while the mediation clock runs."""
    if deadline is None:
        return "—"
    when = cn_date(deadline)
    if not State(state).clock_running:
        return say("%(date)s（已停止计时）", date=when)
    left = days_left(deadline, clock.local_date())
    assert left is not None
    return dated_left(deadline, left)


def is_overdue(deadline: date | None, state: str) -> bool:
    return _overdue(State(state), deadline, clock.local_date())


def keep(value: Any) -> Markup:
    """Words people typed (a name, a place, a note), shown as typed in every language: marked
    ``data-i18n-keep``, the mark tests/e2e/test_english.py skips."""
    return Markup(f"<span data-i18n-keep>{escape(value)}</span>")


def event_details(trigger: str, data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The event's key data as (label, text) pairs: choices by their label, typed text kept as typed."""
    if not isinstance(data, dict):
        return []
    spec = TRIGGERS.get(trigger)
    out: list[tuple[str, str]] = []
    if spec is None:
        if data.get("severity"):
            out.append((say("分级"), severity_label(data["severity"])))
        if data.get("tier"):
            out.append((say("建议层级"), tier_label(data["tier"])))
        return out + imported_from(data)
    for f in spec.fields:
        if f.name in ("note", "reason") or f.name not in data or f.kind == "user":
            continue
        out.append((str(f.label), _field_text(f, data[f.name])))
    if data.get("number"):
        out.append((say("案号"), keep(data["number"])))
    if data.get("tier"):
        out.append((say("承办层级"), tier_label(data["tier"])))
    return out + imported_from(data)


def imported_from(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Where an imported case's event came from: the ledger file and its row."""
    mark = data.get("imported")
    if not isinstance(mark, dict):
        return []
    where = Markup(escape(say("第 %(row)s 行", row=mark.get("row"))))
    if mark.get("file"):
        where = keep(mark["file"]) + Markup(" ") + where
    return [(say("台账导入"), where)]


def _field_text(f: Field, value: Any) -> str:
    kind = f.kind
    if kind == "bool":
        return say("是") if value else say("否")
    if kind == "choice":
        return f.choice_label(value)
    if kind == "date":
        try:
            return cn_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "money":
        return money(Decimal(str(value)))
    return keep(value)


def shown(value: Any) -> Markup:
    """A label as the page shows it, people's words in it marked ``data-i18n-keep``: a ``Text`` is ours,
    translated, the words filled into it (a category, a street) kept as typed (numbers are ours), a
    ``Text`` filled into it ours again; a plain string is people's words."""
    if isinstance(value, Text):
        params = {
            k: shown(v) if isinstance(v, Text) else keep(v) if any(c.isalpha() for c in str(v)) else v
            for k, v in value.params.items()
        }
        translated = Markup(escape(translate(value.msgid, value.context)))
        return translated % params if params else translated
    return keep(value)


def triage_reasons(stored: str | None) -> Markup:
    """The reasons a case stores for its severity, in the page's language (a category name kept)."""
    return Markup(escape(say("；"))).join(shown(reason) for reason in read_reasons(stored or ""))


def clauses(text: str | None) -> list[str]:
    """The lines of a text as typed, blank ones dropped: each prints as a clause of its own."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def iso_cn_date(value: str | None) -> str:
    """An ISO date kept in an event's data as Chinese offices write it; a blank to fill in by hand if none."""
    try:
        return cn_date(date.fromisoformat(str(value)))
    except ValueError:
        return "　　　　年　　月　　日"


def file_size(size: int | None) -> str:
    """Bytes as people read them: 820 KB, 4.4 MB."""
    if size is None:
        return "—"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


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
    "overdue": is_overdue,
    "triage_reasons": triage_reasons,
    "shown": shown,
    "party_role": lambda v: label_of(PARTY_ROLES, v),
    "agreement_kind": lambda v: label_of(AGREEMENT_KINDS, v),
    "satisfaction": lambda v: label_of(SATISFACTION, v),
    "confirmation": lambda v: label_of(CONFIRMATION_RESULTS, v),
    "session_kind": lambda v: label_of(SESSION_KINDS, v),
    "follow_up_method": lambda v: label_of(FOLLOW_UP_METHODS, v),
    "file_size": file_size,
    "iso_cn_date": iso_cn_date,
    "paper_kind": kind_label,
}
