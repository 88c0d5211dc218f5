"""The work desk (工作台): what each person has to do next by the law's clocks, per role.

- Members (volunteer, mediator, judge): their cases overdue, due within ``policy.due_soon_days``, their
  follow-up visits due, their judicial-confirmation windows closing.
- Staff: cases registered more than a day ago and not yet accepted, accepted cases nobody is assigned
  to, the community's overdue cases, follow-up visits past their date that nobody recorded.
- Leaders (and administrators): overdue and due-soon counts per community of their scope; with
  ``policy.escalate_overdue_days`` set, the cases overdue by that many days or more.

Someone with several roles gets every section of each. A section is one index-backed query for its
most urgent ``limit`` cases, and a count only when there are more. The daily reminders
(services.reminders) send the same desk, so the page and the digest never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models import Agreement, Case, JudicialConfirmation
from services import clock
from services.permissions import communities_for, visible_condition
from services.policy import current_policy
from services.queries import community_names, due_within_condition, overdue_condition, user_names
from workflow import Actor, Policy, Role, State
from workflow.clocks import confirmation_effective_range, confirmation_window_closes, dated, dated_left
from workflow.roles import TIER_ROLES
from workflow.text import Text, _, say_n

LIMIT = (
    20  # cases shown per section; the rest are counted (and linked to the case list when it can filter them)
)

# What each section is about, and which date of the case it shows.
TITLES: dict[str, Text] = {
    "overdue": _("我承办的超期案件"),
    "due_soon": _("我承办的 %(days)s 日内到期案件"),
    "follow_up": _("待回访"),
    "confirmation": _("司法确认申请期限将届满"),
    "waiting": _("登记超过 1 天未受理"),
    "unassigned": _("已受理未指派"),
    "community_overdue": _("本社区超期案件"),
    "follow_up_missing": _("回访逾期未记录"),
    "escalated": _("超期 %(days)s 天以上的案件"),
}
DATE_LABELS: dict[str, Text] = {
    "overdue": _("调解期限"),
    "due_soon": _("调解期限"),
    "follow_up": _("回访期限"),
    "confirmation": _("司法确认申请截止"),
    "waiting": _("登记日期"),
    "unassigned": _("调解期限"),
    "community_overdue": _("调解期限"),
    "follow_up_missing": _("回访期限"),
    "escalated": _("调解期限"),
}
MEMBER_SECTIONS = ("overdue", "due_soon", "follow_up", "confirmation")
STAFF_SECTIONS = ("waiting", "unassigned", "community_overdue", "follow_up_missing")
WAITING = timedelta(days=1)  # registered longer ago than this and not accepted: staff are reminded


@dataclass(frozen=True)
class Item:
    """One case on the desk: the date the section is about and how far it is from today."""

    case_id: int
    number: str | None
    state: str
    category: str
    community_id: int
    assignee_id: int | None
    day: date
    left: int  # days from today to ``day``: negative when it has passed


def section_title(key: str, days: int = 0) -> str:
    """A section's title in the current language (the number of days in it, where it has one)."""
    return str(TITLES[key].of(days=days)) if days else str(TITLES[key])


def when(key: str, day: date, left: int) -> str:
    """The date a section shows and how far it is from today (``left`` days): 2026年11月30日（还剩 3 天）;
    for a case waiting to be accepted, how long it has waited."""
    if key == "waiting":
        return dated(day, say_n("已等待 %(num)s 天", "已等待 %(num)s 天", -left))
    return dated_left(day, left)


@dataclass
class Section:
    key: str
    items: list[Item]
    total: int
    days: int = 0  # the number in the title (due-soon days, escalation days)
    list_args: dict[str, Any] | None = None  # the case list showing all of it, when a filter fits

    @property
    def title(self) -> str:
        return section_title(self.key, self.days)

    @property
    def date_label(self) -> str:
        return str(DATE_LABELS[self.key])

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def when(self, item: Item) -> str:
        return when(self.key, item.day, item.left)


@dataclass(frozen=True)
class CommunityCounts:
    community_id: int
    name: str
    overdue: int
    due_soon: int
    escalated: int


@dataclass
class Desk:
    today: date
    due_soon_days: int
    escalate_days: int
    sections: list[Section] = field(default_factory=list)
    communities: list[CommunityCounts] | None = None  # leaders and administrators
    users: dict[int, str] = field(default_factory=dict)
    community_names: dict[int, str] = field(default_factory=dict)

    @property
    def waiting(self) -> list[Section]:
        """The sections with something in them, most urgent first."""
        return [s for s in self.sections if s.total]

    @property
    def empty(self) -> bool:
        return not self.waiting and not any(c.overdue or c.due_soon for c in self.communities or [])


# --- one section ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    """A section's query: its conditions, the column it is ordered by and how that gives its date."""

    key: str
    conditions: list[ColumnElement[bool]]
    order: Any
    to_day: Callable[[Any], date] = lambda value: value
    days: int = 0
    list_args: dict[str, Any] | None = None


_NEWER = aliased(Agreement, name="newer")  # built once: a new alias per query costs ~5 ms of adaptation
# No judicial confirmation of the case's newest agreement yet (a case mediated again has an older one).
_UNCONFIRMED = ~exists().where(
    col(JudicialConfirmation.case_id) == col(Case.id),
    ~exists().where(
        col(_NEWER.case_id) == col(Case.id), col(_NEWER.id) > col(JudicialConfirmation.agreement_id)
    ),
)


