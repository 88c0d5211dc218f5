"""Helpers shared by the tables: UTC timestamps and column shortcuts."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
