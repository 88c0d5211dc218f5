"""Read-side queries for case pages: lists (filters, search, paging), the queue, one case's record.

Every list goes through ``services.permissions.visible_condition``; detail loaders take a case the caller
already got from ``services.permissions.visible_case``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, func, or_, union
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from models import (
    Agreement,
    Attachment,
    Case,
    CaseEvent,
    Community,
    FollowUp,
    JudicialConfirmation,
    Party,
    SessionRecord,
    User,
    UserCommunity,
)
from services import clock
from services.errors import Invalid
from services.permissions import may_search_pii, visible_condition
from services.records import WRITTEN_BY
from services.statistics import live_counts
from services.statistics.months import Month
from workflow import Actor, Role, State, Tier
from workflow.labels import SORT_LABELS
from workflow.roles import TIER_ROLES

SORTS = SORT_LABELS
MAX_SEARCH = 60


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to; empty values mean "any"."""

    state: str | None = None
    tier: str | None = None
    severity: str | None = None
    category: str | None = None
    community_id: int | None = None
    assignee_id: int | None = None
    overdue: bool = False
    file_incomplete: bool = False  # ended with a signed paper the policy requires missing
    due_within: int | None = None  # the mediation deadline is today or within this many days
    month: str | None = None  # YYYY-MM of acceptance, Beijing time
    q: str = ""
    sort: str = "newest"


