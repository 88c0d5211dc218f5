"""What a fired trigger writes: the case's new column values, the records it produces, its event.

One set of builders for every writer: ``services.cases.apply`` adds the rows through the ORM, the demo
generator (``services.demo``) bulk-inserts rows built by these same functions. A builder returns rows as
(table model, column values), so both can use them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, NamedTuple

from sqlmodel import SQLModel

from models import Agreement, ApiIntake, CaseEvent, FollowUp, JudicialConfirmation, Party, SessionRecord
from services.inputs import IntakeInput
from workflow import Outcome, State, TriageResult
from workflow.triage import REASONS_SEPARATOR


class Row(NamedTuple):
    """One row to insert: its table model and its column values (a tuple: the demo makes millions)."""

    model: type[SQLModel]
    values: dict[str, Any]

    def build(self) -> SQLModel:
        return self.model(**self.values)


class ExternalRef(NamedTuple):
    """A case sent in by an API client under its own reference (``digest``: the request as checked)."""

    client_id: int
    ref: str
    digest: str

    def row(self, case_id: int) -> Row:
        values = {"client_id": self.client_id, "external_ref": self.ref, "case_id": case_id}
        return Row(ApiIntake, values | {"digest": self.digest})


class Where(NamedTuple):
    """The case a trigger fires on and the circumstances of the write."""

    case_id: int
    community_id: int
    actor_id: int | None
    now: datetime
    agreement_id: int | None = None  # the case's latest agreement, for confirmations and follow-ups


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def case_values(outcome: Outcome, now: datetime) -> dict[str, Any]:
    """The case columns a trigger sets: its state, the effect's changes, and the moments it marks."""
    values: dict[str, Any] = {"state": outcome.to_state.value}
    values.update({key: _plain(value) for key, value in outcome.changes.items()})
    if outcome.trigger == "accept":
        values["accepted_at"] = now
    if outcome.trigger == "record_agreement":
        values["agreed_at"] = now
    if outcome.to_state.terminal:
        values["closed_at"] = now
    return values


# What a step decided that its event keeps besides the submitted data.
_DECIDED = {
    "accept": ("number", "tier", "computed"),
    "escalate": ("tier",),
    "delegate": ("tier",),
    "extend_deadline": ("deadline",),
}


def event_data(outcome: Outcome, decided: dict[str, Any]) -> dict[str, Any]:
    """The event's data: what was submitted, and what the step decided (number, tier, deadline)."""
    data = dict(outcome.json_data)
    if outcome.warnings:
        data["warnings"] = [{"code": w.code, "message": w.message} for w in outcome.warnings]
    for key in _DECIDED.get(outcome.trigger, ()):
        value = decided.get(key)
        if value is not None:
            data[key] = value.isoformat() if isinstance(value, date) else _plain(value)
    return data


def new_case_values(
    data: IntakeInput, result: TriageResult, actor_id: int | None, now: datetime
) -> dict[str, Any]:
    """The columns of a newly registered case."""
    return {
        "community_id": data.community_id,
        "category": data.category,
        "source": data.source,
        "facts": data.facts.strip(),
        "claimed_amount": data.claimed_amount,
        "people_involved": data.people_count,
        "parties_count": len(data.parties),
        "injury": data.injury,
        "place_xiaoqu": data.place_xiaoqu.strip(),
        "place_building": data.place_building.strip(),
        "risk_level": data.risk_level,
        "reported_to": data.reported_to.strip() or None,
        "severity_computed": result.severity.value,
        "triage_reasons": REASONS_SEPARATOR.join(result.reasons),
        "state": State.REGISTERED.value,
        "registered_at": now,
        "updated_at": now,
        "created_by_id": actor_id,
    }


