"""Intake and transitions: the only way a case is created or changed.

Each call is one transaction that writes the case and its audit event together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import DateTime, bindparam, text
from sqlmodel import Session, col, select

from models import (
    Agreement,
    Case,
    Community,
    JudicialConfirmation,
    TermKind,
    User,
)
from services import clock
from services.db import writing
from services.errors import Invalid, NotFound, StaleCase
from services.inputs import MAX_ID, IntakeInput, PartyInput, checked
from services.numbering import format_number, next_seq
from services.permissions import actor_for, can_see, may_register
from services.policy import current_policy
from services.queries import papers_attached
from services.records import (
    ExternalRef,
    Where,
    case_values,
    event_data,
    event_row,
    new_case_values,
    record_rows,
    registration_rows,
)
from services.statistics import kept_months, live_counts
from services.vocabulary import active_entry
from workflow import (
    ENGINE,
    TRIGGERS,
    Actor,
    CaseFacts,
    Outcome,
    Refused,
    RiskLevel,
    Severity,
    State,
    Tier,
    Trigger,
    triage,
)
from workflow.text import say
from workflow.triggers import PAPER_STATES


def intake(
    *,
    session: Session,
    actor: User,
    data: IntakeInput,
    now: datetime | None = None,
    who: Actor | None = None,
    external: ExternalRef | None = None,
) -> Case:
    """Register a complaint: the case, its parties and its first event, in one transaction.

    ``data`` is checked again (services.inputs), its category and source must be active entries of the
    vocabulary; refusals are Invalid naming the field. ``who``: as for ``apply``. ``external``: the API
    client's reference, written with the case (a second case under it fails on its primary key).
    """
    now = now or clock.now()
    who = _as_actor(session, actor, who)
    data = checked(data)
    if not may_register(who, data.community_id):
        raise Invalid(say("您无权在此社区登记纠纷。"), field="community_id")
    policy = current_policy(session)
    category = active_entry(session, TermKind.CATEGORY, data.category, field="category")
    active_entry(session, TermKind.SOURCE, data.source, field="source")
    with writing(session):
        if session.get(Community, data.community_id) is None:
            raise Invalid(say("社区不存在。"), field="community_id")
        days = days_since_related_case(session, data.parties, now, policy.repeat_days)
        result = triage(data.triage_facts(days, category.id), policy)
        case = Case(**new_case_values(data, result, actor.id, now))
        session.add(case)
        session.flush()
        assert case.id is not None
        live_counts.move(session, None, live_counts.key_of(case))
        where = Where(case.id, case.community_id, actor.id, now)
        session.add_all([row.build() for row in registration_rows(data, result, where, external)])
    return case


def days_since_related_case(
    session: Session, parties: list[PartyInput], now: datetime, within_days: int
) -> int | None:
    """Days since the newest case of the same parties (phone or ID) or address, if within the window."""
    phones, ids = party_keys(parties)
    addresses = {
        (p.address_xiaoqu, p.address_building, p.address_room)
        for p in parties
        if p.address_xiaoqu and p.address_building and p.address_room
    }
    # Plain SQL: the OR's length varies with the parties, and building it as an ORM expression cost
    # more than running it (about 1 ms of every intake).
    params: dict[str, Any] = {"since": now - timedelta(days=within_days)}
    parts: list[str] = []
    for name, values in (("phone", phones), ("id_number", ids)):
        if values:
            marks = [f":{name}{i}" for i in range(len(values))]
            parts.append(f"p.{name} IN ({', '.join(marks)})")
            params |= {m[1:]: v for m, v in zip(marks, values, strict=True)}
    for i, (xiaoqu, building, room) in enumerate(sorted(addresses)):
        parts.append(f"(p.address_xiaoqu = :x{i} AND p.address_building = :b{i} AND p.address_room = :r{i})")
        params |= {f"x{i}": xiaoqu, f"b{i}": building, f"r{i}": room}
    if not parts:
        return None
    query = text(
        'SELECT c.registered_at FROM "case" c JOIN party p ON p.case_id = c.id '
        f"WHERE ({' OR '.join(parts)}) AND c.registered_at >= :since "
        "ORDER BY c.registered_at DESC LIMIT 1"
    ).bindparams(bindparam("since", type_=DateTime(timezone=True)))
    newest = session.execute(query.columns(registered_at=DateTime(timezone=True)), params).scalar()
    if newest is None:
        return None
    return max(0, int(clock.days_between(_aware(newest), now)))


class Reachable(Protocol):
    """A party as the repeat-dispute rule knows it (an intake's, or a ledger row's)."""

    @property
    def phone(self) -> str: ...

    @property
    def id_number(self) -> str: ...


def party_keys(parties: Iterable[Reachable]) -> tuple[list[str], list[str]]:
    """The phones and ID numbers by which a case is the same parties' as another (the repeat-dispute rule)."""
    phones = sorted({p.phone for p in parties if p.phone})
    ids = sorted({p.id_number.upper() for p in parties if p.id_number})
    return phones, ids


def _aware(moment: datetime) -> datetime:
    return clock.local(moment)