@dataclass
class Page:
    rows: list[Case]
    total: int
    page: int
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    communities: dict[int, str] = field(default_factory=dict)
    parties: dict[int, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def parse_month(value: str | None) -> Month | None:
    """``YYYY-MM`` as the report reads it (``Month.parse``), or None when blank or not a month: a list's
    filter leaves a bad value out as it does any other."""
    try:
        return Month.parse(value) if (value or "").strip() else None
    except Invalid:
        return None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """Equality or prefix (no leading wildcard, so an index on the column can serve it)."""
    return or_(column == text, column.like(_escape_like(text) + "%", escape="\\"))


def search_condition(q: str, *, pii: bool = False) -> ColumnElement[bool] | None:
    """Cases whose number or a party's name matches ``q`` (equality or prefix); with ``pii`` (see
    services.permissions.may_search_pii) also a party's phone or ID number."""
    q = q.strip()[:MAX_SEARCH]
    if not q:
        return None
    party_match = [_starts_with(col(Party.name), q)]
    options: list[ColumnElement[bool]] = [_starts_with(col(Case.number), q)]
    if pii and len(q) >= 3 and q[:-1].isdigit():
        if q.isdigit():
            party_match.append(_starts_with(col(Party.phone), q))
        if len(q) >= 6:
            party_match.append(_starts_with(col(Party.id_number), q.upper()))
    if q.isdigit() and len(q) <= 6:
        options.append(col(Case.number_seq) == int(q))
    options.append(col(Case.id).in_(select(Party.case_id).where(or_(*party_match))))
    return or_(*options)


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(
        col(Case.state).in_(State.clock_values()),
        col(Case.deadline).is_not(None),
        col(Case.deadline) < today,
    )


def due_within_condition(today: date, days: int) -> ColumnElement[bool]:
    """Open on the mediation clock, the deadline not passed and at most ``days`` days away."""
    return and_(
        col(Case.state).in_(State.clock_values()),
        col(Case.deadline) >= today,
        col(Case.deadline) <= today + timedelta(days=days),
    )


def _conditions(actor: Actor, flt: CaseFilter, today: date) -> list[ColumnElement[bool]]:
    """Every condition of the filter except the state (counts per state are taken over the rest)."""
    out: list[ColumnElement[bool]] = [visible_condition(actor)]
    simple: tuple[tuple[Any, Any], ...] = (
        (Case.tier, flt.tier),
        (Case.category, flt.category),
        (Case.community_id, flt.community_id),
        (Case.assignee_id, flt.assignee_id),
    )
    out.extend(col(column) == value for column, value in simple if value)
    if flt.severity:
        out.append(func.coalesce(col(Case.severity), col(Case.severity_computed)) == flt.severity)
    if flt.overdue:
        out.append(overdue_condition(today))
    if flt.file_incomplete:
        out.append(col(Case.file_incomplete).is_(True))
    if flt.due_within is not None:
        out.append(due_within_condition(today, flt.due_within))
    month = parse_month(flt.month)
    if month:
        start, end = month.bounds
        out.extend([col(Case.accepted_at) >= start, col(Case.accepted_at) < end])
    found = search_condition(flt.q, pii=may_search_pii(actor))
    if found is not None:
        out.append(found)
    return out


def _order(sort: str) -> list[Any]:
    if sort == "oldest":
        return [col(Case.id).asc()]
    if sort == "deadline":
        return [col(Case.deadline).asc().nulls_last(), col(Case.id).asc()]
    if sort == "accepted":
        return [col(Case.accepted_at).desc().nulls_last(), col(Case.id).desc()]
    return [col(Case.id).desc()]


def state_counts(session: Session, conditions: Iterable[ColumnElement[bool]]) -> dict[str, int]:
    """Cases per state under the conditions, in one GROUP BY."""
    rows = session.exec(select(Case.state, func.count()).where(*conditions).group_by(col(Case.state))).all()
    return {str(state): int(n) for state, n in rows}


def _counts(
    session: Session, actor: Actor, flt: CaseFilter, conditions: list[ColumnElement[bool]]
) -> dict[str, int]:
    """Counts per state: from the tally when the filter is one it keeps (community, category, tier,
    severity), which stays cheap at any size; else counted over the matching cases."""
    if (
        flt.assignee_id
        or flt.overdue
        or flt.file_incomplete
        or flt.due_within is not None
        or parse_month(flt.month)
        or flt.q.strip()
    ):
        return state_counts(session, conditions)
    communities = actor.community_ids
    if flt.community_id:
        if communities is not None and flt.community_id not in communities:
            return {}
        communities = frozenset({flt.community_id})
    return live_counts.counts(
        session, communities, category=flt.category, tier=flt.tier, severity=flt.severity
    )


def _page_of(
    session: Session, conditions: list[ColumnElement[bool]], order: list[Any], page: int, size: int
) -> list[Case]:
    """One page: ids first through the ordering index (cheap even when deep), then those rows."""
    ids = list(
        session.exec(
            select(Case.id).where(*conditions).order_by(*order).offset((page - 1) * size).limit(size)
        )
    )
    if not ids:
        return []
    by_id = {c.id: c for c in session.exec(_CASES, params={"ids": ids})}
    return [by_id[i] for i in ids if i in by_id]


_CASES = select(Case).where(col(Case.id).in_(bindparam("ids", expanding=True)))  # a page's rows, by id


def ids_before(
    session: Session,
    actor: Actor,
    flt: CaseFilter,
    *,
    before: int | None,
    limit: int,
    today: date | None = None,
) -> list[int]:
    """Ids of the cases of the list's filter (the state too), newest first, below ``before``: a page
    for a cursor (the API's), cheap at any depth."""
    conditions = _conditions(actor, flt, today or clock.local_date())
    if flt.state:
        conditions.append(col(Case.state) == flt.state)
    if before is not None:
        conditions.append(col(Case.id) < before)
    query = select(Case.id).where(*conditions).order_by(col(Case.id).desc()).limit(limit)
    return [int(i) for i in session.exec(query) if i is not None]


def list_cases(
    session: Session,
    actor: Actor,
    flt: CaseFilter | None = None,
    page: int = 1,
    size: int = 20,
    *,
    today: date | None = None,
) -> Page:
    """One page of the cases this actor may see, with counts per state and the names it shows."""
    flt = flt or CaseFilter()
    today = today or clock.local_date()
    conditions = _conditions(actor, flt, today)
    counts = _counts(session, actor, flt, conditions)
    if flt.state:
        conditions.append(col(Case.state) == flt.state)
        total = counts.get(flt.state, 0)
    else:
        total = sum(counts.values())
    size = max(1, min(size, 200))
    page = max(1, min(page, max(1, -(-total // size))))
    rows = _page_of(session, conditions, _order(flt.sort), page, size)
    return _page(session, rows, total, page, size, counts)


def _page(
    session: Session, rows: list[Case], total: int, page: int, size: int, counts: dict[str, int]
) -> Page:
    """A page of cases with the names its table shows (assignees, communities, parties)."""
    return Page(
        rows,
        total,
        page,
        size,
        counts=counts,
        users=user_names(session, (c.assignee_id for c in rows)),
        communities=community_names(session, (c.community_id for c in rows)),
        parties=party_names(session, (c.id for c in rows)),
    )


def _queue_branches(actor: Actor, today: date) -> list[ColumnElement[bool]]:
    """What puts a case in this actor's queue, one condition per way in: assigned to a member and
    open; for staff, the steps staff take (register → accept, assign, follow-up visit)."""
    parts: list[ColumnElement[bool]] = []
    if actor.has(*TIER_ROLES):
        parts.append(and_(col(Case.assignee_id) == actor.id, col(Case.state).in_(State.open_values())))
    if actor.has(Role.STAFF):
        follow_up_due = exists().where(
            col(Agreement.case_id) == col(Case.id),
            col(Agreement.follow_up_due).is_not(None),
            col(Agreement.follow_up_due) <= today,
        )
        parts += [
            col(Case.state) == State.REGISTERED.value,
            and_(col(Case.state) == State.ACCEPTED.value, col(Case.assignee_id).is_(None)),
            and_(col(Case.state) == State.AGREED.value, follow_up_due),
        ]
    return parts


def queue(actor: Actor, today: date) -> Select[int, str] | None:
    """(id, state) of every case waiting for this actor that the actor may see, in queue order:
    overdue first, then by deadline (none last), then oldest first. None when nothing can wait.

    A UNION of one SELECT per way in rather than one OR of the ways: each SELECT is one index range
    (community and state, or assignee and state), where with the OR SQLite counted the queue by
    reading every case of the community (125,000 at 1,000,000 cases). UNION, not UNION ALL: a case
    that waits in two ways (agreed, follow-up due, assigned to a staff member who also mediates) is
    listed once.
    """
    visible = visible_condition(actor)
    overdue = case((overdue_condition(today), 0), else_=1).label("overdue")
    branches = [
        select(col(Case.id), col(Case.state), col(Case.deadline), overdue).where(visible, part)
        for part in _queue_branches(actor, today)
    ]
    if not branches:
        return None
    waiting = union(*branches).subquery("queue")
    return select(waiting.c.id, waiting.c.state).order_by(
        waiting.c.overdue, waiting.c.deadline.asc().nulls_last(), waiting.c.id.asc()
    )


def my_queue(
    session: Session, actor: Actor, *, today: date | None = None, page: int = 1, size: int = 20
) -> Page:
    """One page of the actor's queue (see ``queue``), and counts per state of all of it, taken from
    the same rows (a queue is the open cases of one person or one community's intake, hundreds at
    1,000,000 cases)."""
    query = queue(actor, today or clock.local_date())
    waiting = list(session.exec(query)) if query is not None else []
    counts = dict(sorted(Counter(str(state) for _, state in waiting).items()))
    page = max(1, min(page, -(-len(waiting) // size) or 1))
    ids = [int(i) for i, _ in waiting[(page - 1) * size : page * size]]
    by_id = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids)))} if ids else {}
    rows = [by_id[i] for i in ids if i in by_id]
    return _page(session, rows, len(waiting), page, size, counts)


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of these users, in one query."""
    return _names(session, User.id, User.display_name, ids)


_NAMES: dict[tuple[Any, Any], Any] = {}  # (id column, name column) → its statement, built once


def _names(session: Session, id_column: Any, name_column: Any, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = _NAMES.get((id_column, name_column))
    if query is None:
        query = _NAMES[id_column, name_column] = select(id_column, name_column).where(
            col(id_column).in_(bindparam("ids", expanding=True))
        )
    rows = session.exec(query, params={"ids": wanted})
    return {int(i): str(name) for i, name in rows if i is not None}


_PARTY_NAMES = (
    select(Party.case_id, Party.name)
    .where(col(Party.case_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(Party.case_id), col(Party.role), col(Party.id))
)


def party_names(session: Session, case_ids: Iterable[int | None]) -> dict[int, list[str]]:
    """Party names per case (applicants first), for a page of cases in one query."""
    wanted = sorted({i for i in case_ids if i is not None})
    out: dict[int, list[str]] = {}
    if not wanted:
        return out
    for case_id, name in session.exec(_PARTY_NAMES, params={"ids": wanted}):
        out.setdefault(int(case_id), []).append(str(name))
    return out


def community_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names of these communities, in one query."""
    return _names(session, Community.id, Community.name, ids)


_ACTIVE_USERS = select(User).where(col(User.active).is_(True)).order_by(col(User.display_name))
_ACTIVE_MEMBERS = _ACTIVE_USERS.where(
    col(User.id).in_(
        select(UserCommunity.user_id).where(
            col(UserCommunity.community_id).in_(bindparam("communities", expanding=True))
        )
    )
)  # built once, as the list page's assignee filter asks on every request


def assignees_for(session: Session, actor: Actor) -> list[User]:
    """Members of the actor's communities who can hold cases (for the list's assignee filter)."""
    if actor.community_ids is None:
        rows = session.exec(_ACTIVE_USERS)
    else:
        rows = session.exec(_ACTIVE_MEMBERS, params={"communities": sorted(actor.community_ids)})
    return [u for u in rows if any(r in TIER_ROLES for r in _roles(u))]


def eligible_assignees(session: Session, *, community_id: int, tier: Tier | None) -> list[User]:
    """Active users holding the tier's role in the community: who may take the case."""
    if tier is None:
        return []
    rows = session.exec(
        select(User)
        .join(UserCommunity, col(UserCommunity.user_id) == col(User.id))
        .where(col(UserCommunity.community_id) == community_id, col(User.active).is_(True))
        .order_by(col(User.display_name), col(User.id))
    )
    return [u for u in rows if tier.role in _roles(u)]


def _roles(user: User) -> set[Role]:
    out = set()
    for r in user.role_list:
        try:
            out.add(Role(r))
        except ValueError:
            continue
    return out


@dataclass
class CaseRecord:
    """Everything the case page and the case documents show about one case."""

    case: Case
    community: Community
    parties: list[Party]
    events: list[CaseEvent]
    sessions: list[SessionRecord]
    agreements: list[Agreement]
    follow_ups: list[FollowUp]
    confirmations: list[JudicialConfirmation]
    users: dict[int, str]

    @property
    def applicants(self) -> list[Party]:
        return [p for p in self.parties if p.role == "applicant"]

    @property
    def respondents(self) -> list[Party]:
        return [p for p in self.parties if p.role == "respondent"]

    @property
    def agreement(self) -> Agreement | None:
        return self.agreements[-1] if self.agreements else None

    def has_event(self, trigger: str) -> bool:
        return any(e.trigger == trigger for e in self.events)


_PAPERS = (
    select(Attachment.kind, func.count())
    .where(col(Attachment.case_id) == bindparam("case_id"), col(Attachment.withdrawn_at).is_(None))
    .group_by(col(Attachment.kind))
)


def papers_attached(session: Session, case_id: int | None) -> dict[str, int]:
    """How many papers of each kind are attached to a case and not withdrawn (workflow.papers)."""
    return {str(kind): int(n) for kind, n in session.exec(_PAPERS, params={"case_id": case_id})}


def _rows_of_case(model: Any, *first: Any) -> Any:
    """A case's rows of one kind, in the order given (``first``), then in the order written."""
    return select(model).where(model.case_id == bindparam("case_id")).order_by(*first, col(model.id))


_OF_CASE: dict[Any, Any] = {  # built once: the case page reads these on every view
    Party: _rows_of_case(Party),
    CaseEvent: _rows_of_case(CaseEvent),
    SessionRecord: _rows_of_case(SessionRecord, col(SessionRecord.held_on)),
    Agreement: _rows_of_case(Agreement),
    FollowUp: _rows_of_case(FollowUp),
    JudicialConfirmation: _rows_of_case(JudicialConfirmation),
}


def _of_case(session: Session, model: Any, case_id: int | None) -> list[Any]:
    return list(session.exec(_OF_CASE[model], params={"case_id": case_id}))


def case_record(session: Session, case_row: Case) -> CaseRecord:
    """The case with its parties, timeline, records and the names of everyone in them."""
    case_id = case_row.id
    community = session.get(Community, case_row.community_id)
    assert community is not None
    parties = _of_case(session, Party, case_id)
    events = _of_case(session, CaseEvent, case_id)
    fired = {e.trigger for e in events}

    def records(model: Any) -> list[Any]:  # read only when the timeline has a trigger that writes them
        return _of_case(session, model, case_id) if fired & WRITTEN_BY[model] else []

    sessions = records(SessionRecord)
    agreements = records(Agreement)
    follow_ups = records(FollowUp)
    confirmations = records(JudicialConfirmation)
    people = [case_row.assignee_id, case_row.created_by_id]
    people += [e.actor_id for e in events]
    people += [s.recorded_by_id for s in sessions]
    people += [a.recorded_by_id for a in agreements]
    people += [f.recorded_by_id for f in follow_ups]
    people += [j.recorded_by_id for j in confirmations]
    for e in events:
        if isinstance(e.data, dict) and isinstance(e.data.get("assignee_id"), int):
            people.append(e.data["assignee_id"])
    return CaseRecord(
        case=case_row,
        community=community,
        parties=parties,
        events=events,
        sessions=sessions,
        agreements=agreements,
        follow_ups=follow_ups,
        confirmations=confirmations,
        users=user_names(session, people),
    )
