"""Realistic demo data: communities, the 1+1+N teams and years of cases with their full records.

Cases follow legal paths of the workflow, walked and written by ``services.walks`` (shared with the
ledger import): every distinct path is fired through the engine once (every guard asked) before any
case takes it; each step is worked out by the engine's own effects and written as the rows
``services.records`` builds for ``services.cases.apply``, bulk-inserted with executemany for speed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text

from models import TermKind
from services.clock import local
from services.db import session_factory
from services.inputs import IntakeInput, PartyInput
from services.numbering import format_number
from services.policy import current_policy
from services.records import Where, new_case_values, registration_rows
from services.statistics import live_counts
from services.validation import id_check_digit
from services.vocabulary import active_categories, active_sources, names_by_id
from services.walks import (
    CASE_DEFAULTS,
    BulkWriter,
    Walk,
    actor_for_step,
    agreement_data,
    real_trigger,
    step_data,
    verify_path,
)
from workflow import CaseFacts, State, Tier, triage
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


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _in_use(weighted: Sequence[tuple[str, int]], names: list[str]) -> list[tuple[str, int]]:
    """The demo's weights for the names the vocabulary offers (a site's own names weigh 1 each)."""
    weights = dict(weighted)
    return [(name, weights.get(name, 1)) for name in names] or list(weighted)


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
    conn: Any, writer: BulkWriter, password_hash: str, now: datetime
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


# --- generation -------------------------------------------------------------------------------


class _CaseBuilder:
    """Builds one case's rows by walking its planned steps in time."""

    def __init__(self, rng: random.Random, writer: BulkWriter, teams: dict[int, Team], now: datetime) -> None:
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
        self.policy = DEFAULT_POLICY
        self.category_ids: dict[str, int] = {}
        self.categories = CATEGORIES
        self.sources = SOURCES

    def intake(self, community_id: int) -> IntakeInput:
        rng = self.rng
        category = _weighted(rng, self.categories)
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
            party_inputs.append(
                PartyInput.model_construct(
                    role=role,
                    name=name,
                    phone=phone,
                    id_number=id_number,
                    address_xiaoqu=xiaoqu,
                    address_building=building,
                    address_room=room,
                )
            )
        # Built unchecked (model_construct): generated valid, and checking a million of them (ID numbers
        # against the region table) would double the demo's time. tests/services/test_demo.py checks.
        return IntakeInput.model_construct(
            community_id=community_id,
            category=category,
            source=_weighted(rng, self.sources),
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
        result = triage(data.triage_facts(None, self.category_ids.get(data.category)), self.policy)
        plan = _plan(self.rng, result.tier)
        key = (tuple(st.trigger for st in plan), result.tier)
        if key not in self.verified:
            verify_path(*key)
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
        walk = Walk(case_id, facts, values, self.policy, now=registered)
        for row in registration_rows(data, result, Where(case_id, community_id, team.staff[0], registered)):
            self.w.add(row)
        self.events += 1
        claimed = data.claimed_amount or Decimal(0)
        t = registered
        for step in plan:
            t = t + timedelta(days=step.days)
            if t >= self.now:
                break
            self._step(walk, team, claimed, step, t)
        self.w.add(walk.case_row())

    def _amount(self) -> Decimal:
        r = self.rng.random()
        if r < 0.85:
            return Decimal(self.rng.randrange(0, 1000))
        if r < 0.985:
            return Decimal(self.rng.randrange(1000, 20000))
        return Decimal(self.rng.randrange(20000, 300000))

    def _step(self, walk: Walk, team: Team, claimed: Decimal, step: _Step, t: datetime) -> None:
        real = real_trigger(step.trigger)
        facts, today = walk.facts, local(t).date()
        tier = facts.tier or Tier.VOLUNTEER
        pick = None
        if real in ("assign", "reassign"):
            pool = [u for u in team.of(tier.value) if u != facts.assignee_id] or team.of(tier.value)
            pick = self.rng.choice(pool)
        if real == "record_agreement":
            data = agreement_data(today, self.rng, claimed)
        else:
            data = step_data(step.trigger, facts, today, self.rng, pick)
        actor_id = actor_for_step(real, facts, team.staff[0], facts.assignee_id, team.judge[0])
        number = self._number(walk.values["community_id"], t) if real == "accept" else None
        agreement_id = None
        if real == "record_agreement":
            self.agreement_id += 1
            agreement_id = self.agreement_id
        rows = walk.step(
            real, data, actor_id=actor_id, at=t, to_state=step.dest, number=number, agreement_id=agreement_id
        )
        for row in rows:
            self.w.add(row)
        self.events += 1

    def _number(self, community_id: int, at: datetime) -> dict[str, Any]:
        """The next number of the community's year, counted here (written to case_counter at the end)."""
        year = local(at).year
        key = (community_id, year)
        seq = self.counters[key] = self.counters.get(key, 0) + 1
        number = format_number(year, self.short[community_id], seq)
        return {"number_year": year, "number_seq": seq, "number": number}


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
    writer = BulkWriter(engine)
    with engine.begin() as conn:
        if conn.execute(text('SELECT COUNT(*) FROM "case"')).scalar_one():
            raise ValueError("数据库中已有案件，演示数据只写入空数据库。")
        teams, usernames = _insert_people(conn, writer, password_hash, now)
        community_rows = conn.execute(text("SELECT id, short_name FROM community")).all()
    builder = _CaseBuilder(rng, writer, teams, now)
    with session_factory(engine)() as session:
        builder.policy = current_policy(session)
        builder.category_ids = {v: k for k, v in names_by_id(session, TermKind.CATEGORY).items()}
        builder.categories = _in_use(CATEGORIES, active_categories(session))
        builder.sources = _in_use(SOURCES, active_sources(session))
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
