"""Realistic demo data: communities, the 1+1+N teams and years of cases with their full records.

Cases follow legal paths of the workflow engine (every distinct path is replayed through the engine
once before any row is written); rows go in with plain executemany for speed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text

from services import tally
from services.clock import local
from services.numbering import format_number
from services.validation import id_check_digit
from workflow import ENGINE, Actor, CaseFacts, Role, Severity, State, Tier, TriageFacts, triage
from workflow.clocks import follow_up_due, mediation_deadline
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


class _Rows:
    """Rows waiting to be written, per table."""

    def __init__(self) -> None:
        self.case: list[tuple[Any, ...]] = []
        self.party: list[tuple[Any, ...]] = []
        self.event: list[tuple[Any, ...]] = []
        self.session: list[tuple[Any, ...]] = []
        self.agreement: list[tuple[Any, ...]] = []
        self.follow_up: list[tuple[Any, ...]] = []
        self.confirmation: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.case)


COLUMNS = {
    "case": (
        "id community_id number number_year number_seq category source facts claimed_amount people_involved "
        "parties_count injury place_xiaoqu place_building risk_level reported_to severity_computed "
        "triage_reasons severity severity_overridden tier state assignee_id rights_notified refusal_recorded "
        "mediation_started extensions escalations registered_at accepted_at deadline agreed_at closed_at "
        "updated_at created_by_id version"
    ),
    "party": "case_id role name phone id_number address_xiaoqu address_building address_room",
    "case_event": "case_id community_id trigger from_state to_state actor_id at note data",
    "session_record": "case_id held_on place attendees summary kind recorded_by_id created_at",
    "agreement": (
        "id case_id community_id kind facts terms performance content amount effective_on performance_due "
        "follow_up_due recorded_by_id created_at"
    ),
    "follow_up": "case_id agreement_id visited_on method performed satisfaction notes recorded_by_id",
    "judicial_confirmation": "case_id agreement_id applied_on joint court result recorded_by_id",
}
TABLE_OF = {
    "case": "case",
    "party": "party",
    "event": "case_event",
    "session": "session_record",
    "agreement": "agreement",
    "follow_up": "follow_up",
    "confirmation": "judicial_confirmation",
}


class _Writer:
    """Formats values for the database driver and writes batches."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.statements = {}
        for table, cols in COLUMNS.items():
            names = cols.split()
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join(["?" if self.sqlite else "%s"] * len(names))
            self.statements[table] = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'

    def marks(self, n: int) -> str:
        return ", ".join(["?" if self.sqlite else "%s"] * n)

    def dt(self, moment: datetime | None) -> Any:
        if moment is None:
            return None
        # Times are naive UTC while generating; PostgreSQL gets them with their zone.
        return moment.isoformat(" ", "microseconds") if self.sqlite else moment.replace(tzinfo=UTC)

    def day(self, value: date | None) -> Any:
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def write(self, conn: Any, rows: _Rows) -> None:
        for attr, table in TABLE_OF.items():
            batch = getattr(rows, attr)
            if batch:
                conn.exec_driver_sql(self.statements[table], batch)


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _id_number(rng: random.Random) -> str:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    first = f"3301{rng.randrange(100):02d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first + id_check_digit(first)


