"""What the JSON API needs besides the pages' services: intake under a client's own reference (the same
reference never files two cases), cases page by page after a cursor, and the change feed of events.

Every rule is the pages' own: intake is services.cases.intake, the list's filters are
services.queries', what a client may see is services.permissions'.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import ApiIntake, Case, CaseEvent, Party
from services.api_clients import Caller
from services.cases import intake
from services.errors import Conflict
from services.inputs import IntakeInput, checked
from services.permissions import visible_event_condition
from services.queries import CaseFilter, ids_before
from services.records import ExternalRef
from workflow.text import say


def request_digest(data: IntakeInput) -> str:
    """A fingerprint of an intake request as checked (so spacing or 1200 vs "1200.00" do not differ)."""
    text = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def intake_once(
    *, session: Session, caller: Caller, ref: str, data: IntakeInput, now: datetime | None = None
) -> tuple[Case, bool]:
    """The case filed under the client's ``ref``: filed now (True), or the one filed before from the same
    request (False). Conflict when the reference was used for a different request."""
    data = checked(data)
    key = ExternalRef(caller.client_id, ref, request_digest(data))
    found = _filed(session, key)
    if found is not None:
        return found, False
    try:
        case = intake(session=session, actor=caller.user, data=data, who=caller.actor, now=now, external=key)
    except IntegrityError:
        # Another request with the same reference filed it first (its row's primary key won).
        found = _filed(session, key)
        if found is None:
            raise
        return found, False
    return case, True


def _filed(session: Session, key: ExternalRef) -> Case | None:
    row = session.get(ApiIntake, (key.client_id, key.ref), populate_existing=True)
    if row is None:
        return None
    if row.digest != key.digest:
        message = say("此编号（external_ref）已用于另一份不同的登记。")
        raise Conflict(message, field="external_ref", code="external_ref_conflict")
    return session.get(Case, row.case_id)


@dataclass
class CasePage:
    cases: list[Case]
    parties: dict[int, list[Party]] = field(default_factory=dict)
    next_before: int | None = None  # the cursor of the next page (None: this is the last)


def case_page(
    session: Session, caller: Caller, flt: CaseFilter, *, before: int | None, limit: int
) -> CasePage:
    """Matching cases the client may see, newest first, below the cursor."""
    ids = ids_before(session, caller.actor, flt, before=before, limit=limit + 1)
    more, ids = len(ids) > limit, ids[:limit]
    by_id = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids)))} if ids else {}
    page = CasePage([by_id[i] for i in ids if i in by_id])
    page.parties = parties_of(session, ids)
    page.next_before = ids[-1] if more and ids else None
    return page


def parties_of(session: Session, case_ids: list[int]) -> dict[int, list[Party]]:
    out: dict[int, list[Party]] = {}
    if case_ids:
        query = (
            select(Party).where(col(Party.case_id).in_(case_ids)).order_by(col(Party.case_id), col(Party.id))
        )
        for party in session.exec(query):
            out.setdefault(party.case_id, []).append(party)
    return out


def events_after(session: Session, caller: Caller, *, after: int, limit: int) -> list[Row[Any]]:
    """The change feed: every event of the client's communities after ``after``, in the order written.

    Rows of the event's columns (named as CaseEvent's attributes), not entities: a page is 500 events,
    and loading each as an ORM object cost more than reading it.
    """
    table = CaseEvent.__table__  # type: ignore[attr-defined]
    query = (
        select(*table.columns)
        .where(col(CaseEvent.id) > after, visible_event_condition(caller.actor))
        .order_by(col(CaseEvent.id))
        .limit(limit)
    )
    return list(session.execute(query))