def _section(session: Session, spec: _Spec, today: date, limit: int) -> Section:
    columns = [
        col(c) for c in (Case.id, Case.number, Case.state, Case.category, Case.community_id, Case.assignee_id)
    ]
    query = select(*columns, spec.order).where(*spec.conditions)
    rows = session.execute(query.order_by(spec.order, col(Case.id)).limit(limit)).all()
    items = []
    for case_id, number, state, category, community_id, assignee_id, value in rows:
        day = spec.to_day(value)
        items.append(
            Item(case_id, number, state, category, community_id, assignee_id, day, (day - today).days)
        )
    if len(items) < limit:
        return Section(spec.key, items, len(items), spec.days, spec.list_args)
    counted = select(func.count()).select_from(Case).where(*spec.conditions)
    return Section(spec.key, items, int(session.execute(counted).scalar_one()), spec.days, spec.list_args)


# --- the sections of each role ----------------------------------------------------------------------
def _member_specs(actor: Actor, today: date, policy: Policy) -> list[_Spec]:
    mine = and_(col(Case.assignee_id) == actor.id, visible_condition(actor))
    soon = policy.due_soon_days
    agreed = col(Case.state) == State.AGREED.value
    first, last = confirmation_effective_range(today, today + timedelta(days=soon), policy)
    return [
        _Spec(
            "overdue",
            [mine, overdue_condition(today)],
            col(Case.deadline),
            list_args={"overdue": 1, "assignee_id": actor.id, "sort": "deadline"},
        ),
        _Spec(
            "due_soon",
            [mine, due_within_condition(today, soon)],
            col(Case.deadline),
            days=soon,
            list_args={"due_within": soon, "assignee_id": actor.id, "sort": "deadline"},
        ),
        _Spec(
            "follow_up",
            [mine, agreed, col(Case.follow_up_due) <= today + timedelta(days=soon)],
            col(Case.follow_up_due),
        ),
        _Spec(
            "confirmation",
            [mine, agreed, col(Case.agreement_effective_on).between(first, last), _UNCONFIRMED],
            col(Case.agreement_effective_on),
            to_day=lambda effective: confirmation_window_closes(effective, policy),
        ),
    ]


def _staff_specs(actor: Actor, today: date, now: datetime) -> list[_Spec]:
    visible = visible_condition(actor)
    return [
        _Spec(
            "waiting",
            [visible, col(Case.state) == State.REGISTERED.value, col(Case.registered_at) < now - WAITING],
            col(Case.registered_at),
            to_day=clock.local_date,
            list_args={"state": State.REGISTERED.value, "sort": "oldest"},
        ),
        _Spec(
            "unassigned",
            [visible, col(Case.state) == State.ACCEPTED.value, col(Case.assignee_id).is_(None)],
            col(Case.deadline),
            list_args={"state": State.ACCEPTED.value, "sort": "deadline"},
        ),
        _Spec(
            "community_overdue",
            [visible, overdue_condition(today)],
            col(Case.deadline),
            list_args={"overdue": 1, "sort": "deadline"},
        ),
        _Spec(
            "follow_up_missing",
            [visible, col(Case.state) == State.AGREED.value, col(Case.follow_up_due) < today],
            col(Case.follow_up_due),
        ),
    ]


def _escalated_spec(actor: Actor, today: date, days: int) -> _Spec:
    return _Spec(
        "escalated",
        [visible_condition(actor), overdue_condition(today - timedelta(days=days - 1))],
        col(Case.deadline),
        days=days,
        list_args={"overdue": 1, "sort": "deadline"},
    )


def community_counts(session: Session, actor: Actor, today: date, policy: Policy) -> list[CommunityCounts]:
    """Per community of the actor's scope: cases overdue, due within the due-soon days, and overdue by
    the escalation days or more (0 when escalation is off), in one GROUP BY over the clock's index."""
    soon, escalate = policy.due_soon_days, policy.escalate_overdue_days
    communities = [c for c in communities_for(session, actor) if c.id is not None]
    deadline = col(Case.deadline)
    escalated = case((deadline <= today - timedelta(days=escalate), 1), else_=0) if escalate else 0
    rows = session.execute(
        select(
            col(Case.community_id),
            func.sum(case((deadline < today, 1), else_=0)),
            func.sum(case((deadline >= today, 1), else_=0)),
            func.sum(escalated),
        )
        .where(
            # the communities named (all of them for an admin): ranges of the community/state/deadline index
            col(Case.community_id).in_([c.id for c in communities]),
            col(Case.state).in_(State.clock_values()),
            deadline <= today + timedelta(days=soon),
        )
        .group_by(col(Case.community_id))
    ).all()
    counted = {int(cid): (int(a or 0), int(b or 0), int(c or 0)) for cid, a, b, c in rows}
    return [CommunityCounts(c.id or 0, c.name, *counted.get(c.id or 0, (0, 0, 0))) for c in communities]


def desk_for(
    session: Session,
    actor: Actor,
    *,
    today: date | None = None,
    now: datetime | None = None,
    limit: int = LIMIT,
) -> Desk:
    """Everything on this person's desk, most urgent first in each section."""
    now = now or clock.now()
    today = today or clock.local_date(now)
    policy = current_policy(session)
    desk = Desk(today, policy.due_soon_days, policy.escalate_overdue_days)
    if not actor.active:
        return desk
    specs: list[_Spec] = []
    if actor.has(*TIER_ROLES):
        specs += _member_specs(actor, today, policy)
    if actor.has(Role.STAFF):
        specs += _staff_specs(actor, today, now)
    if actor.has(Role.LEADER, Role.ADMIN):
        if policy.escalate_overdue_days > 0:
            specs.append(_escalated_spec(actor, today, policy.escalate_overdue_days))
        desk.communities = community_counts(session, actor, today, policy)
    desk.sections = [_section(session, spec, today, limit) for spec in specs]
    shown = [item for s in desk.sections for item in s.items]
    desk.users = user_names(session, (i.assignee_id for i in shown))
    desk.community_names = community_names(session, (i.community_id for i in shown))
    return desk
