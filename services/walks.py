"""Cases written in bulk, each walked through its steps by the engine: the demo data and the ledger import.

A path (a sequence of triggers for a tier) is first fired through ``ENGINE.fire`` once with typical data,
every guard asked (``verify_path``); each case that takes it is then worked out step by step with
``ENGINE.unchecked`` (the engine's own effects) and written as the rows ``services.records`` builds for
``services.cases.apply`` — the same builders, bulk-inserted with executemany (``BulkWriter``).
"""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import chain
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, text
from sqlmodel import Session

from models import Case
from models.types import Money
from services.clock import local
from services.records import Row, Where, case_values, event_data, event_row, record_rows
from workflow import ENGINE, Actor, CaseFacts, Policy, Role, Severity, State, Tier
from workflow.engine import advance

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
# Rows a statement: up to 500, within the bound values a statement may hold (SQLite 3.32+: 32,766;
# PostgreSQL: 65,535).
ROWS_PER_INSERT = 500
VALUES_PER_INSERT = 30_000
MOMENTS_KEPT = 100_000  # written moments a writer remembers (BulkWriter.dt)

# Every column of a new case that intake leaves to the model's defaults (flags, counters, version); not
# the id (its default None would override the reserved id: SQLite fills a NULL in, PostgreSQL refuses it).
CASE_DEFAULTS: dict[str, Any] = {
    name: info.default
    for name, info in Case.model_fields.items()
    if info.default is not PydanticUndefined and name != "id"
}


