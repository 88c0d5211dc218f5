"""The policy and the category list are read once per transaction, and afresh in the next one."""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlmodel import Session

from models import TermKind
from services.permissions import actor_for
from services.policy import current_policy, update_policy
from services.vocabulary import active_categories, create_term
from tests.factories import Factory


def _selects(engine: Engine, run) -> int:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def note(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def test_read_once_per_transaction(session: Session, engine: Engine) -> None:
    session.commit()
    first = _selects(engine, lambda: (current_policy(session), active_categories(session)))
    again = _selects(engine, lambda: (current_policy(session), active_categories(session)))
    assert first >= 2
    assert again == 0
    session.commit()
    assert _selects(engine, lambda: current_policy(session)) == 1


def test_a_change_is_seen_by_the_next_transaction(session: Session, factory: Factory) -> None:
    admin = actor_for(session, factory.user("admin"))
    assert current_policy(session).repeat_days == 180
    update_policy(session=session, actor=admin, values={"repeat_days": 90}, reason="试行")
    assert current_policy(session).repeat_days == 90
    before = active_categories(session)
    create_term(session=session, kind=TermKind.CATEGORY, name="宠物", actor_id=admin.id)
    assert active_categories(session) == [*before, "宠物"]
