"""A description of the machine (states, triggers, guards) and its Mermaid diagram, from workflow.triggers."""

from __future__ import annotations

from typing import Any

from workflow.guards import FIRED_BY_LABELS
from workflow.states import State
from workflow.triggers import TRIGGERS


def describe() -> dict[str, Any]:
    """JSON-ready description of states, transitions, guards and who may fire each trigger."""
    guards: dict[str, str] = {}
    transitions = []
    for t in TRIGGERS:
        for branch in t.branches:
            names = []
            for guard in (*t.guards, *branch.guards):
                guards[guard.name] = str(guard.label)
                names.append(guard.name)
            transitions.append(
                {
                    "trigger": t.name,
                    "label": str(t.label),
                    "sources": [s.value for s in t.sources],
                    "dest": branch.dest.value if branch.dest else None,
                    "guards": names,
                    "by": sorted(t.by),
                    "fields": [
                        {"name": f.name, "label": str(f.label), "kind": f.kind, "required": f.required}
                        for f in t.fields
                    ],
                }
            )
    return {
        "initial": State.REGISTERED.value,
        "states": [{"id": s.value, "label": str(s.label), "terminal": s.terminal} for s in State],
        "transitions": transitions,
        "guards": guards,
        "fired_by": {k: str(v) for k, v in FIRED_BY_LABELS.items()},
    }


def mermaid(*, chinese: bool = True, include_loops: bool = False) -> str:
    """Mermaid ``stateDiagram-v2`` text of the lifecycle (labels in the current language)."""
    lines = ["stateDiagram-v2"]
    for s in State:
        lines.append(f"    {s.value} : {s.label if chinese else s.value}")
    lines.append(f"    [*] --> {State.REGISTERED.value}")
    seen: set[tuple[str, str, str]] = set()
    for t in TRIGGERS:
        for branch in t.branches:
            for src in t.sources:
                dest = branch.dest or src
                if dest == src and not include_loops:
                    continue
                label = str(t.label) if chinese else t.name
                if len(t.branches) > 1 and branch.guards:
                    first = branch.guards[0]
                    label += f" [{first.label if chinese else first.name}]"
                key = (src.value, dest.value, label)
                if key not in seen:
                    seen.add(key)
                    lines.append(f"    {src.value} --> {dest.value} : {label}")
    for s in sorted((s for s in State if s.terminal), key=lambda s: s.value):
        lines.append(f"    {s.value} --> [*]")
    return "\n".join(lines) + "\n"
