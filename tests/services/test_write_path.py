"""One write path: rows written by apply (one case at a time) and by the demo generator (in bulk) come from
the same builders, so their shapes and event data agree trigger by trigger."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Agreement, CaseEvent, Community, FollowUp, JudicialConfirmation, SessionRecord
from services.demo import generate
from tests.factories import PATHS, Factory
from workflow.triggers import TRIGGERS

# A state from which each trigger fires in the factory's usual data, and the trigger to fire.
WHERE_FROM: dict[str, str] = {
    "accept": "registered",
    "reject": "registered",
    "assign": "accepted",
    "reassign": "assigned",
    "notify_rights": "assigned",
    "record_refusal": "assigned",
    "start_mediation": "assigned",
    "record_session": "mediating",
    "escalate": "mediating",
    "delegate": "accepted",
    "record_agreement": "mediating",
    "record_judicial_confirmation": "agreed",
    "follow_up": "agreed",
    "remediate": "defaulted",
    "terminate": "mediating",
    "withdraw": "mediating",
    "flag_risk": "mediating",
    "extend_deadline": "mediating",
}
RECORDS = (SessionRecord, Agreement, FollowUp, JudicialConfirmation)


def _events_by_trigger(session: Session) -> dict[str, list[CaseEvent]]:
    out: dict[str, list[CaseEvent]] = defaultdict(list)
    for event in session.exec(select(CaseEvent).order_by(col(CaseEvent.id))):
        out[event.trigger].append(event)
    return out


def _filled(row: Any) -> frozenset[str]:
    """The columns of a row that hold a value (its shape)."""
    return frozenset(k for k, v in row.model_dump().items() if v not in (None, "") and k != "id")


def _applied(
    factory: Factory, trigger: str, community: Community
) -> tuple[CaseEvent, dict[type, frozenset[str]]]:
    """Fire ``trigger`` through services.cases.apply; its event and the shapes of the records it wrote."""
    state = WHERE_FROM[trigger]
    overrides: dict[str, Any] = {"claimed_amount": 30000} if trigger == "delegate" else {}
    case = factory.case(state, community=community, **overrides)
    if trigger == "start_mediation":
        case = factory.fire(case, "notify_rights")
    before = {m: {r.id for r in factory.session.exec(select(m))} for m in RECORDS}
    extra: dict[str, Any] = {}
    if trigger == "reassign":  # someone else of the case's tier
        extra["assignee_id"] = factory.user(case.tier or "volunteer", communities=[community]).id
    factory.fire(case, trigger, **extra)
    session = factory.session
    event = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id).desc())
    ).first()
    assert event is not None and event.trigger == trigger
    shapes = {}
    for model in RECORDS:
        new = [r for r in session.exec(select(model)) if r.id not in before[model]]
        if new:
            shapes[model] = _filled(new[0])
    return event, shapes


def test_apply_and_the_demo_write_the_same_shapes(engine: Engine, session: Session, factory: Factory) -> None:
    generate(engine, cases=3000, seed=5, password_hash="x")
    demo = _events_by_trigger(session)
    missing = set(TRIGGERS.names) - set(demo)
    assert not missing, f"the demo never fires {missing}"
    demo_records = {m: [_filled(r) for r in session.exec(select(m))] for m in RECORDS}
    session.rollback()

    community = factory.community()  # the demo took 幸福社区, the factory's default
    for trigger in TRIGGERS.names:
        event, shapes = _applied(factory, trigger, community)
        decided = {"number", "tier", "computed", "deadline"}
        applied_decided = set(event.data) & decided
        for other in demo[trigger]:
            assert set(other.data) & decided == applied_decided, (trigger, other.data, event.data)
        required = {f.name for f in TRIGGERS[trigger].fields if f.always_required} - {"note"}
        assert required <= set(event.data), (trigger, event.data)
        assert all(required <= set(other.data) for other in demo[trigger]), trigger
        assert {e.from_state for e in demo[trigger]} <= set(TRIGGERS[trigger].sources)
        for model, shape in shapes.items():
            # every column apply fills, some demo row fills too (and the demo fills no column apply cannot)
            union = frozenset().union(*demo_records[model])
            assert shape <= union, (trigger, model.__name__, shape - union)


def test_paths_of_the_factory_cover_every_state() -> None:
    assert set(PATHS) >= {"registered", "accepted", "assigned", "mediating", "agreed", "defaulted"}
