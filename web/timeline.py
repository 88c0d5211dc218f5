"""The case page's 办理经过: each event as one row of the timeline, written in one pass.

A case of twenty steps is twenty rows of step, who, when, the move between states and the step's key
data. Written by Jinja, each of those is a call through the template's context (a few microseconds
each, a millisecond and more for the timeline); here they are plain Python, and the template only puts
the strings in place (templates/cases/show.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from models import CaseEvent
from web.catalog import lazy_gettext as _l
from web.display import cn_datetime, event_details, keep, state_label, trigger_label

_PAIR = _l("%(label)s：%(text)s")
_ASSIGNEE = _l("承办人")


@dataclass(frozen=True, slots=True)
class Entry:
    """One row: what was done, by whom, when; ``moved`` the states it went between (None when it stayed),
    ``details`` its key data, each "label：text" escaped and ready to show."""

    label: str
    who: str
    at_iso: str
    at: str
    moved: str | None
    note: str | None
    details: list[Markup]


def entries(events: Iterable[CaseEvent], users: dict[int, str]) -> list[Entry]:
    """The rows of ``events`` in their order; ``users``: names by id (the actor and any assignee)."""
    pair = str(_PAIR)
    assignee = str(_ASSIGNEE)
    rows = []
    for e in events:
        details = event_details(e.trigger, e.data)
        if e.data and e.data.get("assignee_id"):
            details.append((assignee, keep(users.get(e.data.get("assignee_id"), "—"))))
        moved = None
        if e.from_state and e.from_state != e.to_state:
            moved = f"{state_label(e.from_state)} → {state_label(e.to_state)}"
        rows.append(
            Entry(
                label=trigger_label(e.trigger),
                who=users.get(e.actor_id, "—"),
                at_iso=e.at.isoformat(),
                at=cn_datetime(e.at),
                moved=moved,
                note=e.note or None,
                details=[Markup(pair % {"label": escape(k), "text": escape(v)}) for k, v in details],
            )
        )
    return rows
