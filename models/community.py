"""Communities (社区) and their street offices (街道)."""

from sqlmodel import Field, SQLModel


class Community(SQLModel, table=True):
    """A community whose cases the system tracks; ``short_name`` goes into case numbers."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    short_name: str = Field(max_length=20, unique=True)
    street: str = Field(default="", max_length=100, index=True)
