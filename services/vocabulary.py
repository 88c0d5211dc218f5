"""The one vocabulary: dispute categories (纠纷类型) and case sources (案件来源).

One table (models.vocabulary), edited on the admin pages; the intake form, the intake service, the
monthly report and the exports all read their lists from here. Cases keep the name they were filed
with; the triage policy refers to categories by id (services.policy).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from models import AdminEvent, Term, TermKind
from services.db import writing
from services.errors import Invalid
from services.memo import per_transaction
from workflow.labels import VOCABULARY_LABELS
from workflow.text import say

MAX_NAME = 20


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    active: bool


def entries(session: Session, kind: TermKind) -> tuple[Entry, ...]:
    """Every entry of one list (active or not), in display order; both lists read once per transaction
    (the intake form offers both)."""
    return per_transaction(session, "vocabulary", lambda: _read(session)).get(kind.value, ())


_ENTRIES = select(Term.kind, Term.id, Term.name, Term.active).order_by(
    col(Term.kind), col(Term.position), col(Term.id)
)  # built once: the intake form and the list page read it on every request


def _read(session: Session) -> dict[str, tuple[Entry, ...]]:
    lists: dict[str, list[Entry]] = {}
    for kind, i, name, active in session.exec(_ENTRIES):
        if i is not None:
            lists.setdefault(str(kind), []).append(Entry(i, str(name), bool(active)))
    return {kind: tuple(items) for kind, items in lists.items()}


def active_names(session: Session, kind: TermKind) -> list[str]:
    """The names offered at intake, in order."""
    return [e.name for e in entries(session, kind) if e.active]


def active_categories(session: Session) -> list[str]:
    return active_names(session, TermKind.CATEGORY)


def active_sources(session: Session) -> list[str]:
    return active_names(session, TermKind.SOURCE)


def names_by_id(session: Session, kind: TermKind) -> dict[int, str]:
    return {e.id: e.name for e in entries(session, kind)}


def active_entry(session: Session, kind: TermKind, name: str, *, field: str) -> Entry:
    """The active entry of that name, or Invalid naming ``field`` (what intake accepts)."""
    for entry in entries(session, kind):
        if entry.active and entry.name == name:
            return entry
    message = say("%(kind)s无效。", kind=VOCABULARY_LABELS[kind.value])
    raise Invalid(message, field=field, code=f"unknown_{kind.value}")


def all_terms(session: Session, kind: TermKind) -> list[Term]:
    """The rows of one list, for the admin pages."""
    query = select(Term).where(Term.kind == kind.value).order_by(col(Term.position), col(Term.id))
    return list(session.exec(query))


def _clean_name(kind: TermKind, name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        label = VOCABULARY_LABELS[kind.value]
        raise Invalid(say("%(kind)s名称须为 1–%(n)s 个字。", kind=label, n=MAX_NAME), field="name")
    return name


def _taken(session: Session, kind: TermKind, name: str, other_than: int | None = None) -> None:
    query = select(Term.id).where(Term.kind == kind.value, Term.name == name)
    if other_than is not None:
        query = query.where(Term.id != other_than)
    if session.exec(query).first() is not None:
        raise Invalid(say("%(kind)s名称已存在。", kind=VOCABULARY_LABELS[kind.value]), field="name")


def create_term(*, session: Session, kind: TermKind, name: str, actor_id: int | None = None) -> Term:
    """A new active entry at the end of its list; names are unique within a list."""
    name = _clean_name(kind, name)
    with writing(session):
        _taken(session, kind, name)
        last = session.exec(select(func.max(Term.position)).where(Term.kind == kind.value)).one() or 0
        term = Term(kind=kind.value, name=name, position=last + 1)
        session.add(term)
        session.add(AdminEvent(actor_id=actor_id, action=f"create_{kind.value}", target=name))
    return term


def update_term(
    *,
    session: Session,
    term_id: int,
    actor_id: int | None = None,
    name: str | None = None,
    position: int | None = None,
    active: bool | None = None,
) -> Term:
    """Rename, move or (de)activate an entry; cases keep the name they were filed with, and the
    triage rules (by id) keep a renamed category."""
    if position is not None and not 0 <= position <= 9999:
        raise Invalid(say("排序须为 0–9999 的整数。"), field="position")
    with writing(session):
        term = session.get(Term, term_id)
        if term is None:
            raise Invalid(say("该项不存在。"))
        kind = TermKind(term.kind)
        changes: dict[str, object] = {}
        if name is not None:
            name = _clean_name(kind, name)
            if name != term.name:
                _taken(session, kind, name, other_than=term_id)
                changes["name"] = name
        if position is not None and position != term.position:
            changes["position"] = position
        if active is not None and active != term.active:
            changes["active"] = active
        if changes.get("active") is False and _is_last_active(session, term):
            label = VOCABULARY_LABELS[kind.value]
            raise Invalid(say("至少须保留一个启用的%(kind)s。", kind=label), field="active")
        old_name = term.name
        for key, value in changes.items():
            setattr(term, key, value)
        session.add(term)
        if changes:
            session.add(
                AdminEvent(actor_id=actor_id, action=f"update_{kind.value}", target=old_name, data=changes)
            )
    return term


def _is_last_active(session: Session, term: Term) -> bool:
    others = (
        select(func.count())
        .select_from(Term)
        .where(Term.kind == term.kind, col(Term.active), Term.id != term.id)
    )
    return session.exec(others).one() == 0
