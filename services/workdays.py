"""The working-day calendar in force: chinesecalendar plus the administrator's override table."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from models import AdminEvent, HolidayOverride
from services.db import writing
from services.errors import Invalid
from services.permissions import may_administer
from workflow import Actor
from workflow.text import say
from workflow.workdays import WorkCalendar, package_knows

NOTE_MAX = 100


def overrides(session: Session) -> dict[date, bool]:
    """Every override: day → working day (True) or day off (False)."""
    return {
        day: bool(working)
        for day, working in session.exec(select(col(HolidayOverride.day), col(HolidayOverride.working)))
    }


def calendar_for(session: Session) -> WorkCalendar:
    """The calendar with the override table, read the first time a clock asks about a day."""
    return WorkCalendar(lambda: overrides(session))


def all_overrides(session: Session) -> list[HolidayOverride]:
    return list(session.exec(select(HolidayOverride).order_by(col(HolidayOverride.day))))


def uncovered_years(session: Session, today: date) -> list[int]:
    """This year and next, where neither chinesecalendar nor an override says which days are holidays."""
    entered = {day.year for day in overrides(session)}
    return [y for y in (today.year, today.year + 1) if not package_knows(y) and y not in entered]


def set_override(
    *, session: Session, actor: Actor, day: date, working: bool, note: str = ""
) -> HolidayOverride:
    """Mark one day a working day or a day off (admin only; recorded in the audit log)."""
    if not may_administer(actor):
        raise Invalid(say("只有系统管理员可以修改节假日安排。"))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise Invalid(say("说明最多 %(n)s 个字。", n=NOTE_MAX), field="note")
    with writing(session):
        row = session.get(HolidayOverride, day) or HolidayOverride(day=day, working=working)
        row.working, row.note, row.created_by_id = working, note, actor.id
        session.add(row)
        session.add(
            AdminEvent(
                actor_id=actor.id,
                action="set_holiday",
                target=day.isoformat(),
                data={"working": working, "note": note},
            )
        )
    return row


def delete_override(*, session: Session, actor: Actor, day: date) -> None:
    """Remove a day's override: the package (or Monday to Friday) decides again."""
    if not may_administer(actor):
        raise Invalid(say("只有系统管理员可以修改节假日安排。"))
    with writing(session):
        row = session.get(HolidayOverride, day)
        if row is None:
            raise Invalid(say("该日期没有录入的安排。"))
        session.delete(row)
        session.add(AdminEvent(actor_id=actor.id, action="delete_holiday", target=day.isoformat()))
