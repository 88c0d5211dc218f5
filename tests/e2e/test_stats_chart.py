"""The statistics chart by category names every category, on a phone and on a laptop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from services.vocabulary import active_categories
from tests.e2e.conftest import Cast
from tests.e2e.test_phone_layout import PHONE
from tests.e2e.ui import UI
from tests.factories import Factory

SHOWN_LABELS = """
() => {
  const chart = Chart.getChart(document.getElementById('chart-categories'));
  const y = chart.scales.y;
  return {data: chart.data.labels, shown: y.ticks.map(t => y.getLabelForValue(t.value))};
}
"""


@pytest.mark.parametrize("width", [390, 1366])
def test_every_category_has_its_label(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, width: int
) -> None:
    categories = active_categories(seed.session)
    assert "邻里" in categories and len(categories) >= 15
    for category in categories:  # one case each, and 邻里 the tallest bar
        for _ in range(4 if category == "邻里" else 1):
            seed.case("accepted", community=cast.community, category=category)
    options = PHONE if width == 390 else {"viewport": {"width": width, "height": 800}}
    ui = open_ui(**options)
    ui.login(cast.staff)
    ui.goto("/stats/")
    expect(ui.page.locator("#chart-categories")).to_be_visible()
    ui.page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('chart-categories'))"
    )
    labels = ui.page.evaluate(SHOWN_LABELS)
    assert sorted(labels["data"]) == sorted(categories)
    assert labels["shown"] == labels["data"], (
        f"labels left out at {width}px: {set(labels['data']) - set(labels['shown'])}"
    )
    ui.shot(f"categories-{width}")
