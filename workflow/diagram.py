"""A description of the machine (states, triggers, guards) and its Mermaid diagram."""

from __future__ import annotations

from typing import Any

from workflow.guards import GUARD_LABELS
from workflow.lifecycle import TABLE
from workflow.states import STATE_LABELS, TERMINAL, State
from workflow.triggers import SPECS


def describe() -> dict[str, Any]:
    """JSON-ready description of states, transitions and guards."""
    return {
        "initial": State.REGISTERED.value,
        "states": [{"id": s.value, "label": STATE_LABELS[s], "terminal": s in TERMINAL} for s in State],
        "transitions": [
            {
                "trigger": r.trigger,
                "label": SPECS[r.trigger].label,
                "sources": [s.value for s in r.sources],
                "dest": r.dest.value if r.dest else None,
                "guards": list(r.guards),
            }
            for r in TABLE
        ],
        "guards": dict(GUARD_LABELS),
    }


def mermaid(*, chinese: bool = True, include_loops: bool = False) -> str:
    """Mermaid ``stateDiagram-v2`` text of the lifecycle."""
    lines = ["stateDiagram-v2"]
    for s in State:
        label = STATE_LABELS[s] if chinese else s.value
        lines.append(f"    {s.value} : {label}")
    lines.append(f"    [*] --> {State.REGISTERED.value}")
    seen: set[tuple[str, str, str]] = set()
    for rule in TABLE:
        for src in rule.sources:
            dest = rule.dest or src
            if dest == src and not include_loops:
                continue
            label = SPECS[rule.trigger].label if chinese else rule.trigger
            if rule.guards and rule.trigger == "follow_up":
                label += f" [{GUARD_LABELS[rule.guards[0]]}]" if chinese else f" [{rule.guards[0]}]"
            key = (src.value, dest.value, label)
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"    {src.value} --> {dest.value} : {label}")
    for s in sorted(TERMINAL, key=lambda s: s.value):
        lines.append(f"    {s.value} --> [*]")
    return "\n".join(lines) + "\n"