def registration_rows(
    data: IntakeInput, result: TriageResult, where: Where, external: ExternalRef | None = None
) -> list[Row]:
    """A new case's parties and its first event (registered, with its triage; the client's reference
    when an API client sent it), and the reference's record."""
    rows = [
        Row(
            Party,
            {
                "case_id": where.case_id,
                "role": p.role,
                "name": p.name.strip(),
                "phone": p.phone.strip(),
                "id_number": p.id_number.strip().upper(),
                "address_xiaoqu": p.address_xiaoqu.strip(),
                "address_building": p.address_building.strip(),
                "address_room": p.address_room.strip(),
            },
        )
        for p in data.parties
    ]
    event = {"case_id": where.case_id, "community_id": where.community_id, "trigger": "register"}
    event |= {
        "from_state": None,
        "to_state": State.REGISTERED.value,
        "actor_id": where.actor_id,
        "at": where.now,
    }
    triaged = {"severity": result.severity.value, "tier": result.tier.value, "reasons": list(result.reasons)}
    triaged["risk_level"] = str(data.risk_level)
    if external is not None:
        triaged["external_ref"] = external.ref
        rows.append(external.row(where.case_id))
    rows.append(Row(CaseEvent, event | {"note": "", "data": triaged}))
    return rows


def event_row(outcome: Outcome, where: Where, data: dict[str, Any]) -> Row:
    d = outcome.data
    return Row(
        CaseEvent,
        {
            "case_id": where.case_id,
            "community_id": where.community_id,
            "trigger": outcome.trigger,
            "from_state": outcome.from_state.value,
            "to_state": outcome.to_state.value,
            "actor_id": where.actor_id,
            "at": where.now,
            "note": str(d.get("note") or d.get("reason") or ""),
            "data": data,
        },
    )


def record_rows(outcome: Outcome, where: Where) -> list[Row]:
    """The records a trigger produces besides its event (session, agreement, confirmation, follow-up),
    from the submitted data and what the trigger's effect worked out (an agreement's follow-up date)."""
    entry = _BUILDERS.get(outcome.trigger)
    return [entry[1]({**outcome.data, **outcome.changes}, where)] if entry else []


def _session(d: dict[str, Any], w: Where) -> Row:
    return Row(
        SessionRecord,
        {
            "case_id": w.case_id,
            "held_on": d["held_on"],
            "place": d["place"],
            "attendees": d["attendees"],
            "summary": d["summary"],
            "kind": d["kind"],
            "recorded_by_id": w.actor_id,
            "created_at": w.now,
        },
    )


def _agreement(d: dict[str, Any], w: Where) -> Row:
    effective: date = d["effective_on"]
    due = d.get("performance_due")
    return Row(
        Agreement,
        {
            "case_id": w.case_id,
            "community_id": w.community_id,
            "kind": d["kind"],
            "facts": d.get("facts") or "",
            "terms": d.get("terms") or "",
            "performance": d.get("performance") or "",
            "content": d.get("content") or "",
            "amount": d.get("amount"),
            "effective_on": effective,
            "performance_due": due,
            "follow_up_due": d["follow_up_due"],
            "recorded_by_id": w.actor_id,
            "created_at": w.now,
        },
    )


def _confirmation(d: dict[str, Any], w: Where) -> Row:
    assert w.agreement_id is not None, "a confirmation needs the case's agreement"
    return Row(
        JudicialConfirmation,
        {
            "case_id": w.case_id,
            "agreement_id": w.agreement_id,
            "applied_on": d["applied_on"],
            "joint": d["joint"],
            "court": d["court"],
            "result": d["result"],
            "recorded_by_id": w.actor_id,
        },
    )


def _follow_up(d: dict[str, Any], w: Where) -> Row:
    return Row(
        FollowUp,
        {
            "case_id": w.case_id,
            "agreement_id": w.agreement_id,
            "visited_on": d["visited_on"],
            "method": d["method"],
            "performed": bool(d["performed"]),
            "satisfaction": d["satisfaction"],
            "notes": d["notes"],
            "recorded_by_id": w.actor_id,
        },
    )


_BUILDERS: dict[str, tuple[type[SQLModel], Callable[[dict[str, Any], Where], Row]]] = {
    "record_session": (SessionRecord, _session),
    "record_agreement": (Agreement, _agreement),
    "record_judicial_confirmation": (JudicialConfirmation, _confirmation),
    "follow_up": (FollowUp, _follow_up),
}
# The triggers whose events come with each kind of record: ``record_rows`` is the only writer of these
# tables, always beside the event, so a case whose timeline has none of them has no such record.
WRITTEN_BY: dict[type[SQLModel], frozenset[str]] = {
    model: frozenset(t for t, (m, _build) in _BUILDERS.items() if m is model)
    for model, _build in _BUILDERS.values()
}
