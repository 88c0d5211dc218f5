"""What intake takes: a complaint and its parties, as typed values (forms and the demo build these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from workflow import RiskLevel, TriageFacts


@dataclass(slots=True)
class PartyInput:
    role: str  # applicant | respondent
    name: str
    phone: str = ""
    id_number: str = ""
    address_xiaoqu: str = ""
    address_building: str = ""
    address_room: str = ""


@dataclass(slots=True)
class IntakeInput:
    community_id: int
    category: str
    source: str
    facts: str
    parties: list[PartyInput] = field(default_factory=list)
    claimed_amount: Decimal | None = None
    people_involved: int = 0
    injury: bool = False
    risk_level: str = "none"
    reported_to: str = ""
    place_xiaoqu: str = ""
    place_building: str = ""

    @property
    def people_count(self) -> int:
        """涉及人数; left at 0 it counts the parties themselves (triage and the stored figure agree)."""
        return self.people_involved or len(self.parties)

    def triage_facts(self, days_since_related_case: int | None) -> TriageFacts:
        """What triage grades this complaint on (with the days since the same parties' last case)."""
        return TriageFacts(
            category=self.category,
            claimed_amount=self.claimed_amount,
            injury=self.injury,
            people_involved=self.people_count,
            parties=len(self.parties),
            risk_level=RiskLevel(self.risk_level),
            days_since_related_case=days_since_related_case,
        )
