"""Case states of the People's Mediation lifecycle (canonical ids from domain.md)."""

from enum import StrEnum


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
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: "已登记",
    State.NOT_ACCEPTED: "不予受理",
    State.ACCEPTED: "已受理",
    State.ASSIGNED: "已指派",
    State.MEDIATING: "调解中",
    State.AGREED: "已达成协议",
    State.DEFAULTED: "未履行",
    State.CLOSED: "已结案",
    State.TERMINATED: "终止调解",
    State.WITHDRAWN: "已撤回",
}

STATE_LABELS_EN: dict[State, str] = {
    State.REGISTERED: "Registered",
    State.NOT_ACCEPTED: "Not accepted",
    State.ACCEPTED: "Accepted",
    State.ASSIGNED: "Assigned",
    State.MEDIATING: "Mediating",
    State.AGREED: "Agreed",
    State.DEFAULTED: "Defaulted",
    State.CLOSED: "Closed",
    State.TERMINATED: "Terminated",
    State.WITHDRAWN: "Withdrawn",
}

TERMINAL: frozenset[State] = frozenset({State.NOT_ACCEPTED, State.CLOSED, State.TERMINATED, State.WITHDRAWN})

# Open cases whose 30-day mediation clock is running (规定 §33).
CLOCK_RUNNING: frozenset[State] = frozenset({State.ACCEPTED, State.ASSIGNED, State.MEDIATING})
