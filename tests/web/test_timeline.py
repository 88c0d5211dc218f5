"""web.timeline: the case page's 办理经过, one row per event, escaped and in the page's language."""

from __future__ import annotations

from flask import session as web_session
from markupsafe import Markup
from sqlmodel import Session

from services.queries import case_record
from tests.factories import Factory
from web.timeline import Entry, entries


def _rows(app, app_session: Session, locale: str) -> tuple[object, list[Entry]]:  # type: ignore[no-untyped-def]
    """A mediating case whose assignee's name holds markup, its rows in ``locale``."""
    factory = Factory(app_session)
    case = factory.case("mediating")
    assignee = factory.member("volunteer")
    assignee.display_name = "赵<script>"
    app_session.add(assignee)
    app_session.commit()
    record = case_record(app_session, case)
    with app.test_request_context("/"):
        web_session["locale"] = locale
        return record, entries(record.events, record.users)


def test_each_event_is_a_row_with_who_when_the_move_and_its_data(app, app_session: Session) -> None:  # type: ignore[no-untyped-def]
    record, rows = _rows(app, app_session, "zh")
    assert [r.label for r in rows] == ["登记", "受理", "指派", "告知权利义务", "开始调解"]
    register, accept, assign = rows[0], rows[1], rows[2]
    assert register.who == record.users[record.events[0].actor_id]  # type: ignore[attr-defined]
    assert register.at_iso == record.events[0].at.isoformat()  # type: ignore[attr-defined]
    assert register.at.count("年") == 1 and register.at.count(":") == 1
    assert register.moved is None and accept.moved == "已登记 → 已受理"
    assert all(isinstance(d, Markup) for r in rows for d in r.details)
    assert any(str(d).startswith("案号：<span data-i18n-keep>（") for d in accept.details), accept.details
    assert "承办人：<span data-i18n-keep>赵&lt;script&gt;</span>" in [str(d) for d in assign.details]


def test_the_words_follow_the_language_and_names_stay_escaped(app, app_session: Session) -> None:  # type: ignore[no-untyped-def]
    _record, rows = _rows(app, app_session, "en")
    assert [r.label for r in rows][:3] == ["Register", "Accept", "Assign"]
    shown = [str(d) for d in rows[2].details]
    assert "Assignee: <span data-i18n-keep>赵&lt;script&gt;</span>" in shown, shown
    assert not any("承办人" in d or "<script>" in d for d in shown)
