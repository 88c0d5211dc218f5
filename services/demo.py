"""Realistic demo data: communities, the 1+1+N teams and years of cases with their full records.

Cases follow legal paths of the workflow: every distinct path is fired through the engine once
(``ENGINE.fire``, every guard asked) before any case takes it. Each step of each case is then worked
out by the engine's own effects (``ENGINE.unchecked``) and written as the rows ``services.records``
builds for ``services.cases.apply`` — the same functions, bulk-inserted with executemany for speed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, text

from models import Case
from models.types import Money
from services.clock import local
from services.inputs import IntakeInput, PartyInput
from services.numbering import format_number
from services.records import (
    Row,
    Where,
    case_values,
    event_data,
    event_row,
    new_case_values,
    record_rows,
    registration_rows,
)
from services.statistics import live_counts
from services.validation import id_check_digit
from workflow import ENGINE, Actor, CaseFacts, Outcome, Role, Severity, State, Tier, TriageFacts, triage
from workflow.engine import advance
from workflow.triage import DEFAULT_POLICY, RiskLevel

STREETS: dict[str, list[tuple[str, str]]] = {
    "幸福街道": [("幸福社区", "幸福"), ("阳光社区", "阳光"), ("和谐社区", "和谐")],
    "和平街道": [("翠湖社区", "翠湖"), ("金桥社区", "金桥"), ("梧桐社区", "梧桐")],
    "长安街道": [("望江社区", "望江"), ("南苑社区", "南苑")],
}
PINYIN = {
    "幸福": "xingfu",
    "阳光": "yangguang",
    "和谐": "hexie",
    "翠湖": "cuihu",
    "金桥": "jinqiao",
    "梧桐": "wutong",
    "望江": "wangjiang",
    "南苑": "nanyuan",
}
STREET_PINYIN = {"幸福街道": "xingfu", "和平街道": "heping", "长安街道": "changan"}
CATEGORIES = [
    ("邻里", 34),
    ("物业", 12),
    ("婚姻家庭", 7),
    ("损害赔偿", 8),
    ("房屋宅基地", 4),
    ("合同", 6),
    ("消费", 5),
    ("其他", 5),
    ("劳动争议", 4),
    ("道路交通事故", 4),
    ("生产经营", 3),
    ("环境污染", 3),
    ("医疗", 2),
    ("山林土地", 1),
    ("征地拆迁", 1),
]
SOURCES = [("当事人申请", 70), ("主动调解", 20), ("委托移送", 10)]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强海燕淑珍春梅德福"
XIAOQU = ["花园", "家园", "新村", "小区", "苑", "公寓", "雅居", "名都"]
FACTS = {
    "邻里": [
        "楼上住户夜间噪音扰民，多次沟通无果",
        "楼上卫生间漏水致楼下天花板发霉",
        "邻居在楼道堆放杂物影响通行",
        "宠物犬夜间吠叫且未拴绳",
        "共用墙体开裂，双方对维修费用分担有争议",
    ],
    "物业": [
        "业主对物业费上涨有异议拒缴物业费",
        "地下车位被占用，物业处理不及时",
        "电梯长期故障业主要求赔偿",
    ],
    "婚姻家庭": ["赡养老人费用分担纠纷", "离婚后子女探视时间争议", "家庭房产继承份额争议"],
    "损害赔偿": ["电动车相撞致一方受伤，医疗费赔偿争议", "装修损坏邻居门窗要求赔偿", "高空坠物砸坏车辆"],
    "房屋宅基地": ["房屋租赁押金退还纠纷", "宅基地界址争议", "违建阳台遮挡采光"],
    "合同": ["小额借款到期未还", "装修合同工期延误纠纷", "二手家具买卖质量争议"],
    "消费": ["预付卡商家停业退款纠纷", "网购商品质量问题退换争议"],
    "劳动争议": ["保洁员工资拖欠", "装修工人工伤赔偿争议"],
    "道路交通事故": ["小区内车辆剐蹭赔偿争议", "非机动车与行人碰撞"],
}
DEFAULT_FACTS = ["双方因琐事发生争执，请求社区调解"]
DEMO_PASSWORD = "demo1234"
RISKS = ["none", "yellow", "orange", "red"]
RISK_WEIGHTS = [86, 10, 3.5, 0.5]


@dataclass
class Team:
    community_id: int
    staff: list[int] = field(default_factory=list)
    volunteer: list[int] = field(default_factory=list)
    mediator: list[int] = field(default_factory=list)
    judge: list[int] = field(default_factory=list)

    def of(self, tier: str) -> list[int]:
        return getattr(self, tier)  # type: ignore[no-any-return]


@dataclass
class DemoSummary:
    cases: int
    events: int
    communities: int
    users: int
    usernames: list[str]


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


class _Writer:
    """Turns rows into driver values (by each column's type) and writes them in batches."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.pending: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
        self.plans: dict[tuple[str, tuple[str, ...]], tuple[str, list[tuple[int, Callable[[Any], Any]]]]] = {}

    def marks(self, n: int) -> str:
        return ", ".join(["?" if self.sqlite else "%s"] * n)

    def dt(self, moment: datetime | None) -> Any:
        """A UTC moment as the driver takes it (SQLite: the naive ISO text SQLAlchemy writes)."""
        if moment is None:
            return None
        if moment.tzinfo is not UTC:
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.isoformat(" ", "microseconds")[:26] if self.sqlite else moment

    def day(self, value: date | None) -> Any:
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def _converter(self, column: Any) -> Callable[[Any], Any] | None:
        """How a column's Python value goes to the driver (None: as it is)."""
        kind = column.type
        if isinstance(kind, Money):
            return lambda v: None if v is None else int((Decimal(str(v)) * 100).to_integral_value())
        if isinstance(kind, JSON):
            return _JSON
        if isinstance(kind, DateTime):
            return self.dt if self.sqlite else None
        if isinstance(kind, Date):
            return self.day if self.sqlite else None
        if isinstance(kind, Boolean):
            return (lambda v: None if v is None else int(v)) if self.sqlite else None
        return None

    def add(self, row: Row) -> None:
        values = row.values
        key: tuple[str, tuple[str, ...]] = (str(row.model.__tablename__), tuple(values))
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = self._plan(row)
        cells = list(values.values())
        for i, convert in plan[1]:
            cells[i] = convert(cells[i])
        self.pending[key].append(cells)

    def _plan(self, row: Row) -> tuple[str, list[tuple[int, Callable[[Any], Any]]]]:
        """The INSERT for rows of this shape, and which of their columns need converting."""
        table = row.model.__table__  # type: ignore[attr-defined]
        names = tuple(row.values)
        quoted = ", ".join(f'"{n}"' for n in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({self.marks(len(names))})'
        self.pending[(table.name, names)] = []
        converters = [(i, self._converter(table.c[n])) for i, n in enumerate(names)]
        return sql, [(i, c) for i, c in converters if c is not None]

    def __len__(self) -> int:
        return sum(len(batch) for batch in self.pending.values())

    def write(self, conn: Any) -> None:
        """Insert what is pending, parent tables first (cases before their parties and events), straight
        through the driver's executemany on the transaction's connection."""
        order = ("case", "agreement")
        keys = sorted(self.pending, key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[0]))
        cursor = conn.connection.cursor()
        for key in keys:
            if self.pending[key]:
                cursor.executemany(self.plans[key][0], self.pending[key])
                self.pending[key] = []
        cursor.close()


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


_REGIONS = ("330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112")  # 杭州


def _id_number(rng: random.Random) -> str:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    first = f"{rng.choice(_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first + id_check_digit(first)


def _insert_people(
    conn: Any, writer: _Writer, password_hash: str, now: datetime
) -> tuple[dict[int, Team], list[str]]:
    teams: dict[int, Team] = {}
    usernames: list[str] = []
    comm_sql = f"INSERT INTO community (name, short_name, street) VALUES ({writer.marks(3)})"
    user_cols = "username, display_name, password_hash, roles, active, locale, phone, created_at"
    user_sql = f'INSERT INTO "user" ({user_cols}) VALUES ({writer.marks(8)})'
    link_sql = f"INSERT INTO user_community (user_id, community_id) VALUES ({writer.marks(2)})"
    rng = random.Random(7)

    def add_user(username: str, display: str, role: str, community_ids: list[int]) -> int:
        conn.exec_driver_sql(
            user_sql,
            (username, display, password_hash, role, writer.flag(True), "zh", _phone(rng), writer.dt(now)),
        )
        uid = int(
            conn.exec_driver_sql(
                'SELECT id FROM "user" WHERE username = ' + ("?" if writer.sqlite else "%s"), (username,)
            ).scalar_one()
        )
        conn.exec_driver_sql(link_sql, [(uid, cid) for cid in community_ids])
        usernames.append(username)
        return uid

    for street, communities in STREETS.items():
        ids = []
        for name, short in communities:
            conn.exec_driver_sql(comm_sql, (name, short, street))
            cid = int(
                conn.exec_driver_sql(
                    "SELECT id FROM community WHERE short_name = " + ("?" if writer.sqlite else "%s"),
                    (short,),
                ).scalar_one()
            )
            ids.append(cid)
            team = teams[cid] = Team(cid)
            p = PINYIN[short]
            team.staff.append(add_user(f"staff_{p}", f"{_name(rng)}（{short}工作人员）", "staff", [cid]))
            team.mediator.append(
                add_user(f"mediator_{p}", f"{_name(rng)}（{short}调解员）", "mediator", [cid])
            )
            for i in range(1, 5):
                team.volunteer.append(
                    add_user(f"volunteer_{p}_{i}", f"{_name(rng)}（志愿者）", "volunteer", [cid])
                )
        sp = STREET_PINYIN[street]
        judge = add_user(f"judge_{sp}", f"{_name(rng)}（社区法官）", "judge", ids)
        for cid in ids:
            teams[cid].judge.append(judge)
        add_user(f"leader_{sp}", f"{_name(rng)}（{street}领导）", "leader", ids)
    return teams, usernames


# --- paths ------------------------------------------------------------------------------------


@dataclass
class _Step:
    trigger: str
    dest: State
    days: float


def _plan(rng: random.Random, tier: Tier) -> list[_Step]:
    """A legal sequence of triggers for one case (the walk stops where a step would lie in the future)."""
    s = State
    fate = rng.random()
    if fate < 0.03:
        return [_Step("reject", s.NOT_ACCEPTED, rng.uniform(0.05, 2))]
    if fate < 0.045:
        return [_Step("withdraw", s.WITHDRAWN, rng.uniform(0.1, 3))]
    steps = [_Step("accept", s.ACCEPTED, rng.uniform(0.05, 1.5))]
    if tier is Tier.JUDGE and rng.random() < 0.25:
        steps.append(_Step("delegate", s.ACCEPTED, rng.uniform(0.5, 3)))
        tier = Tier.MEDIATOR
    steps += _escalations(rng, tier)
    steps.append(_Step("assign", s.ASSIGNED, rng.uniform(0.1, 1.5)))
    if rng.random() < 0.03:
        steps.append(_Step("reassign", s.ASSIGNED, rng.uniform(0.5, 3)))
    steps.append(_Step("notify_rights", s.ASSIGNED, rng.uniform(0.05, 1)))
    if fate < 0.06:
        steps += [
            _Step("record_refusal", s.ASSIGNED, rng.uniform(0.5, 2)),
            _Step("withdraw", s.WITHDRAWN, rng.uniform(0.1, 2)),
        ]
        return steps
    steps += _mediation(rng)
    if fate < 0.095:
        steps.append(_Step("terminate", s.TERMINATED, rng.uniform(1, 5)))
        return steps
    return steps + _after_agreement(rng)


def _escalations(rng: random.Random, tier: Tier) -> list[_Step]:
    """A small share of cases fail at their first tier and go one (rarely two) tiers up."""
    s = State
    r = rng.random()
    if tier is Tier.JUDGE or r >= 0.06:
        return []
    times = 1 if (r > 0.006 or tier is Tier.MEDIATOR) else 2
    return [
        step
        for _ in range(times)
        for step in (
            _Step("assign", s.ASSIGNED, rng.uniform(0.1, 1)),
            _Step("notify_rights", s.ASSIGNED, rng.uniform(0.05, 1)),
            _Step("start_mediation", s.MEDIATING, rng.uniform(0.05, 1)),
            _Step("record_session", s.MEDIATING, rng.uniform(1, 5)),
            _Step("escalate", s.ACCEPTED, rng.uniform(0.5, 3)),
        )
    ]


def _mediation(rng: random.Random) -> list[_Step]:
    """From the start of mediation to just before its outcome: sessions, a risk raised, an extension."""
    s = State
    steps = [_Step("start_mediation", s.MEDIATING, rng.uniform(0.05, 1))]
    if rng.random() < 0.03:
        steps.append(_Step("flag_risk", s.MEDIATING, rng.uniform(0.5, 4)))
    slow = rng.random() < 0.12
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        steps.append(
            _Step("record_session", s.MEDIATING, rng.uniform(3, 14) if slow else rng.uniform(0.5, 6))
        )
    if slow and rng.random() < 0.4:
        steps.append(_Step("extend_deadline", s.MEDIATING, rng.uniform(0.1, 2)))
    return steps


def _after_agreement(rng: random.Random) -> list[_Step]:
    """An agreement, maybe its judicial confirmation, and the follow-up (or a default and what follows)."""
    s = State
    steps = [_Step("record_agreement", s.AGREED, rng.uniform(0.5, 4))]
    if rng.random() < 0.08:
        steps.append(_Step("record_judicial_confirmation", s.AGREED, rng.uniform(2, 20)))
    if rng.random() < 0.03:
        steps.append(_Step("follow_up_failed", s.DEFAULTED, rng.uniform(7, 25)))
        if rng.random() < 0.5:
            steps += [
                _Step("remediate", s.MEDIATING, rng.uniform(1, 5)),
                _Step("record_agreement", s.AGREED, rng.uniform(2, 8)),
                _Step("follow_up", s.CLOSED, rng.uniform(7, 20)),
            ]
        else:
            steps.append(_Step("terminate", s.TERMINATED, rng.uniform(2, 10)))
        return steps
    steps.append(_Step("follow_up", s.CLOSED, rng.uniform(7, 25)))
    return steps


CENT = Decimal("0.01")
_SEVERITY_OF = {Tier.VOLUNTEER: Severity.MINOR, Tier.MEDIATOR: Severity.GENERAL, Tier.JUDGE: Severity.MAJOR}
_RISK_UP = {"none": "yellow", "yellow": "orange", "orange": "red", "red": "orange"}


def _real(trigger: str) -> str:
    return "follow_up" if trigger == "follow_up_failed" else trigger


_FIXED: dict[str, dict[str, Any]] = {
    "accept": {},
    "reject": {
        "reason_code": "handled_elsewhere",
        "route_told": "已告知向人民法院起诉",
        "note": "已由人民法院受理",
    },
    "record_refusal": {"who": "respondent", "reason": "被申请人明确拒绝调解"},
    "start_mediation": {},
    "escalate": {"reason": "调解未果，双方分歧较大，上报上一级调解"},
    "delegate": {"reason": "案情较简单，交由社区调解员调解"},
    "extend_deadline": {"consent": True, "note": "双方当事人同意延长调解期限"},
    "terminate": {
        "reason": "双方分歧较大，调解不成",
        "notice_given": True,
        "route_told": "可向人民法院提起诉讼",
    },
    "remediate": {"consent": True},
}


def _holder(trigger: str, assignee: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {"assignee_id": assignee}
    if trigger == "reassign":
        data |= {"reason_kind": "workload", "reason": "原承办人工作量较大，调整承办人"}
    return data


def _session_data(day: date) -> dict[str, Any]:
    return {
        "held_on": day,
        "place": "社区人民调解室",
        "attendees": "双方当事人、调解员",
        "summary": "双方陈述各自意见，调解员释法说理",
        "kind": "public",
    }


def _risk_data(facts: CaseFacts, day: date) -> dict[str, Any]:
    level = _RISK_UP[facts.risk_level.value]
    data: dict[str, Any] = {"level": level, "note": "调解中发现矛盾有激化迹象" if level != "orange" else ""}
    if level == "red":
        data |= {"reported_to": "辖区派出所", "reported_on": day}
    return data


def _withdraw_data(facts: CaseFacts) -> dict[str, Any]:
    refused = facts.refusal_recorded
    return {
        "kind": "refused" if refused else "withdrew",
        "who": "respondent" if refused else "applicant",
        "reason": "一方当事人拒绝调解" if refused else "申请人撤回调解申请",
    }


def _follow_up_data(trigger: str, day: date, rng: random.Random) -> dict[str, Any]:
    performed = trigger == "follow_up"
    sat = "dissatisfied"
    if performed:
        sat = rng.choices(["satisfied", "basically", "dissatisfied"], weights=[80, 17, 3])[0]
    notes = "协议已履行" if performed else "协议未按期履行"
    method = rng.choice(("visit", "call"))
    return {"visited_on": day, "method": method, "performed": performed, "satisfaction": sat, "notes": notes}


def step_data(
    trigger: str, facts: CaseFacts, today: date, rng: random.Random, assignee: int | None
) -> dict[str, Any]:
    """Realistic data for one step as a mediator enters it, typed as ``workflow.fields.clean`` types it."""
    if trigger in _FIXED:
        return dict(_FIXED[trigger])
    if trigger in ("assign", "reassign"):
        return _holder(trigger, assignee)
    if trigger == "notify_rights":
        return {"method": "written", "notified_on": today}
    if trigger == "record_session":
        return _session_data(today)
    if trigger == "flag_risk":
        return _risk_data(facts, today)
    if trigger == "withdraw":
        return _withdraw_data(facts)
    if trigger == "record_judicial_confirmation":
        result = "valid" if rng.random() < 0.9 else "invalid"
        return {"joint": True, "applied_on": today, "court": "区人民法院", "result": result}
    return _follow_up_data(trigger, today, rng)


def _agreement_data(today: date, rng: random.Random, claimed: Decimal) -> dict[str, Any]:
    oral = rng.random() < 0.25
    amount = (claimed * Decimal(rng.choice((50, 70, 80, 100))) / 100).quantize(Decimal("1")).quantize(CENT)
    data: dict[str, Any] = {"kind": "oral" if oral else "written", "effective_on": today}
    if amount:
        data["amount"] = amount
    if oral:
        return data | {"content": "双方口头约定赔偿并当场履行"}
    due = today + timedelta(days=rng.randrange(3, 20))
    return data | {
        "facts": "纠纷事实清楚，双方各负相应责任",
        "terms": "被申请人向申请人支付补偿款",
        "performance": "现金一次性支付，于社区调解室",
        "performance_due": due,
    }


def _verify_path(triggers: tuple[str, ...], tier: Tier) -> None:
    """Fire a trigger sequence through the engine with every guard; raises Refused if it is not legal."""
    staff = Actor(1, frozenset({Role.STAFF}), frozenset({1}))
    members = {t: Actor(10 + i, frozenset({t.role}), frozenset({1})) for i, t in enumerate(Tier)}
    today = date(2026, 1, 31)
    facts = CaseFacts(State.REGISTERED, 1, severity=_SEVERITY_OF[tier], registered_on=today)
    rng = random.Random(0)
    for trig in triggers:
        real = _real(trig)
        tier_now = facts.tier or tier
        pick = members[tier_now].id if real in ("assign", "reassign") else None
        if real == "reassign":
            pick = 99
            members[tier_now] = Actor(99, frozenset({tier_now.role}), frozenset({1}))
        if real == "record_agreement":
            data = _agreement_data(today, rng, Decimal(1000))
        else:
            data = step_data(trig, facts, today, rng, pick)
        assignee = next((a for a in members.values() if a.id == facts.assignee_id), None)
        actor = _actor_for(real, facts, staff, assignee, members[Tier.JUDGE])
        candidate = members[tier_now] if real in ("assign", "reassign") else None
        out = ENGINE.fire(facts, actor, real, data, today=today, candidate=candidate)
        facts = advance(facts, out, today)


def _actor_for(trigger: str, facts: CaseFacts, staff: Any, assignee: Any, judge: Any) -> Any:
    if trigger == "delegate":
        return judge
    if trigger in ("accept", "reject", "assign", "reassign") or assignee is None:
        return staff
    return assignee


# --- generation -------------------------------------------------------------------------------

# Every column of a new case that intake leaves to the model's defaults (flags, counters, version).
CASE_DEFAULTS: dict[str, Any] = {
    name: info.default for name, info in Case.model_fields.items() if info.default is not PydanticUndefined
}


@dataclass
class _Walk:
    """One case on its way through its planned steps."""

    case_id: int
    team: Team
    facts: CaseFacts
    values: dict[str, Any]
    claimed: Decimal
    now: datetime = datetime.min
    today: date = date.min
    agreement_id: int | None = None
    version: int = 1


class _CaseBuilder:
    """Builds one case's rows by walking its planned steps in time."""

    def __init__(self, rng: random.Random, writer: _Writer, teams: dict[int, Team], now: datetime) -> None:
        self.rng = rng
        self.people = [(_name(rng), _phone(rng), _id_number(rng)) for _ in range(20000)]
        self.w = writer
        self.teams = teams
        self.now = now
        self.counters: dict[tuple[int, int], int] = {}
        self.short: dict[int, str] = {}
        self.xiaoqu: dict[int, list[str]] = {}
        self.agreement_id = 0
        self.verified: set[tuple[tuple[str, ...], Tier]] = set()
        self.events = 0
        self.actors: dict[int, Actor] = {}

    def intake(self, community_id: int) -> IntakeInput:
        rng = self.rng
        category = _weighted(rng, CATEGORIES)
        parties = 2 if rng.random() < 0.9 else 3
        people = parties if rng.random() > 0.005 else rng.randrange(10, 40)
        risk = rng.choices(RISKS, weights=RISK_WEIGHTS)[0]
        xiaoqu = rng.choice(self.xiaoqu[community_id])
        building = f"{rng.randrange(1, 30)}栋"
        party_inputs = []
        for i in range(parties):
            name, phone, id_number = rng.choice(self.people)
            room = f"{rng.randrange(1, 33)}0{rng.randrange(1, 5)}"
            role = "applicant" if i == 0 else "respondent"
            party_inputs.append(PartyInput(role, name, phone, id_number, xiaoqu, building, room))
        return IntakeInput(
            community_id=community_id,
            category=category,
            source=_weighted(rng, SOURCES),
            facts=rng.choice(FACTS.get(category, DEFAULT_FACTS)),
            parties=party_inputs,
            claimed_amount=self._amount(),
            people_involved=people,
            injury=rng.random() < 0.01,
            risk_level=risk,
            reported_to="辖区派出所" if risk == "red" else "",
            place_xiaoqu=xiaoqu,
            place_building=building,
        )

    def build(self, case_id: int, community_id: int, registered: datetime) -> None:
        data = self.intake(community_id)
        result = triage(
            TriageFacts(
                data.category,
                data.claimed_amount,
                data.injury,
                data.people_count,
                len(data.parties),
                RiskLevel(data.risk_level),
                None,
            ),
            DEFAULT_POLICY,
        )
        plan = _plan(self.rng, result.tier)
        key = (tuple(st.trigger for st in plan), result.tier)
        if key not in self.verified:
            _verify_path(*key)
            self.verified.add(key)
        team = self.teams[community_id]
        values = {**CASE_DEFAULTS, "id": case_id, **new_case_values(data, result, team.staff[0], registered)}
        facts = CaseFacts(
            State.REGISTERED,
            community_id,
            severity=result.severity,
            risk_level=RiskLevel(data.risk_level),
            registered_on=local(registered).date(),
        )
        walk = _Walk(case_id, team, facts, values, data.claimed_amount or Decimal(0), now=registered)
        for row in registration_rows(data, result, Where(case_id, community_id, team.staff[0], registered)):
            self.w.add(row)
        self.events += 1
        t = registered
        for step in plan:
            t = t + timedelta(days=step.days)
            if t >= self.now:
                break
            self._step(walk, step, t)
        values["updated_at"] = walk.now
        values["version"] = walk.version
        self.w.add(Row(Case, values))

    def _amount(self) -> Decimal:
        r = self.rng.random()
        if r < 0.85:
            return Decimal(self.rng.randrange(0, 1000))
        if r < 0.985:
            return Decimal(self.rng.randrange(1000, 20000))
        return Decimal(self.rng.randrange(20000, 300000))

    def _actor(self, user_id: int) -> Actor:
        if user_id not in self.actors:
            self.actors[user_id] = Actor(user_id, frozenset())
        return self.actors[user_id]

    def _step(self, walk: _Walk, step: _Step, t: datetime) -> None:
        real = _real(step.trigger)
        facts, team = walk.facts, walk.team
        walk.now, walk.today = t, local(t).date()
        tier = facts.tier or Tier.VOLUNTEER
        pick = None
        if real in ("assign", "reassign"):
            pool = [u for u in team.of(tier.value) if u != facts.assignee_id] or team.of(tier.value)
            pick = self.rng.choice(pool)
        if real == "record_agreement":
            data = _agreement_data(walk.today, self.rng, walk.claimed)
        else:
            data = step_data(step.trigger, facts, walk.today, self.rng, pick)
        judge = team.judge[0]
        actor_id = _actor_for(real, facts, team.staff[0], facts.assignee_id, judge)
        outcome = ENGINE.unchecked(
            facts, self._actor(actor_id), real, data, today=walk.today, to_state=step.dest
        )
        self._write(walk, outcome, actor_id)
        walk.facts = advance(facts, outcome, walk.today)

    def _write(self, walk: _Walk, outcome: Outcome, actor_id: int) -> None:
        values = walk.values
        values |= case_values(outcome, walk.now)
        if outcome.trigger == "accept":
            year = local(walk.now).year
            key = (values["community_id"], year)
            seq = self.counters[key] = self.counters.get(key, 0) + 1
            number = format_number(year, self.short[values["community_id"]], seq)
            values |= {"number_year": year, "number_seq": seq, "number": number}
        where = Where(walk.case_id, values["community_id"], actor_id, walk.now, walk.agreement_id)
        rows = record_rows(outcome, where)
        if outcome.trigger == "record_agreement":
            self.agreement_id += 1
            walk.agreement_id = self.agreement_id
            rows[0] = rows[0]._replace(values={"id": self.agreement_id, **rows[0].values})
        decided = {
            "number": values.get("number"),
            "tier": values.get("tier"),
            "deadline": values.get("deadline"),
        }
        decided["computed"] = values["severity_computed"]
        rows.append(event_row(outcome, where, event_data(outcome, decided)))
        for row in rows:
            self.w.add(row)
        walk.version += 1
        self.events += 1


def _registration_times(rng: random.Random, n: int, now: datetime, months: int = 36) -> Iterator[datetime]:
    span = timedelta(days=months * 30.4).total_seconds()
    start = now - timedelta(seconds=span)
    for offset in sorted(rng.random() * span for _ in range(n)):
        yield start + timedelta(seconds=offset)


def generate(
    engine: Engine,
    *,
    cases: int,
    seed: int,
    password_hash: str,
    now: datetime | None = None,
    batch: int = 20000,
) -> DemoSummary:
    """Fill an empty, migrated database with demo communities, users and ``cases`` cases."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    writer = _Writer(engine)
    with engine.begin() as conn:
        if conn.execute(text('SELECT COUNT(*) FROM "case"')).scalar_one():
            raise ValueError("数据库中已有案件，演示数据只写入空数据库。")
        teams, usernames = _insert_people(conn, writer, password_hash, now)
        community_rows = conn.execute(text("SELECT id, short_name FROM community")).all()
    builder = _CaseBuilder(rng, writer, teams, now)
    builder.short = {int(r[0]): str(r[1]) for r in community_rows}
    for cid, short in builder.short.items():
        builder.xiaoqu[cid] = [f"{short}{suffix}" for suffix in XIAOQU]
    weights = [rng.uniform(0.5, 1.5) for _ in teams]
    community_ids = list(teams)
    with engine.begin() as conn:
        for case_id, registered in enumerate(_registration_times(rng, cases, now), start=1):
            community_id = rng.choices(community_ids, weights=weights)[0]
            builder.build(case_id, community_id, registered)
            if len(writer) >= batch * 12:
                writer.write(conn)
        writer.write(conn)
        counter_sql = f"INSERT INTO case_counter (community_id, year, last) VALUES ({writer.marks(3)})"
        if builder.counters:
            conn.exec_driver_sql(counter_sql, [(c, y, n) for (c, y), n in builder.counters.items()])
        live_counts.rebuild(conn)
        if not writer.sqlite:
            for table in (
                "case",
                "agreement",
                "case_event",
                "party",
                "session_record",
                "follow_up",
                "judicial_confirmation",
            ):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )
    if writer.sqlite:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return DemoSummary(cases, builder.events, len(teams), len(usernames), usernames)
