"""The lifecycle page: the Mermaid diagram and a table of every trigger, its guards and who may fire it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import login_required

from workflow.diagram import describe, mermaid
from workflow.roles import ROLE_LABELS, TIER_ROLES, Role
from workflow.rules import ASSIGNEE_TRIGGERS, JUDGE_TRIGGERS, STAFF_TRIGGERS
from workflow.states import STATE_LABELS, State
from workflow.triggers import SPECS

bp = Blueprint("workflow_page", __name__, url_prefix="/workflow")


@dataclass(frozen=True)
class TriggerRow:
    trigger: str
    label: str
    label_en: str
    sources: list[str]
    dest: str
    guards: list[str]
    who: list[str]


def who_may_fire(trigger: str) -> list[str]:
    """Plain words for the role rule of workflow.rules.may_act."""
    who = []
    if trigger in STAFF_TRIGGERS:
        who.append(f"{ROLE_LABELS[Role.STAFF]}（本社区）")
    if trigger in ASSIGNEE_TRIGGERS:
        tiers = "、".join(ROLE_LABELS[r] for r in sorted(TIER_ROLES, key=list(Role).index))
        who.append(f"本案承办人（{tiers}）")
    if trigger in JUDGE_TRIGGERS:
        who.append(f"{ROLE_LABELS[Role.JUDGE]}（社区法官层级的案件）")
    return who


def state_label(state_id: str) -> str:
    return STATE_LABELS[State(state_id)]


def trigger_rows() -> list[TriggerRow]:
    info = describe()
    guard_labels: dict[str, str] = info["guards"]
    rows = []
    for t in info["transitions"]:
        rows.append(
            TriggerRow(
                trigger=t["trigger"],
                label=t["label"],
                label_en=SPECS[t["trigger"]].label_en,
                sources=[state_label(s) for s in t["sources"]],
                dest=state_label(t["dest"]) if t["dest"] else _("（状态不变）"),
                guards=[guard_labels.get(g, g) for g in t["guards"]],
                who=who_may_fire(t["trigger"]),
            )
        )
    return rows


@bp.get("")
@login_required
def index() -> str:
    info = describe()
    return render_template(
        "workflow/index.html",
        diagram=mermaid(chinese=True),
        states=info["states"],
        rows=trigger_rows(),
        title="办案流程",
    )
