"""Roles of the people using the system and the 1+1+N tiers."""

from enum import StrEnum

from workflow.labels import ROLE_LABELS, TIER_LABELS
from workflow.text import Text


class Role(StrEnum):
    STAFF = "staff"
    VOLUNTEER = "volunteer"
    MEDIATOR = "mediator"
    JUDGE = "judge"
    LEADER = "leader"
    ADMIN = "admin"

    @property
    def label(self) -> Text:
        return ROLE_LABELS[self]


class Tier(StrEnum):
    VOLUNTEER = "volunteer"
    MEDIATOR = "mediator"
    JUDGE = "judge"

    @property
    def label(self) -> Text:
        return TIER_LABELS[self]

    @property
    def role(self) -> Role:
        return Role(self.value)

    def up(self) -> "Tier | None":
        """The next tier up, or None above the judge."""
        i = TIER_ORDER.index(self)
        return TIER_ORDER[i + 1] if i + 1 < len(TIER_ORDER) else None

    def down(self) -> "Tier | None":
        """The next tier down, or None below the volunteers."""
        i = TIER_ORDER.index(self)
        return TIER_ORDER[i - 1] if i > 0 else None


TIER_ORDER: tuple[Tier, ...] = (Tier.VOLUNTEER, Tier.MEDIATOR, Tier.JUDGE)


TIER_ROLES: frozenset[Role] = frozenset({Role.VOLUNTEER, Role.MEDIATOR, Role.JUDGE})
