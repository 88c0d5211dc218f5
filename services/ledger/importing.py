"""Importing the rows that pass: each becomes a case written through the one write path, dated to the
ledger's days, marked as imported; one transaction per batch; kept months it touches are taken again.

A row's case is walked from registration through the steps its outcome implies (accepted, assigned,
rights told, mediation started, then agreed — and visited — or terminated, or withdrawn), each step's
effect worked out by the engine (``services.walks.Walk``, ``ENGINE.unchecked``) after its path was fired
once through every guard (``verify_path``), its rows built by ``services.records`` as for
``services.cases.apply``. The ledger's case number is kept; a row without one gets the next number of
the community's imported series (``（年）简称人调导字第NNNN号``), which never meets the numbers issued on
acceptance.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import text
from sqlmodel import Session, select

from models import Case, Community, LedgerImport, LedgerRow, LedgerUpload, MonthSnapshot, User
from services import clock
from services.db import is_sqlite, writing
from services.errors import Forbidden, Invalid, NotFound
from services.ledger.check import (
    IMPORTED,
    NEW,
    CheckReport,
    Planned,
    RowCheck,
    check,
    known_keys,
    used_numbers,
)
from services.numbering import IMPORTED_COUNTER, format_imported_number, keep_above, next_seq, own_number
from services.permissions import may_import_ledger
from services.policy import current_policy
from services.records import Row, Where, new_case_values, registration_rows
from services.statistics import kept_months, live_counts
from services.statistics.months import Month
from services.walks import CASE_DEFAULTS, BulkWriter, Walk, frozen_heap, reserve_ids, verify_path
from workflow import Actor, CaseFacts, Policy, State, Tier
from workflow.text import say

BATCH = 2000
log = logging.getLogger(__name__)
START_MINUTE = 8 * 60  # steps are dated 08:00, 08:01 … Beijing time on the ledger's days


@dataclass
class ImportResult:
    import_id: int
    created: int
    skipped: int
    refused: int
    months_taken_again: list[str] = field(default_factory=list)
    report: CheckReport | None = None


@dataclass(frozen=True)
class _Step:
    name: str  # as verify_path names it (follow_up_failed: a follow-up that found no performance)
    trigger: str
    dest: State
    day: date
    actor_id: int | None
    data: dict[str, Any]


def import_upload(
    session: Session,
    *,
    upload_id: int,
    actor: User | None,
    who: Actor | None,
    now: datetime | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Import every row of the upload that passes the check; nothing of a failed batch is kept.

    ``actor``/``who``: the person importing (None from the command line, which has no login).
    Raises NotFound, Forbidden, or Invalid (the file or its mapping cannot be imported as it is).
    """
    now = now or clock.now()
    upload = session.get(LedgerUpload, upload_id)
    if upload is None:
        raise NotFound(say("找不到该上传的台账。"))
    if who is not None and not may_import_ledger(who, upload.community_id):
        raise Forbidden(say("您无权为该社区导入台账。"))
    report = check(session, upload=upload, today=clock.local_date(now))
    if report.blocking:
        raise Invalid(str(report.blocking[0]))
    community = session.get(Community, upload.community_id)
    assert community is not None and community.id is not None
    actor_id = actor.id if actor is not None else None
    with writing(session):
        run = LedgerImport(upload_id=upload_id, community_id=community.id, actor_id=actor_id, started_at=now)
        session.add(run)
        session.flush()
        assert run.id is not None
        run_id = run.id
    kept_before = _kept_months(session, community.id)
    writer = _CaseWriter(session, community, run_id, upload, actor_id, now, current_policy(session))
    new = [r for r in report.rows if r.status == NEW]
    counts = Counter(r.status for r in report.rows)
    created = skipped = 0
    stopped: dict[str, Any] | None = None
    with frozen_heap() as freeze:
        for number, rows in enumerate(_batches(new, batch), start=1):
            try:
                made, already = writer.write_batch(rows)
            except Exception as exc:  # the database's or the driver's: nothing of this batch was kept
                log.exception("ledger import %s stopped at batch %s", run_id, number)
                stopped = {
                    "batch": number,
                    "first": rows[0].number,
                    "last": rows[-1].number,
                    "error": type(exc).__name__,
                }
                break
            created, skipped = created + made, skipped + already
            freeze()
    taken = _take_again(session, community.id, kept_before & writer.months, now)
    with writing(session):
        done = session.get(LedgerImport, run_id)
        assert done is not None
        done.finished_at = None if stopped else clock.now()
        done.created = created
        done.skipped = counts[IMPORTED] + skipped
        done.refused = counts["refused"]
        done.data = {"file": upload.filename, "sheet": report.sheet, "months_taken_again": taken}
        if stopped:
            done.data["stopped"] = stopped
        session.add(done)
    if stopped:
        raise Invalid(
            say(
                "导入中断：第 %(batch)s 批（第 %(first)s–%(last)s 行）写入失败（%(error)s）。"
                "已写入 %(created)s 件（此前的批次保留，这一批没有写入任何内容）；"
                "再次导入会接着导入其余的行。",
                created=created,
                **stopped,
            )
        )
    return ImportResult(run_id, created, counts[IMPORTED] + skipped, counts["refused"], taken, report)


