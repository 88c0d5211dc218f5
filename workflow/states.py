"""Case states of the People's Mediation lifecycle (canonical ids from domain.md)."""

from __future__ import annotations

from enum import StrEnum

from workflow.text import Text, _, _p


class State(StrEnum):
    REGISTERED = "registered"
    NOT_ACCEPTED = "not_accepted"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    MEDIATING = "mediating"
    AGREED = "agreed"
    DEFAULTED = "defaulted"
    CLOSED = "closed"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> Text:
        return STATE_LABELS[self]

    @property
    def terminal(self) -> bool:
        """The case has ended (不予受理, 结案, 终止, 撤回): nothing more happens to it."""
        return self in TERMINAL

    @property
    def clock_running(self) -> bool:
        """The one-month mediation clock runs (规定 §33): accepted, assigned, mediating."""
        return self in CLOCK_RUNNING

    @classmethod
    def open_values(cls) -> tuple[str, ...]:
        """The ids of every state that is not terminal (for SQL)."""
        return OPEN_VALUES

    @classmethod
    def clock_values(cls) -> tuple[str, ...]:
        """The ids of the states whose mediation clock runs (for SQL)."""
        return CLOCK_VALUES


STATE_LABELS: dict[State, Text] = {
    State.REGISTERED: _("已登记"),
    State.NOT_ACCEPTED: _p("state", "不予受理"),
    State.ACCEPTED: _("已受理"),
    State.ASSIGNED: _("已指派"),
    State.MEDIATING: _("调解中"),
    State.AGREED: _("已达成协议"),
    State.DEFAULTED: _("未履行"),
    State.CLOSED: _("已结案"),
    State.TERMINATED: _p("state", "终止调解"),
    State.WITHDRAWN: _("已撤回"),
}

TERMINAL: frozenset[State] = frozenset({State.NOT_ACCEPTED, State.CLOSED, State.TERMINATED, State.WITHDRAWN})
OPEN: tuple[State, ...] = tuple(s for s in State if s not in TERMINAL)
CLOCK_RUNNING: frozenset[State] = frozenset({State.ACCEPTED, State.ASSIGNED, State.MEDIATING})
OPEN_VALUES: tuple[str, ...] = tuple(s.value for s in OPEN)
CLOCK_VALUES: tuple[str, ...] = tuple(s.value for s in State if s in CLOCK_RUNNING)
