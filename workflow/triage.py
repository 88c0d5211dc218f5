"""Triage policy: grade a complaint's severity and pick the tier that takes it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from workflow.errors import Refused
from workflow.papers import FILE_CHECKS, WARN, check_kinds
from workflow.roles import Tier
from workflow.text import Text, _, say
from workflow.workdays import BASE_CALENDAR, LastDay, WorkCalendar

DEFAULT_POLICY_FILE = Path(__file__).with_name("default_policy.toml")


class Severity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    MAJOR = "major"

    @property
    def label(self) -> Text:
        return SEVERITY_LABELS[self]

    @property
    def tier(self) -> Tier:
        return SEVERITY_TIER[self]


SEVERITY_LABELS = {Severity.MINOR: _("轻微"), Severity.GENERAL: _("一般"), Severity.MAJOR: _("较大")}
SEVERITY_TIER = {Severity.MINOR: Tier.VOLUNTEER, Severity.GENERAL: Tier.MEDIATOR, Severity.MAJOR: Tier.JUDGE}


class RiskLevel(StrEnum):
    NONE = "none"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def label(self) -> Text:
        return RISK_LABELS[self]


RISK_LABELS = {
    RiskLevel.NONE: _("无"),
    RiskLevel.YELLOW: _("黄色"),
    RiskLevel.ORANGE: _("橙色"),
    RiskLevel.RED: _("红色"),
}


@dataclass(frozen=True)
class Policy:
    """Thresholds and category lists of the triage and clock rules."""

    major_amount: Decimal = Decimal(20000)
    general_amount: Decimal = Decimal(1000)
    major_people: int = 10
    general_parties: int = 3
    repeat_days: int = 180
    major_categories: frozenset[str] = frozenset()
    general_categories: frozenset[str] = frozenset()
    mediation_days: int = 30
    extension_days: int = 30
    confirmation_days: int = 30
    follow_up_after_performance_days: int = 7
    follow_up_after_oral_days: int = 30
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # The case file's completeness rule ([file] in the policy file; keys in workflow.papers).
    file_check: str = WARN  # warn | refuse, when a case ends with a required paper missing
    file_close_written: tuple[str, ...] = ("agreement",)
    file_close_oral: tuple[str, ...] = ()
    file_terminate: tuple[str, ...] = ("termination_notice",)
    file_attach_after_end: bool = True

    def papers_required(self, ending: str) -> tuple[str, ...]:
        """The signed papers a case needs in its file to end this way (workflow.papers.ENDINGS)."""
        return tuple(getattr(self, f"file_{ending}", ()))

    # How each clock's last day is fixed (workflow.workdays.LastDay).
    mediation_last_day: LastDay = LastDay.CALENDAR
    confirmation_last_day: LastDay = LastDay.NEXT_WORKING_DAY
    follow_up_last_day: LastDay = LastDay.CALENDAR
    due_soon_days: int = 3  # the desk and the reminders: "due soon" is due within this many days
    escalate_overdue_days: int = 0  # 0: off; else overdue this many days reaches the leaders
    # The working days in force (services.workdays adds the administrator's overrides); not a value.
    calendar: WorkCalendar = field(default=BASE_CALENDAR, compare=False, repr=False)

    def with_calendar(self, calendar: WorkCalendar) -> Policy:
        return replace(self, calendar=calendar)

    def with_values(self, values: dict[str, Any]) -> Policy:
        """A copy with some values replaced (as stored by the admin page)."""
        return replace(self, **_coerce(values))

    def as_dict(self) -> dict[str, Any]:
        return {
            "major_amount": str(self.major_amount),
            "general_amount": str(self.general_amount),
            "major_people": self.major_people,
            "general_parties": self.general_parties,
            "repeat_days": self.repeat_days,
            "major_categories": sorted(self.major_categories),
            "general_categories": sorted(self.general_categories),
            "mediation_days": self.mediation_days,
            "extension_days": self.extension_days,
            "confirmation_days": self.confirmation_days,
            "follow_up_after_performance_days": self.follow_up_after_performance_days,
            "follow_up_after_oral_days": self.follow_up_after_oral_days,
            "categories": list(self.categories),
            "sources": list(self.sources),
            **{key: _file_value(getattr(self, key)) for key in _FILE_KEYS},
            **{key: getattr(self, key).value for key in LAST_DAY_KEYS},
            "due_soon_days": self.due_soon_days,
            "escalate_overdue_days": self.escalate_overdue_days,
        }


LAST_DAY_KEYS = ("mediation_last_day", "confirmation_last_day", "follow_up_last_day")


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("major_amount", "general_amount"):
            out[key] = Decimal(str(value))
        elif key in ("major_categories", "general_categories"):
            out[key] = frozenset(value)
        elif key in ("categories", "sources"):
            out[key] = tuple(value)
        elif key in _FILE_KEYS:
            out[key] = _file_coerce(key, value)
        elif key in LAST_DAY_KEYS:
            out[key] = LastDay(value)
        else:
            out[key] = int(value)
    return out


_FILE_KEYS = (
    "file_check",
    "file_close_written",
    "file_close_oral",
    "file_terminate",
    "file_attach_after_end",
)


def _file_coerce(key: str, value: Any) -> Any:
    if key == "file_check":
        if value not in FILE_CHECKS:
            raise ValueError(f"file check must be one of {', '.join(FILE_CHECKS)}, not {value!r}")
        return str(value)
    if key == "file_attach_after_end":
        if not isinstance(value, bool):
            raise ValueError(f"attach_after_end must be true or false, not {value!r}")
        return value
    return check_kinds(value)


def _file_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a policy file (TOML); missing values keep the defaults of domain.md."""
    with open(path or DEFAULT_POLICY_FILE, "rb") as fh:
        raw = tomllib.load(fh)
    values: dict[str, Any] = {**raw.get("triage", {}), **raw.get("clocks", {})}
    values |= {f"file_{key}": value for key, value in raw.get("file", {}).items()}
    cats = raw.get("categories", {})
    if "all" in cats:
        values["categories"] = cats["all"]
    if "sources" in cats:
        values["sources"] = cats["sources"]
    return Policy().with_values(values)


