"""Test data built through the services, the way real users make it."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from models import Case, Community, User
from services import clock
from services.cases import IntakeInput, PartyInput, apply, intake
from services.communities import create_community
from services.users import create_user
from services.validation import id_check_digit


def bj(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """A Beijing wall-clock time as a UTC datetime."""
    return datetime(y, m, d, h, mi, tzinfo=UTC) - timedelta(hours=8)


FAST_HASH = "pbkdf2:sha256:1000"
PASSWORD = "secret-pass-1"
_seq = itertools.count(1)


def id_number(birth: str = "19800101", serial: int = 123) -> str:
    first = f"110101{birth}{serial:03d}"
    return first + id_check_digit(first)


def phone(n: int = 0) -> str:
    return f"138{n:08d}"[:11]


# Trigger sequences that bring a new case to each state (data filled in by Factory.fire).
PATHS: dict[str, list[str]] = {
    "registered": [],
    "not_accepted": ["reject"],
    "accepted": ["accept"],
    "assigned": ["accept", "assign"],
    "mediating": ["accept", "assign", "notify_rights", "start_mediation"],
    "agreed": ["accept", "assign", "notify_rights", "start_mediation", "record_agreement"],
    "closed": ["accept", "assign", "notify_rights", "start_mediation", "record_agreement", "follow_up"],
    "defaulted": [
        "accept",
        "assign",
        "notify_rights",
        "start_mediation",
        "record_agreement",
        "follow_up_failed",
    ],
    "terminated": ["accept", "assign", "notify_rights", "start_mediation", "terminate"],
    "withdrawn": ["withdraw"],
}


def trigger_data(
    trigger: str, *, today: date | None = None, assignee_id: int | None = None
) -> dict[str, Any]:
    """Valid data for each trigger."""
    today = today or clock.local_date()
    iso = today.isoformat()
    return {
        "accept": {},
        "reject": {"reason_code": "handled_elsewhere", "route_told": "已告知向人民法院起诉"},
        "assign": {"assignee_id": assignee_id},
        "reassign": {"assignee_id": assignee_id, "reason_kind": "workload", "reason": "工作量调整"},
        "notify_rights": {"method": "written", "notified_on": iso},
        "record_refusal": {"who": "respondent", "reason": "被申请人拒绝调解"},
        "start_mediation": {},
        "record_session": {
            "held_on": iso,
            "place": "社区调解室",
            "attendees": "双方当事人、调解员",
            "summary": "双方陈述了各自意见",
            "kind": "public",
        },
        "escalate": {"reason": "调解未果，需上一级调解"},
        "delegate": {"reason": "案情简单，交由下一级"},
        "record_agreement": {
            "kind": "written",
            "effective_on": iso,
            "facts": "楼上漏水致楼下天花板受损，楼上住户负主要责任",
            "terms": "楼上住户赔偿维修费",
            "performance": "现金一次性支付，于社区调解室，三日内",
            "performance_due": iso,
            "amount": "1200",
        },
        "record_judicial_confirmation": {
            "joint": True,
            "applied_on": iso,
            "court": "某某区人民法院",
            "result": "valid",
        },
        "follow_up": {
            "visited_on": iso,
            "method": "call",
            "performed": True,
            "satisfaction": "satisfied",
            "notes": "已履行",
        },
        "follow_up_failed": {
            "visited_on": iso,
            "method": "visit",
            "performed": False,
            "satisfaction": "dissatisfied",
            "notes": "未履行",
        },
        "remediate": {"consent": True},
        "terminate": {"reason": "双方分歧过大", "notice_given": True, "route_told": "可向人民法院起诉"},
        "withdraw": {"kind": "withdrew", "who": "applicant", "reason": "双方已自行和解"},
        "flag_risk": {"level": "orange"},
        "extend_deadline": {"consent": True},
    }[trigger]


class Factory:
    """Communities, users and cases in any state, made through the services."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._community: Community | None = None
        self._staff: dict[int, User] = {}
        self._tier: dict[tuple[int, str], User] = {}

    # --- people and places --------------------------------------------------------------
    def community(
        self, name: str | None = None, short_name: str | None = None, street: str = "幸福街道"
    ) -> Community:
        n = next(_seq)
        return create_community(
            session=self.session,
            name=name or f"测试社区{n}",
            short_name=short_name or f"测{n}",
            street=street,
        )

    def default_community(self) -> Community:
        if self._community is None:
            self._community = self.community("幸福社区", "幸福")
        return self._community

    def user(
        self,
        *roles: str,
        communities: list[Community] | None = None,
        username: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        comms = communities if communities is not None else [self.default_community()]
        n = next(_seq)
        return create_user(
            session=self.session,
            username=username or f"{'-'.join(roles) or 'user'}{n}",
            display_name=f"用户{n}",
            password=password,
            roles=list(roles),
            community_ids=[c.id for c in comms if c.id is not None],
            hash_method=FAST_HASH,
        )

    def staff(self, community: Community | None = None) -> User:
        community = community or self.default_community()
        assert community.id is not None
        if community.id not in self._staff:
            self._staff[community.id] = self.user("staff", communities=[community])
        return self._staff[community.id]

    def member(self, tier: str, community: Community | None = None) -> User:
        community = community or self.default_community()
        assert community.id is not None
        key = (community.id, tier)
        if key not in self._tier:
            self._tier[key] = self.user(tier, communities=[community])
        return self._tier[key]

    # --- cases ---------------------------------------------------------------------------
    def intake_input(self, community: Community | None = None, **overrides: Any) -> IntakeInput:
        community = community or self.default_community()
        assert community.id is not None
        n = next(_seq)
        values: dict[str, Any] = {
            "community_id": community.id,
            "category": "邻里",
            "source": "当事人申请",
            "facts": "楼上住户夜间噪音扰民",
            "parties": [
                PartyInput(
                    "applicant", "张三", phone(n * 2), id_number(serial=n % 1000), "幸福小区", "3栋", "502"
                ),
                PartyInput("respondent", "李四", phone(n * 2 + 1), "", "幸福小区", "4栋", f"{n}"),
            ],
            "claimed_amount": Decimal("0"),
        }
        values.update(overrides)
        # Unchecked, so a test can hand the service bad input: services.cases.intake checks it.
        return IntakeInput.model_construct(**values)

    def case(
        self,
        state: str = "registered",
        community: Community | None = None,
        now: datetime | None = None,
        **overrides: Any,
    ) -> Case:
        """A case brought to ``state`` by firing the usual triggers."""
        community = community or self.default_community()
        case = intake(
            session=self.session,
            actor=self.staff(community),
            data=self.intake_input(community, **overrides),
            now=now,
        )
        for trigger in PATHS[state]:
            case = self.fire(case, trigger, now=now)
        return case

    def actor_for(self, case: Case, trigger: str) -> User:
        community = self.session.get(Community, case.community_id)
        if trigger in ("accept", "reject", "assign", "reassign") or (
            trigger == "withdraw" and not case.assignee_id
        ):
            return self.staff(community)
        if trigger == "delegate":
            return self.member("judge", community)
        if case.assignee_id is None:
            return self.staff(community)
        user = self.session.get(User, case.assignee_id)
        assert user is not None
        return user

    def fire(
        self, case: Case, trigger: str, *, now: datetime | None = None, actor: User | None = None, **data: Any
    ) -> Case:
        real = "follow_up" if trigger == "follow_up_failed" else trigger
        payload = trigger_data(trigger, today=clock.local_date(now) if now else None)
        if real in ("assign", "reassign"):
            community = self.session.get(Community, case.community_id)
            tier = case.tier or "volunteer"
            payload["assignee_id"] = self.member(tier, community).id
        payload.update(data)
        assert case.id is not None
        return apply(
            session=self.session,
            case_id=case.id,
            trigger=real,
            actor=actor or self.actor_for(case, real),
            data=payload,
            expected_version=case.version,
            now=now,
        ).case