class BulkWriter:
    """Turns rows into driver values (by each column's type) and writes them in batches."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.pending: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
        self.plans: dict[tuple[str, tuple[str, ...]], tuple[str, list[tuple[int, Callable[[Any], Any]]]]] = {}
        self.moments: dict[datetime, Any] = {}

    def marks(self, n: int) -> str:
        return ", ".join(["?" if self.sqlite else "%s"] * n)

    def dt(self, moment: datetime | None) -> Any:
        """A UTC moment as the driver takes it (SQLite: the naive ISO text SQLAlchemy writes; the text of
        a moment met before is remembered — an import's steps fall on a few minutes of each ledger day)."""
        if moment is None:
            return None
        written = self.moments.get(moment)
        if written is not None:
            return written
        utc = moment
        if utc.tzinfo is not UTC:
            utc = utc.replace(tzinfo=UTC) if utc.tzinfo is None else utc.astimezone(UTC)
        written = utc.isoformat(" ", "microseconds")[:26] if self.sqlite else utc
        if len(self.moments) < MOMENTS_KEPT:
            self.moments[moment] = written
        return written

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
        """The table and columns rows of this shape go to, and which of their columns need converting."""
        table = row.model.__table__  # type: ignore[attr-defined]
        names = tuple(row.values)
        quoted = ", ".join(f'"{n}"' for n in names)
        self.pending[(table.name, names)] = []
        converters = [(i, self._converter(table.c[n])) for i, n in enumerate(names)]
        return f'"{table.name}" ({quoted})', [(i, c) for i, c in converters if c is not None]

    def __len__(self) -> int:
        return sum(len(batch) for batch in self.pending.values())

    def write(self, conn: Any) -> None:
        """Insert what is pending, parent tables first (cases before their parties and events), straight
        through the driver on the transaction's connection."""
        order = ("case", "agreement")
        keys = sorted(self.pending, key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[0]))
        cursor = conn.connection.cursor()
        for key in keys:
            if self.pending[key]:
                self._insert(cursor, key, self.pending[key])
                self.pending[key] = []
        cursor.close()

    def _insert(self, cursor: Any, key: tuple[str, tuple[str, ...]], rows: list[list[Any]]) -> None:
        """Many rows at once: PostgreSQL's COPY; on SQLite ``INSERT … VALUES (…), (…), …``.

        A statement a row costs each row a statement's overhead: on PostgreSQL a message and its wait
        (~200 µs an event row, ~30 by COPY); on SQLite, a table with a trigger (``case``: its source must
        be in the vocabulary) also copies every row's changed pages to a statement journal — a case cost
        150 µs to insert a row at a time, 45 µs five hundred at a time.
        """
        target = self.plans[key][0]
        if not self.sqlite:
            with cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        width = len(key[1])
        size = max(1, min(ROWS_PER_INSERT, VALUES_PER_INSERT // width))
        one = f"({self.marks(width)})"
        statements: dict[int, str] = {}
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = statements.get(len(chunk))
            if sql is None:
                sql = statements[len(chunk)] = f"INSERT INTO {target} VALUES " + ", ".join([one] * len(chunk))
            cursor.execute(sql, list(chain.from_iterable(chunk)))


@contextmanager
def frozen_heap() -> Iterator[Callable[[], None]]:
    """Keep what is alive out of the cyclic collector's passes while a bulk job runs (``gc.freeze``);
    the job calls the function it is given to freeze what it has built since (its report, a batch).

    A 100,000-row ledger import holds millions of objects that every full pass walks again: 15 s of its
    110. Objects are still freed when their last reference goes; only cycles among the frozen ones wait
    for the end.
    """
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def reserve_ids(session: Session, table: str, n: int) -> list[int]:
    """``n`` new primary keys of ``table`` for rows written with their id, inside the write transaction.

    PostgreSQL: taken from the table's sequence (a concurrent insert never gets them). SQLite: after the
    largest id, under the write lock the transaction holds (BEGIN IMMEDIATE).
    """
    if n <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        query = text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)")
        return [int(i) for i in session.execute(query, {"n": n}).scalars()]
    last = int(session.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar_one())
    return list(range(last + 1, last + n + 1))


# --- one case's walk ------------------------------------------------------------------------------


@dataclass
class Walk:
    """One case on its way through its steps; each step gives the rows ``services.cases.apply`` would add.

    ``mark`` is merged into the data of every event the walk writes (an imported case's origin).
    """

    case_id: int
    facts: CaseFacts
    values: dict[str, Any]
    policy: Policy
    now: datetime
    mark: dict[str, Any] = field(default_factory=dict)
    agreement_id: int | None = None
    version: int = 1

    def step(
        self,
        trigger: str,
        data: dict[str, Any],
        *,
        actor_id: int | None,
        at: datetime,
        to_state: State,
        number: dict[str, Any] | None = None,
        agreement_id: int | None = None,
    ) -> list[Row]:
        """Work out one legal step at ``at`` and return its rows (records and event); the case's values move.

        ``number``: the columns of the case number an acceptance issues; ``agreement_id``: the id of the
        agreement a ``record_agreement`` writes (its follow-ups and confirmations point to it).
        """
        today = local(at).date()
        outcome = ENGINE.unchecked(
            self.facts, _actor(actor_id), trigger, data, today=today, to_state=to_state
        )
        self.now = at
        values = self.values
        values |= case_values(outcome, at)
        if number:
            values |= number
        where = Where(self.case_id, values["community_id"], actor_id, at, self.agreement_id)
        rows = record_rows(outcome, where)
        if trigger == "record_agreement":
            assert agreement_id is not None, "an agreement is written with its id"
            self.agreement_id = agreement_id
            rows[0] = rows[0]._replace(values={"id": agreement_id, **rows[0].values})
        decided = {key: values.get(key) for key in ("number", "tier", "deadline")}
        decided["computed"] = values["severity_computed"]
        rows.append(event_row(outcome, where, event_data(outcome, decided) | self.mark))
        self.facts = advance(self.facts, outcome, today)
        self.version += 1
        return rows

    def case_row(self) -> Row:
        """The case as its last step left it."""
        return Row(Case, self.values | {"updated_at": self.now, "version": self.version})


_ACTORS: dict[int, Actor] = {}


def _actor(user_id: int | None) -> Actor:
    """Who fired a step, as an effect sees it (effects read no roles; ``unchecked`` asks no guard)."""
    key = user_id or 0
    if key not in _ACTORS:
        _ACTORS[key] = Actor(key, frozenset())
    return _ACTORS[key]


# --- typical data of each step (the demo's cases; the paths checked through every guard) --------------

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
_RISK_UP = {"none": "yellow", "yellow": "orange", "orange": "red", "red": "orange"}
CENT = Decimal("0.01")


def real_trigger(step: str) -> str:
    """The trigger a step fires (``follow_up_failed``: a follow-up that found the agreement not performed)."""
    return "follow_up" if step == "follow_up_failed" else step


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


def _follow_up_data(step: str, day: date, rng: random.Random) -> dict[str, Any]:
    performed = step == "follow_up"
    sat = "dissatisfied"
    if performed:
        sat = rng.choices(["satisfied", "basically", "dissatisfied"], weights=[80, 17, 3])[0]
    notes = "协议已履行" if performed else "协议未按期履行"
    method = rng.choice(("visit", "call"))
    return {"visited_on": day, "method": method, "performed": performed, "satisfaction": sat, "notes": notes}


def step_data(
    step: str, facts: CaseFacts, today: date, rng: random.Random, assignee: int | None
) -> dict[str, Any]:
    """Typical data for one step as a mediator enters it, typed as ``workflow.fields.clean`` types it."""
    if step in _FIXED:
        return dict(_FIXED[step])
    if step in ("assign", "reassign"):
        return _holder(step, assignee)
    if step == "notify_rights":
        return {"method": "written", "notified_on": today}
    if step == "record_session":
        return _session_data(today)
    if step == "flag_risk":
        return _risk_data(facts, today)
    if step == "withdraw":
        return _withdraw_data(facts)
    if step == "record_judicial_confirmation":
        result = "valid" if rng.random() < 0.9 else "invalid"
        return {"joint": True, "applied_on": today, "court": "区人民法院", "result": result}
    return _follow_up_data(step, today, rng)


def agreement_data(today: date, rng: random.Random, claimed: Decimal) -> dict[str, Any]:
    """A typical agreement: a quarter oral, the rest written with their §29 contents."""
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


SEVERITY_OF: dict[Tier, Severity] = {s.tier: s for s in Severity}  # the severity whose tier takes a case


def verify_path(steps: tuple[str, ...], tier: Tier) -> None:
    """Fire a step sequence through the engine with every guard; raises Refused if it is not legal."""
    staff = Actor(1, frozenset({Role.STAFF}), frozenset({1}))
    members = {t: Actor(10 + i, frozenset({t.role}), frozenset({1})) for i, t in enumerate(Tier)}
    today = date(2026, 1, 31)
    facts = CaseFacts(State.REGISTERED, 1, severity=SEVERITY_OF[tier], registered_on=today)
    rng = random.Random(0)
    for step in steps:
        real = real_trigger(step)
        tier_now = facts.tier or tier
        pick = members[tier_now].id if real in ("assign", "reassign") else None
        if real == "reassign":
            pick = 99
            members[tier_now] = Actor(99, frozenset({tier_now.role}), frozenset({1}))
        if real == "record_agreement":
            data = agreement_data(today, rng, Decimal(1000))
        else:
            data = step_data(step, facts, today, rng, pick)
        assignee = next((a for a in members.values() if a.id == facts.assignee_id), None)
        actor = actor_for_step(real, facts, staff, assignee, members[Tier.JUDGE])
        candidate = members[tier_now] if real in ("assign", "reassign") else None
        out = ENGINE.fire(facts, actor, real, data, today=today, candidate=candidate)
        facts = advance(facts, out, today)


def actor_for_step(trigger: str, facts: CaseFacts, staff: Any, assignee: Any, judge: Any) -> Any:
    """Who fires a step: staff accept, reject and assign; the judge delegates; the assignee does the rest."""
    if trigger == "delegate":
        return judge
    if trigger in ("accept", "reject", "assign", "reassign") or assignee is None:
        return staff
    return assignee
