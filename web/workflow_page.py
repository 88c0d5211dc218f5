"""The lifecycle page: the Mermaid diagram and a table of every trigger, its guards and who may fire it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import login_required

from workflow.diagram import describe, mermaid
from workflow.guards import FIRED_BY_LABELS
from workflow.states import State

bp = Blueprint("workflow_page", __name__, url_prefix="/workflow")


@dataclass(frozen=True)
class TriggerRow:
    trigger: str
    label: str
    sources: list[str]
    dest: str
    guards: list[str]
    who: list[str]


def trigger_rows() -> list[TriggerRow]:
    """One row per way a trigger can go (follow-up has two), from workflow.diagram.describe."""
    info = describe()
    guard_labels: dict[str, str] = info["guards"]
    return [
        TriggerRow(
            trigger=t["trigger"],
            label=t["label"],
            sources=[str(State(s).label) for s in t["sources"]],
            dest=str(State(t["dest"]).label) if t["dest"] else _("（状态不变）"),
            guards=[guard_labels.get(g, g) for g in t["guards"]],
            who=[str(FIRED_BY_LABELS[who]) for who in t["by"]],
        )
        for t in info["transitions"]
    ]


@bp.get("")
@login_required
def index() -> str:
    info = describe()
    return render_template(
        "workflow/index.html",
        diagram=mermaid(chinese=True),
        states=info["states"],
        rows=trigger_rows(),
        title=_("办案流程"),
    )