def facts_of(session: Session, case: Case) -> CaseFacts:
    """The engine's view of a stored case."""
    agreement = latest_agreement(session, case.id) if case.state == State.AGREED.value else None
    confirmed = False
    if agreement is not None:
        confirmed = (
            session.exec(
                select(JudicialConfirmation.id).where(JudicialConfirmation.agreement_id == agreement.id)
            ).first()
            is not None
        )
    state = State(case.state)
    return CaseFacts(
        state=state,
        community_id=case.community_id,
        tier=Tier(case.tier) if case.tier else None,
        severity=Severity(case.severity or case.severity_computed),
        assignee_id=case.assignee_id,
        risk_level=RiskLevel(case.risk_level),
        rights_notified=case.rights_notified,
        refusal_recorded=case.refusal_recorded,
        agreement_kind=agreement.kind if agreement else None,
        agreement_effective_on=agreement.effective_on if agreement else None,
        confirmation_recorded=confirmed,
        extensions=case.extensions,
        escalations=case.escalations,
        registered_on=clock.local_date(case.registered_at),
        accepted_on=clock.local_date(case.accepted_at) if case.accepted_at else None,
        papers=frozenset(papers_attached(session, case.id) if state in PAPER_STATES else ()),
    )


def _as_actor(session: Session, user: User, known: Actor | None) -> Actor:
    """``user`` as the workflow sees them: the caller's Actor when it is this user's, else read."""
    return known if known is not None and known.id == user.id else actor_for(session, user)


_LATEST_AGREEMENT = (
    select(Agreement)
    .where(Agreement.case_id == bindparam("case_id"))
    .order_by(col(Agreement.id).desc())
    .limit(1)
)


def latest_agreement(session: Session, case_id: int | None) -> Agreement | None:
    return session.exec(_LATEST_AGREEMENT, params={"case_id": case_id}).first()


@dataclass(frozen=True)
class Step:
    """A fired step: the case as it now stands, and what the step's guards only warned about."""

    case: Case
    warnings: tuple[str, ...]


def apply(
    *,
    session: Session,
    case_id: int,
    trigger: str,
    actor: User,
    data: dict[str, Any] | None = None,
    expected_version: int | None,
    now: datetime | None = None,
    who: Actor | None = None,
) -> Step:
    """Fire one trigger on a case and record it; all or nothing.

    ``who`` is ``actor`` as the workflow sees them, when the caller has it already (a web request
    does); else it is read here. Raises NotFound (no such case, or not visible), StaleCase (the case
    changed since ``expected_version``) or workflow.Refused (with the reason); nothing is written then.
    The warnings are those recorded in the step's event, so the caller need not read it back.
    """
    now = now or clock.now()
    who = _as_actor(session, actor, who)
    with writing(session):
        case = session.get(Case, case_id, with_for_update=True, populate_existing=True)
        if case is None or not can_see(who, case):
            raise NotFound(say("找不到该案件。"))
        if expected_version is not None and case.version != expected_version:
            raise StaleCase()
        before = live_counts.key_of(case)
        candidate = _candidate(session, TRIGGERS.get(trigger), data)
        policy = current_policy(session)
        outcome = ENGINE.with_policy(policy).fire(
            facts_of(session, case), who, trigger, data, today=clock.local_date(now), candidate=candidate
        )
        _record(session, case, outcome, who, now)
        live_counts.move(session, before, live_counts.key_of(case))
    return Step(case, tuple(str(w.message) for w in outcome.warnings))


def _candidate(session: Session, trigger: Trigger | None, data: dict[str, Any] | None) -> Actor | None:
    if trigger is None or not trigger.picks_a_user() or not data:
        return None
    try:
        user_id = int(data.get("assignee_id") or 0)
    except (TypeError, ValueError, OverflowError):
        return None
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None  # no id beyond the column's
    return actor_for(session, user) if user else None


def _record(session: Session, case: Case, outcome: Outcome, who: Actor, now: datetime) -> None:
    """Write the outcome: the case's new values, the trigger's records, and the event."""
    assert case.id is not None
    values = case_values(outcome, now)
    if outcome.trigger == "accept":
        values |= _number(session, case.community_id, now)
    for key, value in values.items():
        setattr(case, key, value)
    case.version += 1
    case.updated_at = now
    session.add(case)
    agreement = latest_agreement(session, case.id) if outcome.trigger in _NEEDS_AGREEMENT else None
    where = Where(case.id, case.community_id, who.id, now, agreement.id if agreement else None)
    rows = record_rows(outcome, where)
    decided = {"number": case.number, "tier": case.tier, "deadline": case.deadline}
    decided["computed"] = case.severity_computed
    rows.append(event_row(outcome, where, event_data(outcome, decided)))
    session.add_all([row.build() for row in rows])
    # A closed month's kept figures go stale if this lands inside it: back-dated, or a visit day /
    # application day entered late.
    kept_months.drop(
        session, case.community_id, (now, outcome.data.get("visited_on"), outcome.data.get("applied_on"))
    )


_NEEDS_AGREEMENT = frozenset({"record_judicial_confirmation", "follow_up"})


def _number(session: Session, community_id: int, now: datetime) -> dict[str, Any]:
    """The case number issued on acceptance: per community and year, gap-free."""
    short_name = session.exec(select(Community.short_name).where(Community.id == community_id)).one()
    year = clock.local(now).year
    seq = next_seq(session, community_id, year)
    return {"number_year": year, "number_seq": seq, "number": format_number(year, short_name, seq)}


__all__ = ["IntakeInput", "PartyInput", "Refused", "apply", "facts_of", "intake"]
