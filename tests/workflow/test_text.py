"""Words of workflow/ and services/: Chinese as written until a translator is installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from workflow import State, text
from workflow.text import _, _p, day, listing, month_title, say

ENGLISH = {
    "11月": "Nov",
    "%(year)s年%(month)s%(day)s日": "%(day)s %(month)s %(year)s",
    "%(year)s年%(month)s": "%(month)s %(year)s",
    "、": ", ",
    "已登记": "Registered",
    "%(label)s不能超过 %(n)s 个字。": "%(label)s: at most %(n)s characters.",
}
IN_CONTEXT = {("state", "不予受理"): "Not accepted"}


@pytest.fixture
def english() -> Iterator[None]:
    """A translator like Flask-Babel's with an English catalog, put back as it was afterwards."""
    saved = (text._translator[0], text._context_translator[0], text._plural_translator[0])
    text.install(lambda m: ENGLISH.get(m, m), lambda c, m: IN_CONTEXT.get((c, m), m))
    yield
    text.install(*saved)


def test_chinese_as_written_without_a_translator() -> None:
    assert day(date(2026, 11, 29)) == "2026年11月29日"
    assert month_title(2026, 3) == "2026年3月"
    assert listing(["婚姻家庭", _("邻里")]) == "婚姻家庭、邻里"
    assert str(State.NOT_ACCEPTED.label) == "不予受理"


def test_english_once_installed(english: None) -> None:
    assert day(date(2026, 11, 29)) == "29 Nov 2026"
    assert month_title(2026, 11) == "Nov 2026"
    assert listing(["a", "b"]) == "a, b"
    assert str(State.REGISTERED.label) == "Registered"
    assert str(State.NOT_ACCEPTED.label) == "Not accepted"  # in its context: the state, not the step
    assert (
        say("%(label)s不能超过 %(n)s 个字。", label=_("已登记"), n=5) == "Registered: at most 5 characters."
    )


def test_a_label_keeps_its_chinese_source_whatever_the_language(english: None) -> None:
    label = _("争议金额 ≥ %(amount)s 元").of(amount="1,000")
    assert label.source == "争议金额 ≥ 1,000 元"  # what a case stores
    assert _p("state", "不予受理").source == "不予受理"
