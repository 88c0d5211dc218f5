"""How many cases sit in each state, per community, category, tier and severity.

The case list shows counts per state on every page. Counting them from ``case`` costs time in
proportion to the cases a user sees (about 100 ms for 1,000,000 cases); this table answers the same
question from a few hundred rows. services.cases keeps it in the transaction that changes a case.
"""

from sqlmodel import Field, SQLModel


class CaseTally(SQLModel, table=True):
    """Cases in one (community, state, category, tier, severity) cell. No tier yet: tier ``""``."""

    __tablename__ = "case_tally"
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    state: str = Field(primary_key=True, max_length=20)
    category: str = Field(primary_key=True, max_length=20)
    tier: str = Field(primary_key=True, max_length=10)
    severity: str = Field(primary_key=True, max_length=10)
    n: int = 0