def _batches(rows: list[RowCheck], size: int) -> Iterator[list[RowCheck]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _kept_months(session: Session, community_id: int) -> set[str]:
    query = select(MonthSnapshot.month).where(MonthSnapshot.community_id == community_id)
    return set(session.exec(query))


def _take_again(session: Session, community_id: int, keys: set[str], now: datetime) -> list[str]:
    """Keep again the closed months the import dropped (月报定稿 with the history in)."""
    for key in sorted(keys):
        kept_months.take(session, frozenset({community_id}), Month(int(key[:4]), int(key[5:])), now)
    return sorted(keys)


class _CaseWriter:
    """Writes batches of planned rows as cases, in one transaction each."""

    def __init__(
        self,
        session: Session,
        community: Community,
        run_id: int,
        upload: LedgerUpload,
        actor_id: int | None,
        now: datetime,
        policy: Policy,
    ) -> None:
        assert community.id is not None
        self.session = session
        self.community_id = community.id
        self.short_name = community.short_name
        self.run_id = run_id
        self.actor_id = actor_id
        self.now = now
        self.policy = policy
        self.origin = {
            "file": upload.filename,
            "sha256": upload.sha256[:16],
            "by": actor_id,
            "at": now.isoformat(),
        }
        self.verified: set[tuple[tuple[str, ...], Tier]] = set()
        self.months: set[str] = set()
        self.batches = 0
        self.moments: dict[tuple[date, int], datetime] = {}  # 08:00 + n minutes, Beijing, of a ledger day

    def write_batch(self, rows: list[RowCheck]) -> tuple[int, int]:
        """Write one batch; (cases created, rows found already in since the check)."""
        session = self.session
        with writing(session):
            # One import of a community at a time (PostgreSQL; SQLite's write lock already serialises).
            session.get(Community, self.community_id, with_for_update=True)
            fresh = self._still_new(rows)
            writer = BulkWriter(session.get_bind())  # type: ignore[arg-type]
            case_ids = reserve_ids(session, "case", len(fresh))
            agreed = sum(1 for r in fresh if r.plan and r.plan.outcome == "success")
            agreements = iter(reserve_ids(session, "agreement", agreed))
            numbers = self._numbers(fresh)
            cells: Counter[live_counts.TallyKey] = Counter()
            days: set[date] = set()
            for row, case_id in zip(fresh, case_ids, strict=True):
                case_row = self._case(writer, row, case_id, numbers[row.number], agreements, days)
                cells[_tally_key(case_row.values)] += 1
                writer.add(
                    Row(
                        LedgerRow,
                        {
                            "community_id": self.community_id,
                            "key": row.key,
                            "case_id": case_id,
                            "import_id": self.run_id,
                            "row_number": row.number,
                        },
                    )
                )
            writer.write(session.connection())
            if cells:
                session.execute(
                    live_counts.UPSERT, [key._asdict() | {"n": n} for key, n in sorted(cells.items())]
                )
            kept_months.drop(session, self.community_id, days)
            self.months.update(Month.of_day(d).key for d in days)
        self.batches += 1
        if self.batches & (self.batches - 1) == 0:  # after batches 1, 2, 4, 8, …
            self._analyze()
        return len(fresh), len(rows) - len(fresh)

    def _analyze(self) -> None:
        """PostgreSQL plans each batch's look-ups (``_still_new``) with figures of tables that have just
        grown from next to nothing, and autovacuum reaches them only after the import: a scan of the whole
        table for each look-up, ~0.5 s a batch at 100,000 rows. Taken again after batches 1, 2, 4, 8, …
        its figures are never off by more than half."""
        if is_sqlite(self.session):
            return
        with writing(self.session):
            self.session.execute(text('ANALYZE ledger_row, "case"'))

    def _still_new(self, rows: list[RowCheck]) -> list[RowCheck]:
        """The rows whose identity and number no case has taken since the check (another import)."""
        keys = known_keys(self.session, self.community_id, [r.key for r in rows])
        numbers = used_numbers(
            self.session, self.community_id, [r.plan.number for r in rows if r.plan and r.plan.number]
        )
        return [r for r in rows if r.key not in keys and not (r.plan and r.plan.number in numbers)]

    def _numbers(self, rows: list[RowCheck]) -> dict[int, dict[str, Any]]:
        """Each row's case number: the ledger's as written, else the next of the imported series."""
        out: dict[int, dict[str, Any]] = {}
        wanting: dict[int, list[RowCheck]] = {}
        highest: dict[int, int] = {}  # per year, the last number of our own form the batch keeps
        for row in rows:
            plan = row.plan
            assert plan is not None
            if plan.number:
                own = own_number(plan.number, self.short_name)
                out[row.number] = {
                    "number": plan.number,
                    "number_year": own[0] if own else None,
                    "number_seq": own[1] if own else None,
                }
                if own:
                    highest[own[0]] = max(highest.get(own[0], 0), own[1])
            else:
                wanting.setdefault(plan.accepted_on.year, []).append(row)
        for year, seq in sorted(highest.items()):
            keep_above(self.session, self.community_id, year, seq)
        for year, group in sorted(wanting.items()):
            last = next_seq(self.session, self.community_id, year, count=len(group), counter=IMPORTED_COUNTER)
            for seq, row in enumerate(group, start=last - len(group) + 1):
                out[row.number] = {"number": format_imported_number(year, self.short_name, seq)}
        return out

    def _case(
        self,
        writer: BulkWriter,
        row: RowCheck,
        case_id: int,
        number: dict[str, Any],
        agreements: Iterator[int],
        days: set[date],
    ) -> Row:
        """Add one row's case, parties, records and events to the writer; returns the case row."""
        plan = row.plan
        assert plan is not None and plan.triage is not None
        registered = self._at(plan.accepted_on, 0)
        intake = plan.intake
        values = {
            **CASE_DEFAULTS,
            "id": case_id,
            **new_case_values(intake, plan.triage, self.actor_id, registered),
        }
        facts = CaseFacts(
            State.REGISTERED, self.community_id, severity=plan.triage.severity, registered_on=plan.accepted_on
        )
        mark = {"imported": {"run": self.run_id, "row": row.number}}
        walk = Walk(case_id, facts, values, self.policy, now=registered, mark=mark)
        first = registration_rows(
            intake, plan.triage, Where(case_id, self.community_id, self.actor_id, registered)
        )
        event = first[-1]
        origin = {"imported": mark["imported"] | self.origin}
        first[-1] = event._replace(
            values=event.values | {"note": plan.remark, "data": event.values["data"] | origin}
        )
        for item in first:
            writer.add(item)
        days.add(plan.accepted_on)
        steps = _steps(plan, self.actor_id)
        assert plan.tier is not None
        path = (tuple(s.name for s in steps), plan.tier)
        if path not in self.verified:
            verify_path(*path)
            self.verified.add(path)
        for minute, step in enumerate(steps, start=1):
            at = self._at(step.day, minute)
            agreement_id = next(agreements) if step.trigger == "record_agreement" else None
            for item in walk.step(
                step.trigger,
                step.data,
                actor_id=step.actor_id,
                at=at,
                to_state=step.dest,
                number=number if step.trigger == "accept" else None,
                agreement_id=agreement_id,
            ):
                writer.add(item)
            days.add(step.day)
        case_row = walk.case_row()
        writer.add(case_row)
        return case_row

    def _at(self, day: date, minute: int) -> datetime:
        """The moment of a step on a ledger day (never after now)."""
        at = self.moments.get((day, minute))
        if at is None:
            start = clock.day_start_utc(day) + timedelta(minutes=START_MINUTE + minute)
            at = self.moments[day, minute] = min(start, self.now)
        return at


def _steps(plan: Planned, importer: int | None) -> list[_Step]:
    """The steps the row's outcome implies, dated to the ledger's days, with the data the ledger gives."""
    d0, d1 = plan.accepted_on, plan.closed_on or plan.accepted_on
    accept: dict[str, Any] = {}
    if plan.severity is not None:  # the ledger's mediator took it at their tier (see check._fit_mediator)
        accept = {"severity": plan.severity.value, "override_reason": f"台账记载由{plan.mediator}承办"}
    steps = [_Step("accept", "accept", State.ACCEPTED, d0, importer, accept)]
    if plan.state is State.ACCEPTED:
        return steps
    if plan.outcome == "withdrawn":
        return [
            *steps,
            _Step("withdraw", "withdraw", State.WITHDRAWN, d1, importer, {"reason": plan.result_text}),
        ]
    who = plan.mediator_id
    note = f"台账记载的调解员：{plan.mediator}" if plan.mediator else ""
    steps += [
        _Step("assign", "assign", State.ASSIGNED, d0, importer, {"assignee_id": who, "note": note}),
        _Step("notify_rights", "notify_rights", State.ASSIGNED, d0, who, {"notified_on": d0}),
        _Step("start_mediation", "start_mediation", State.MEDIATING, d0, who, {}),
    ]
    if plan.outcome == "failure":
        steps.append(
            _Step(
                "terminate",
                "terminate",
                State.TERMINATED,
                d1,
                who,
                {"reason": plan.result_text or "调解不成"},
            )
        )
    if plan.outcome != "success":
        return steps
    steps.append(_Step("record_agreement", "record_agreement", State.AGREED, d1, who, _agreement(plan, d1)))
    if plan.follow_up == "none" or plan.visited_on is None:
        return steps
    performed = plan.follow_up != "not_performed"
    name = "follow_up" if performed else "follow_up_failed"
    dest = State.CLOSED if performed else State.DEFAULTED
    return [*steps, _Step(name, "follow_up", dest, plan.visited_on, importer, _visit(plan, performed))]


def _agreement(plan: Planned, day: date) -> dict[str, Any]:
    said = "；".join(t for t in (plan.result_text, plan.remark) if t)
    data: dict[str, Any] = {"kind": plan.kind, "effective_on": day}
    amount = plan.agreed_amount if plan.agreed_amount is not None else plan.claimed_amount
    if amount:
        data["amount"] = amount
    if plan.kind == "oral":
        return data | {"content": said or plan.facts}
    return data | {"facts": plan.facts, "terms": said}


def _visit(plan: Planned, performed: bool) -> dict[str, Any]:
    text = plan.follow_up_text
    method = "call" if "电话" in text else "visit" if ("上门" in text or "走访" in text) else ""
    satisfaction = plan.follow_up if plan.follow_up in ("satisfied", "basically", "dissatisfied") else ""
    return {
        "visited_on": plan.visited_on,
        "method": method,
        "performed": performed,
        "satisfaction": satisfaction,
        "notes": text,
    }


def _tally_key(values: dict[str, Any]) -> live_counts.TallyKey:
    """The tally cell of a case about to be written, read by ``live_counts.key_of`` as from a stored case."""
    return live_counts.key_of(cast(Case, SimpleNamespace(**values)))
