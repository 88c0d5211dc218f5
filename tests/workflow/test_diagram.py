"""The machine's description and its Mermaid diagram (kept in the README)."""

from pathlib import Path

from workflow import State
from workflow.diagram import describe, mermaid
from workflow.triggers import TRIGGERS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_description_lists_every_state_trigger_and_guard() -> None:
    d = describe()
    assert {s["id"] for s in d["states"]} == {s.value for s in State}
    assert {t["trigger"] for t in d["transitions"]} == set(TRIGGERS.names)
    guards = {g for t in d["transitions"] for g in t["guards"]}
    assert guards <= set(d["guards"])


def test_mermaid_has_chinese_labels_and_every_state() -> None:
    text = mermaid()
    assert text.startswith("stateDiagram-v2")
    for s in State:
        assert f"{s.value} : {s.label}" in text
    assert "assigned --> mediating : 开始调解" in text


def test_readme_carries_the_current_diagram() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "```mermaid\n" + mermaid() + "```" in readme
