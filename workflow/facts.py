"""Plain snapshots the engine decides on: the case as it stands and the person acting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow.roles import Role, Tier
from workflow.states import State
from workflow.triage import RiskLevel, Severity, TriageFacts


@dataclass(frozen=True)
class Actor:
    """Someone firing a trigger. ``community_ids`` None means every community (admin)."""

    id: int
    roles: frozenset[Role]
    community_ids: frozenset[int] | None = frozenset()
    active: bool = True

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    def in_community(self, community_id: int) -> bool:
        return self.community_ids is None or community_id in self.community_ids


@dataclass(frozen=True)
class CaseFacts:
    """What the engine needs to know about one case."""

    state: State
    community_id: int
    tier: Tier | None = None
    severity: Severity | None = None
    assignee_id: int | None = None
    risk_level: RiskLevel = RiskLevel.NONE
    rights_notified: bool = False
    refusal_recorded: bool = False
    agreement_kind: str | None = None
    agreement_effective_on: date | None = None
    confirmation_recorded: bool = False
    extensions: int = 0
    escalations: int = 0
    registered_on: date | None = (
        None  # Beijing date of intake: nothing recorded on the case happened before it
    )
    accepted_on: date | None = None
    triage: TriageFacts | None = None
    papers: frozenset[str] = frozenset()  # kinds of the signed papers attached (not withdrawn)
