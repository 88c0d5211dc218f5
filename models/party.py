"""Parties to a case: applicants (申请人) and respondents (被申请人)."""

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Party(SQLModel, table=True):
    """A person on one side of a dispute, with an address down to 小区/楼栋/室."""

    __table_args__ = (Index("ix_party_address", "address_xiaoqu", "address_building", "address_room"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    role: str = Field(max_length=12)  # applicant | respondent
    name: str = Field(max_length=50, index=True)
    phone: str = Field(default="", max_length=20, index=True)
    id_number: str = Field(default="", max_length=18, index=True)
    address_xiaoqu: str = Field(default="", max_length=100)
    address_building: str = Field(default="", max_length=50)
    address_room: str = Field(default="", max_length=20)
