"""What the ledger's free-text values map to: sources come from the vocabulary, as intake takes them."""

from __future__ import annotations

from services.ledger.values import Vocabulary


def _vocabulary(*sources: str) -> Vocabulary:
    return Vocabulary({"source": tuple((s, s) for s in sources)}, {})


def test_a_ledger_word_maps_to_a_default_source_only_while_it_is_active() -> None:
    both = _vocabulary("当事人申请", "委托移送", "网格上报")
    assert both.guess("source", "派出所移送") == "委托移送"
    assert both.guess("source", "") == "当事人申请"  # a blank cell: the parties came
    assert both.guess("source", "网格上报") == "网格上报"  # an administered source, as written
    without = _vocabulary("当事人申请", "网格上报")  # 委托移送 deactivated by the administrator
    assert without.guess("source", "派出所移送") is None  # left for the person mapping the values
    assert without.guess("source", "主动排查") is None  # 主动调解 is not in this list either
