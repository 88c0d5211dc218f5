"""Roles of the people using the system and the 1+1+N tiers."""

from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"
    VOLUNTEER = "volunteer"
    MEDIATOR = "mediator"
    JUDGE = "judge"
    LEADER = "leader"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.STAFF: "社区工作人员",
    Role.VOLUNTEER: "调解志愿者",
    Role.MEDIATOR: "社区调解员",
    Role.JUDGE: "社区法官",
    Role.LEADER: "街道/社区领导",
    Role.ADMIN: "系统管理员",
}


class Tier(StrEnum):
    VOLUNTEER = "volunteer"
    MEDIATOR = "mediator"
    JUDGE = "judge"

    @property
    def label(self) -> str:
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

TIER_LABELS: dict[Tier, str] = {
    Tier.VOLUNTEER: "调解志愿者",
    Tier.MEDIATOR: "社区调解员",
    Tier.JUDGE: "社区法官",
}

TIER_ROLES: frozenset[Role] = frozenset({Role.VOLUNTEER, Role.MEDIATOR, Role.JUDGE})
