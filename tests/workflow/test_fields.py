"""Trigger data from any caller: dates outside 1900–2100 and amounts that are not finite numbers are refused
with the field named (they would overflow deadline arithmetic or break every comparison)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from workflow import Refused
from workflow.fields import clean
from workflow.triggers import TRIGGERS


def clean_data(trigger: str, data: dict) -> dict:
    return clean(TRIGGERS[trigger].fields, data)


FOLLOW_UP = {"visited_on": "2026-11-20", "method": "call", "satisfaction": "satisfied", "notes": "已履行"}
AGREEMENT = {"kind": "written", "effective_on": "2026-11-20"}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", date(9999, 1, 1)])
def test_dates_outside_the_years_are_refused(day):
    with pytest.raises(Refused) as refused:
        clean_data("follow_up", {**FOLLOW_UP, "visited_on": day})
    assert refused.value.field == "visited_on"
    assert "1900–2100" in refused.value.message


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-inf", Decimal("NaN"), "1e20", "-0.01"])
def test_amounts_that_are_not_finite_or_in_range_are_refused(amount):
    with pytest.raises(Refused) as refused:
        clean_data("record_agreement", {**AGREEMENT, "amount": amount})
    assert refused.value.field == "amount"


def test_good_dates_and_amounts_pass():
    data = clean_data("record_agreement", {**AGREEMENT, "amount": "1200.456"})
    assert data["effective_on"] == date(2026, 11, 20)
    assert data["amount"] == Decimal("1200.46")