DEFAULT_POLICY = load_policy()


@dataclass(frozen=True)
class TriageFacts:
    """What intake knows about a complaint that matters for its severity."""

    category: str
    claimed_amount: Decimal | None = None
    injury: bool = False
    people_involved: int = 0
    parties: int = 2
    risk_level: RiskLevel = RiskLevel.NONE
    days_since_related_case: int | None = None


@dataclass(frozen=True)
class TriageResult:
    severity: Severity
    tier: Tier
    reasons: tuple[str, ...] = field(default=())
    overridden: bool = False
    override_reason: str | None = None
    computed: Severity | None = None


# Why a complaint got its severity. A case stores its reasons in Chinese, joined with "；" (the texts
# below, filled in); ``read_reasons`` reads them back so a page can show them in the reader's language.
AMOUNT = _("争议金额 ≥ %(amount)s 元")
INJURY = _("人身伤害需就医")
CROWD = _("涉及 %(people)s 人以上（群体性）")
RED_RISK = _("激化风险红色")
CATEGORY = _("纠纷类型：%(category)s")
PARTIES = _("当事人 %(parties)s 方以上")
ORANGE_RISK = _("激化风险橙色")
REPEAT = _("同一当事人或地址 %(days)s 日内有案")
NOTHING_MORE = _("一般邻里小纠纷")
REASONS: tuple[Text, ...] = (
    AMOUNT,
    INJURY,
    CROWD,
    RED_RISK,
    CATEGORY,
    PARTIES,
    ORANGE_RISK,
    REPEAT,
    NOTHING_MORE,
)
REASONS_SEPARATOR = "；"


def triage(facts: TriageFacts, policy: Policy = DEFAULT_POLICY) -> TriageResult:
    """Grade severity; the first matching row of the policy table wins."""
    major = _major_reasons(facts, policy)
    if major:
        return _result(Severity.MAJOR, major)
    general = _general_reasons(facts, policy)
    if general:
        return _result(Severity.GENERAL, general)
    return _result(Severity.MINOR, [NOTHING_MORE.source])


def _major_reasons(facts: TriageFacts, policy: Policy) -> list[str]:
    amount = facts.claimed_amount or Decimal(0)
    checks = (
        (amount >= policy.major_amount, AMOUNT.of(amount=f"{policy.major_amount:,}")),
        (facts.injury, INJURY),
        (facts.people_involved >= policy.major_people, CROWD.of(people=policy.major_people)),
        (facts.risk_level is RiskLevel.RED, RED_RISK),
        (facts.category in policy.major_categories, CATEGORY.of(category=facts.category)),
    )
    return [reason.source for hit, reason in checks if hit]


def _general_reasons(facts: TriageFacts, policy: Policy) -> list[str]:
    amount = facts.claimed_amount or Decimal(0)
    recent = facts.days_since_related_case
    checks = (
        (amount >= policy.general_amount, AMOUNT.of(amount=f"{policy.general_amount:,}")),
        (facts.parties >= policy.general_parties, PARTIES.of(parties=policy.general_parties)),
        (facts.risk_level is RiskLevel.ORANGE, ORANGE_RISK),
        (recent is not None and recent <= policy.repeat_days, REPEAT.of(days=policy.repeat_days)),
        (facts.category in policy.general_categories, CATEGORY.of(category=facts.category)),
    )
    return [reason.source for hit, reason in checks if hit]


def _pattern(reason: Text) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", reason.msgid)  # text, name, text, name, ..., text
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z"
    )


_PATTERNS = tuple((reason, _pattern(reason)) for reason in REASONS)


def read_reasons(stored: str) -> list[Text]:
    """The reasons a case stores, each as the text it was written from (shown in the reader's language).

    A piece that none of the texts wrote (it cannot happen today) is kept as it is.
    """
    out = []
    for piece in filter(None, (p.strip() for p in stored.split(REASONS_SEPARATOR))):
        found = next(((r, m) for r, p in _PATTERNS if (m := p.match(piece))), None)
        out.append(found[0].of(**found[1].groupdict()) if found else Text(piece))
    return out


def _result(severity: Severity, reasons: list[str]) -> TriageResult:
    return TriageResult(severity=severity, tier=severity.tier, reasons=tuple(reasons), computed=severity)


def override(result: TriageResult, severity: Severity, reason: str | None) -> TriageResult:
    """Staff override of the computed severity; refused without a written reason."""
    if severity is result.severity:
        return result
    if not reason or not reason.strip():
        raise Refused("override_reason_required", say("调整严重程度须填写理由。"), field="override_reason")
    return replace(
        result,
        severity=severity,
        tier=severity.tier,
        overridden=True,
        override_reason=reason.strip(),
        computed=result.computed or result.severity,
    )
