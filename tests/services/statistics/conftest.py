"""Fixtures shared by the statistics tests."""

from typing import Any

import pytest

from tests.services.statistics.world import build_world


@pytest.fixture
def world(factory: Any) -> dict[str, Any]:
    """The hand-worked statistics fixture (see tests/services/statistics/world.py)."""
    return build_world(factory)