def _money(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


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


def _plan(rng: random.Random, age_days: float, tier: Tier) -> list[_Step]:
    """A legal sequence of triggers for one case, cut where its next step would lie in the future."""
    s = State
    fate = rng.random()
    steps: list[_Step] = []
    if fate < 0.03:
        return [_Step("reject", s.NOT_ACCEPTED, rng.uniform(0.05, 2))]
    if fate < 0.045:
        return [_Step("withdraw", s.WITHDRAWN, rng.uniform(0.1, 3))]
    steps.append(_Step("accept", s.ACCEPTED, rng.uniform(0.05, 1.5)))
    current = tier
    escalate_times = 0
    r = rng.random()
    if current is not Tier.JUDGE and r < 0.06:
        escalate_times = 1 if (r > 0.006 or current is Tier.MEDIATOR) else 2
    for _ in range(escalate_times):
        steps += [
            _Step("assign", s.ASSIGNED, rng.uniform(0.1, 1)),
            _Step("notify_rights", s.ASSIGNED, rng.uniform(0.05, 1)),
            _Step("start_mediation", s.MEDIATING, rng.uniform(0.05, 1)),
            _Step("record_session", s.MEDIATING, rng.uniform(1, 5)),
            _Step("escalate", s.ACCEPTED, rng.uniform(0.5, 3)),
        ]
    steps += [
        _Step("assign", s.ASSIGNED, rng.uniform(0.1, 1.5)),
        _Step("notify_rights", s.ASSIGNED, rng.uniform(0.05, 1)),
    ]
    if fate < 0.06:
        steps += [
            _Step("record_refusal", s.ASSIGNED, rng.uniform(0.5, 2)),
            _Step("withdraw", s.WITHDRAWN, rng.uniform(0.1, 2)),
        ]
        return steps
    steps.append(_Step("start_mediation", s.MEDIATING, rng.uniform(0.05, 1)))
    slow = rng.random() < 0.12
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        steps.append(
            _Step("record_session", s.MEDIATING, rng.uniform(3, 14) if slow else rng.uniform(0.5, 6))
        )
    if slow and rng.random() < 0.4:
        steps.append(_Step("extend_deadline", s.MEDIATING, rng.uniform(0.1, 2)))
    if fate < 0.095:
        steps.append(_Step("terminate", s.TERMINATED, rng.uniform(1, 5)))
        return steps
    steps.append(_Step("record_agreement", s.AGREED, rng.uniform(0.5, 4)))
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


def _verify_path(triggers: tuple[str, ...], tier: Tier) -> None:
    """Replay a trigger sequence through the engine; raises Refused if it is not a legal path."""
    staff = Actor(1, frozenset({Role.STAFF}), frozenset({1}))
    members = {t: Actor(10 + i, frozenset({t.role}), frozenset({1})) for i, t in enumerate(Tier)}
    facts = CaseFacts(State.REGISTERED, 1, severity=_SEVERITY_OF[tier])
    today = date(2026, 1, 31)
    for trig in triggers:
        real = "follow_up" if trig == "follow_up_failed" else trig
        data = _engine_data(trig, facts, members, today)
        assignee = next((a for a in members.values() if a.id == facts.assignee_id), None)
        actor = staff if real in ("accept", "reject", "assign") or assignee is None else assignee
        candidate = members[facts.tier] if real == "assign" and facts.tier else None
        out = ENGINE.fire(facts, actor, real, data, today=today, candidate=candidate)
        updates: dict[str, Any] = {"state": out.to_state, **out.changes}
        if real == "record_agreement":
            updates.update(
                agreement_kind="written", agreement_effective_on=today, confirmation_recorded=False
            )
        if real == "record_judicial_confirmation":
            updates["confirmation_recorded"] = True
        if "tier" in updates and updates["tier"] is not None:
            updates["tier"] = Tier(updates["tier"])
        known = {k: v for k, v in updates.items() if k in CaseFacts.__dataclass_fields__}
        facts = CaseFacts(**{**facts.__dict__, **known})


_SEVERITY_OF = {Tier.VOLUNTEER: Severity.MINOR, Tier.MEDIATOR: Severity.GENERAL, Tier.JUDGE: Severity.MAJOR}


def _engine_data(trig: str, facts: CaseFacts, members: dict[Tier, Actor], today: date) -> dict[str, Any]:
    iso = today.isoformat()
    samples: dict[str, dict[str, Any]] = {
        "reject": {"reason_code": "handled_elsewhere", "route_told": "x"},
        "assign": {"assignee_id": members[facts.tier].id if facts.tier else 0},
        "notify_rights": {"method": "written", "notified_on": iso},
        "record_refusal": {"who": "respondent", "reason": "x"},
        "record_session": {"held_on": iso, "place": "x", "attendees": "x", "summary": "x", "kind": "public"},
        "escalate": {"reason": "x"},
        "record_agreement": {
            "kind": "written",
            "effective_on": iso,
            "facts": "x",
            "terms": "x",
            "performance": "x",
            "performance_due": iso,
        },
        "record_judicial_confirmation": {"joint": True, "applied_on": iso, "court": "x", "result": "valid"},
        "follow_up": {
            "visited_on": iso,
            "method": "call",
            "performed": True,
            "satisfaction": "satisfied",
            "notes": "x",
        },
        "follow_up_failed": {
            "visited_on": iso,
            "method": "call",
            "performed": False,
            "satisfaction": "dissatisfied",
            "notes": "x",
        },
        "remediate": {"consent": True},
        "terminate": {"reason": "x", "notice_given": True, "route_told": "x"},
        "withdraw": {"kind": "withdrew", "who": "applicant", "reason": "x"},
        "extend_deadline": {"consent": True},
    }
    return samples.get(trig, {})


# --- generation -------------------------------------------------------------------------------


@dataclass
class _Walk:
    """One case on its way through its planned steps."""

    case_id: int
    community_id: int
    team: Team
    tier: Tier
    severity: Severity
    amount: Decimal
    rows: _Rows
    state: State = State.REGISTERED
    staff: int = 0
    actor: int | None = None
    assignee: int | None = None
    now: datetime = datetime.min
    today: date = date.min
    tier_value: str | None = None
    severity_value: str | None = None
    number: str | None = None
    year: int | None = None
    seq: int | None = None
    accepted_at: datetime | None = None
    deadline: date | None = None
    agreed_at: datetime | None = None
    closed_at: datetime | None = None
    agreement_id: int | None = None
    started: bool = False
    notified: bool = False
    refused: bool = False
    escalations: int = 0
    extensions: int = 0
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

    def build(self, rows: _Rows, case_id: int, community_id: int, registered: datetime) -> None:
        rng = self.rng
        category = _weighted(rng, CATEGORIES)
        amount = self._amount()
        people = rng.choice((2, 2, 2, 3, 4)) if rng.random() > 0.005 else rng.randrange(10, 40)
        injury = rng.random() < 0.01
        risk = rng.choices(RISKS, weights=RISK_WEIGHTS)[0]
        parties = 2 if rng.random() < 0.9 else 3
        result = triage(
            TriageFacts(category, amount, injury, people, parties, RiskLevel(risk), None), DEFAULT_POLICY
        )
        plan = _plan(rng, (self.now - registered).days, result.tier)
        key = (tuple(st.trigger for st in plan), result.tier)
        if key not in self.verified:
            _verify_path(*key)
            self.verified.add(key)
        walk = _Walk(
            case_id, community_id, self.teams[community_id], result.tier, result.severity, amount, rows
        )
        walk.staff = walk.team.staff[0]
        self._event(
            walk, "register", None, State.REGISTERED, registered, "", {"severity": result.severity.value}
        )
        t = registered
        for step in plan:
            t = t + timedelta(days=step.days)
            if t >= self.now:
                break
            self._step(walk, step, t)
        xiaoqu = rng.choice(self.xiaoqu[community_id])
        building = f"{rng.randrange(1, 30)}栋"
        self._case_row(
            walk, category, people, parties, injury, risk, result.reasons, xiaoqu, building, registered, t
        )
        for i in range(parties):
            name, phone, id_number = rng.choice(self.people)
            room = f"{rng.randrange(1, 33)}0{rng.randrange(1, 5)}"
            role = "applicant" if i == 0 else "respondent"
            rows.party.append((case_id, role, name, phone, id_number, xiaoqu, building, room))

    def _amount(self) -> Decimal:
        r = self.rng.random()
        if r < 0.85:
            return Decimal(self.rng.randrange(0, 1000))
        if r < 0.985:
            return Decimal(self.rng.randrange(1000, 20000))
        return Decimal(self.rng.randrange(20000, 300000))

    def _step(self, walk: _Walk, step: _Step, t: datetime) -> None:
        trig = "follow_up" if step.trigger == "follow_up_failed" else step.trigger
        walk.actor = (
            walk.assignee if walk.assignee and trig not in ("accept", "assign", "reject") else walk.staff
        )
        walk.today = local(t).date()
        walk.now = t
        handler = getattr(self, f"_on_{trig}", None)
        note, data = handler(walk, step) if handler else ("", {})
        self._event(walk, trig, walk.state, step.dest, t, note, data)
        walk.state = step.dest
        if walk.state.terminal:
            walk.closed_at = t

    def _on_accept(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        year = local(walk.now).year
        key = (walk.community_id, year)
        seq = self.counters[key] = self.counters.get(key, 0) + 1
        walk.accepted_at, walk.year, walk.seq = walk.now, year, seq
        walk.tier_value, walk.severity_value = walk.tier.value, walk.severity.value
        walk.number = format_number(year, self.short[walk.community_id], seq)
        walk.deadline = mediation_deadline(walk.today, 0)
        return "", {"number": walk.number, "tier": walk.tier.value}

    def _on_reject(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        return "已由人民法院受理", {"reason_code": "handled_elsewhere", "route_told": "已告知向人民法院起诉"}

    def _on_assign(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.assignee = self.rng.choice(walk.team.of(walk.tier.value))
        return "", {"assignee_id": walk.assignee}

    def _on_notify_rights(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.notified = True
        return "", {"method": "written", "notified_on": walk.today.isoformat()}

    def _on_record_refusal(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.refused = True
        return "被申请人明确拒绝调解", {"who": "respondent"}

    def _on_start_mediation(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.started = True
        return "", {}

    _on_remediate = _on_start_mediation

    def _on_record_session(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        w = self.w
        summary = "双方陈述各自意见，调解员释法说理"
        walk.rows.session.append(
            (
                walk.case_id,
                w.day(walk.today),
                "社区人民调解室",
                "双方当事人、调解员",
                summary,
                "public",
                walk.actor,
                w.dt(walk.now),
            )
        )
        return "", {"held_on": walk.today.isoformat(), "kind": "public"}

    def _on_extend_deadline(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.extensions += 1
        assert walk.accepted_at is not None
        walk.deadline = mediation_deadline(local(walk.accepted_at).date(), walk.extensions)
        return "双方当事人同意延长调解期限", {"consent": True}

    def _on_escalate(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        walk.tier = walk.tier.up() or walk.tier
        walk.tier_value, walk.assignee = walk.tier.value, None
        walk.escalations += 1
        return "调解未果，上报上一级", {"tier": walk.tier.value}

    def _on_terminate(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        return "双方分歧较大，调解不成", {"notice_given": True, "route_told": "可向人民法院提起诉讼"}

    def _on_withdraw(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        return ("一方当事人拒绝调解" if walk.refused else "申请人撤回调解申请"), {}

    def _on_record_agreement(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        rng, w = self.rng, self.w
        self.agreement_id += 1
        oral = rng.random() < 0.25
        due = walk.today + timedelta(days=rng.randrange(3, 20))
        amount = (walk.amount * Decimal(rng.choice((50, 70, 80, 100))) / 100).quantize(Decimal("1"))
        follow = follow_up_due(oral=oral, effective_on=walk.today, performance_due=None if oral else due)
        walk.rows.agreement.append(
            (
                self.agreement_id,
                walk.case_id,
                walk.community_id,
                "oral" if oral else "written",
                "" if oral else "纠纷事实清楚，双方各负相应责任",
                "" if oral else "被申请人向申请人支付补偿款",
                "" if oral else "现金一次性支付，于社区调解室",
                "双方口头约定赔偿并当场履行" if oral else "",
                _money(amount) if amount else None,
                w.day(walk.today),
                None if oral else w.day(due),
                w.day(follow),
                walk.actor,
                w.dt(walk.now),
            )
        )
        walk.agreement_id = self.agreement_id
        walk.agreed_at = walk.now
        return "", {"kind": "oral" if oral else "written", "amount": str(amount)}

    def _on_record_judicial_confirmation(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        result = "valid" if self.rng.random() < 0.9 else "invalid"
        walk.rows.confirmation.append(
            (
                walk.case_id,
                walk.agreement_id,
                self.w.day(walk.today),
                self.w.flag(True),
                "区人民法院",
                result,
                walk.actor,
            )
        )
        return "", {"joint": True, "result": result}

    def _on_follow_up(self, walk: _Walk, step: _Step) -> tuple[str, dict[str, Any]]:
        performed = step.trigger == "follow_up"
        sat = "dissatisfied"
        if performed:
            sat = self.rng.choices(["satisfied", "basically", "dissatisfied"], weights=[80, 17, 3])[0]
        walk.rows.follow_up.append(
            (
                walk.case_id,
                walk.agreement_id,
                self.w.day(walk.today),
                self.rng.choice(("visit", "call")),
                self.w.flag(performed),
                sat,
                "协议已履行" if performed else "协议未按期履行",
                walk.actor,
            )
        )
        return "", {"performed": performed, "satisfaction": sat}

    def _case_row(
        self,
        walk: _Walk,
        category: str,
        people: int,
        parties: int,
        injury: bool,
        risk: str,
        reasons: tuple[str, ...],
        xiaoqu: str,
        building: str,
        registered: datetime,
        last: datetime,
    ) -> None:
        w, rng = self.w, self.rng
        walk.rows.case.append(
            (
                walk.case_id,
                walk.community_id,
                walk.number,
                walk.year,
                walk.seq,
                category,
                _weighted(rng, SOURCES),
                rng.choice(FACTS.get(category, DEFAULT_FACTS)),
                _money(walk.amount),
                people,
                parties,
                w.flag(injury),
                xiaoqu,
                building,
                risk,
                "辖区派出所" if risk == "red" else None,
                walk.severity.value,
                "；".join(reasons),
                walk.severity_value,
                w.flag(False),
                walk.tier_value,
                walk.state.value,
                walk.assignee,
                w.flag(walk.notified),
                w.flag(walk.refused),
                w.flag(walk.started),
                walk.extensions,
                walk.escalations,
                w.dt(registered),
                w.dt(walk.accepted_at),
                w.day(walk.deadline),
                w.dt(walk.agreed_at),
                w.dt(walk.closed_at),
                w.dt(min(last, self.now)),
                walk.staff,
                walk.version,
            )
        )

    def _event(
        self,
        walk: _Walk,
        trig: str,
        src: State | None,
        dest: State,
        at: datetime,
        note: str,
        data: dict[str, Any],
    ) -> None:
        actor = walk.actor if trig != "register" else walk.staff
        walk.rows.event.append(
            (
                walk.case_id,
                walk.community_id,
                trig,
                src.value if src else None,
                dest.value,
                actor,
                self.w.dt(at),
                note,
                json.dumps(data, ensure_ascii=False) if data else "{}",
            )
        )
        walk.version += trig != "register"
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
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
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
    rows = _Rows()
    with engine.begin() as conn:
        for case_id, registered in enumerate(_registration_times(rng, cases, now), start=1):
            community_id = rng.choices(community_ids, weights=weights)[0]
            builder.build(rows, case_id, community_id, registered)
            if len(rows) >= batch:
                writer.write(conn, rows)
                rows = _Rows()
        writer.write(conn, rows)
        counter_sql = f"INSERT INTO case_counter (community_id, year, last) VALUES ({writer.marks(3)})"
        if builder.counters:
            conn.exec_driver_sql(counter_sql, [(c, y, n) for (c, y), n in builder.counters.items()])
        tally.rebuild(conn)
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
