"""Fixtures shared by the service tests."""

from typing import Any

import pytest

from tests.services.stats_world import build_world


@pytest.fixture
def world(factory: Any) -> dict[str, Any]:
    """The hand-worked statistics fixture (see tests/services/stats_world.py)."""
    return build_world(factory)
