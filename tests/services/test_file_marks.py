"""The 卷宗不全 marks follow a change of the policy's completeness rule, for every ended case at once, and
agree with the rule as the case page applies it to one case (services.attachments.file_missing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from models import AdminEvent, Case
from services import attachments
from services.attachments_content import Limits
from services.attachments_files import FileStore
from services.errors import Invalid
from services.permissions import actor_for
from services.policy import current_policy, update_policy
from tests import samples
from tests.factories import Factory

LIMITS = Limits(min_free_bytes=0)


def _world(factory: Factory, tmp_path: Path) -> dict[str, int]:
    """Ended cases of every kind, some with their papers attached (one withdrawn), and an open one."""
    store = FileStore(tmp_path / "files")
    staff = actor_for(factory.session, factory.staff())

    def attach(case: Case, kind: str) -> int:
        row = attachments.upload(
            session=factory.session, store=store, actor=staff, case_id=case.id or 0, kind=kind,
            name=f"{kind}.pdf", data=samples.pdf(), limits=LIMITS,
        )  # fmt: skip
        return row.id or 0

    written = factory.case("closed")
    signed = factory.case("closed")
    attach(signed, "agreement")
    oral = factory.case("mediating")
    oral = factory.fire(oral, "record_agreement", kind="oral", content="双方口头约定互不打扰", amount=None)
    oral = factory.fire(oral, "follow_up")
    ended = factory.case("terminated")
    noticed = factory.case("terminated")
    attach(noticed, "termination_notice")
    taken_back = factory.case("closed")
    attachments.withdraw(
        session=factory.session, actor=staff, case_id=taken_back.id or 0,
        attachment_id=attach(taken_back, "agreement"), reason="扫描不清",
    )  # fmt: skip
    open_case = factory.case("mediating")
    attach(open_case, "session_record")
    cases = {"written": written, "signed": signed, "oral": oral, "ended": ended, "noticed": noticed}
    cases |= {"taken_back": taken_back, "open": open_case}
    return {name: c.id or 0 for name, c in cases.items()}


def _marks(factory: Factory, ids: dict[str, int]) -> dict[str, bool]:
    factory.session.rollback()
    factory.session.expire_all()
    rows = {c.id: c for c in factory.session.exec(select(Case))}
    policy = current_policy(factory.session)
    for name, case_id in ids.items():  # the case page's rule for one case says the same
        missing = attachments.file_missing(factory.session, rows[case_id], policy)
        assert rows[case_id].file_incomplete == bool(missing), name
    return {name: rows[case_id].file_incomplete for name, case_id in ids.items()}


def _set(factory: Factory, **values: object) -> None:
    admin = actor_for(factory.session, factory.user("admin", communities=[]))
    update_policy(session=factory.session, actor=admin, values=values, reason="卷宗规则调整")


def test_marks_follow_the_rule_when_the_admin_changes_it(factory: Factory, tmp_path: Path) -> None:
    ids = _world(factory, tmp_path)
    default = {"written": True, "signed": False, "oral": False, "ended": True, "noticed": False}
    default |= {"taken_back": True, "open": False}
    assert _marks(factory, ids) == default

    _set(factory, file_close_written=[], file_close_oral=["session_record"], file_terminate=[])
    assert _marks(factory, ids) == dict.fromkeys(ids, False) | {"oral": True}

    _set(  # values not named keep what is stored: the oral rule set above is taken back by name
        factory,
        file_close_written=["agreement", "session_record"],
        file_close_oral=[],
        file_terminate=["termination_notice"],
    )
    expected = dict.fromkeys(ids, True) | {"noticed": False, "open": False, "oral": False}
    assert _marks(factory, ids) == expected


def test_a_change_elsewhere_in_the_policy_leaves_the_marks(factory: Factory, tmp_path: Path) -> None:
    ids = _world(factory, tmp_path)
    factory.session.rollback()
    factory.session.get(Case, ids["written"]).file_incomplete = False  # as if marked under another rule
    factory.session.commit()
    _set(factory, file_check="refuse")
    assert factory.session.get(Case, ids["written"]).file_incomplete is False
    _set(factory, file_terminate=["termination_notice", "session_record"])
    factory.session.expire_all()
    assert factory.session.get(Case, ids["written"]).file_incomplete is True, "all marks set again"


def test_an_unknown_paper_kind_is_refused_and_nothing_changes(factory: Factory, tmp_path: Path) -> None:
    ids = _world(factory, tmp_path)
    before = _marks(factory, ids)
    with pytest.raises(Invalid, match="unknown paper kind"):
        _set(factory, file_close_written=["signed_selfie"])
    assert _marks(factory, ids) == before
    factory.session.rollback()
    assert factory.session.exec(select(AdminEvent).where(AdminEvent.action == "update_policy")).all() == []


def test_the_papers_are_read_only_where_a_trigger_looks_at_them(factory: Factory, engine) -> None:
    """facts_of reads the attachments only in the states of a trigger with the file_complete guard."""
    from sqlalchemy import event

    from services.cases import facts_of
    from workflow import State
    from workflow.triggers import PAPER_STATES

    assert {State.ASSIGNED, State.MEDIATING, State.AGREED, State.DEFAULTED} == PAPER_STATES
    seen: list[str] = []

    def note(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    for state, reads in (("registered", False), ("accepted", False), ("mediating", True)):
        case = factory.case(state)
        seen.clear()
        event.listen(engine, "before_cursor_execute", note)
        try:
            facts_of(factory.session, case)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert any("attachment" in s for s in seen) is reads, state
