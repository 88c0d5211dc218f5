"""Printable documents of a case: the mediation agreement (调解协议书) and the file cover (卷宗封面及目录)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template
from flask_login import login_required

from services.access import sees_full_pii
from services.queries import CaseRecord, case_record
from services.validation import mask_id_number, mask_phone
from web.auth import current_actor
from web.cases import bp, load_case
from web.database import db
from workflow import State


@dataclass(frozen=True)
class FileItem:
    """One line of the contents list (卷内目录)."""

    title: str
    required: bool
    present: bool
    detail: str = ""


def contents(r: CaseRecord) -> list[FileItem]:
    """The file's items per domain.md "Case file": required ones first, then those kept as needed."""
    ids_complete = bool(r.parties) and all(p.id_number for p in r.parties)
    agreement = r.agreement
    kind = "口头协议记录" if agreement and agreement.kind == "oral" else "调解协议书"
    performed = any(f.performed for f in r.follow_ups)
    return [
        FileItem("人民调解申请书或纠纷受理登记表", True, r.has_event("register")),
        FileItem("当事人权利义务告知书", True, r.case.rights_notified or r.has_event("notify_rights")),
        FileItem(
            "当事人身份证明",
            True,
            ids_complete,
            "" if ids_complete else "有当事人未登记身份证号码",
        ),
        FileItem("调解笔录", True, bool(r.sessions), f"{len(r.sessions)} 份" if r.sessions else ""),
        FileItem(f"{kind}", True, agreement is not None),
        FileItem("证据材料", False, False, "按需附卷"),
        FileItem("履行凭证", False, performed),
        FileItem("回访记录", False, bool(r.follow_ups), f"{len(r.follow_ups)} 份" if r.follow_ups else ""),
        FileItem("司法确认材料", False, bool(r.confirmations)),
    ]


def result_of(r: CaseRecord) -> str:
    """The case's result as the cover states it."""
    state = State(r.case.state)
    if state is State.CLOSED:
        return "调解成功，协议已履行"
    if state is State.AGREED:
        return "调解成功，协议履行中"
    return state.label


@bp.get("/<int:case_id>/agreement")
@login_required
def agreement(case_id: int) -> str:
    case = load_case(case_id)
    record = case_record(db(), case)
    if record.agreement is None:
        abort(404)
    full = sees_full_pii(current_actor(), case)
    return render_template(
        "documents/agreement.html",
        title="调解协议书",
        r=record,
        a=record.agreement,
        phone=(lambda v: v) if full else mask_phone,
        id_number=(lambda v: v) if full else mask_id_number,
    )


@bp.get("/<int:case_id>/file")
@login_required
def case_file(case_id: int) -> str:
    case = load_case(case_id)
    record = case_record(db(), case)
    return render_template(
        "documents/file.html",
        title="卷宗封面及目录",
        r=record,
        items=contents(record),
        result=result_of(record),
        mediator=record.users.get(case.assignee_id or 0) or _last_mediator(record),
    )


def _last_mediator(r: CaseRecord) -> str:
    """Who mediated a closed case: the assignee recorded by the last assign/reassign event."""
    for event in reversed(r.events):
        if event.trigger in ("assign", "reassign") and isinstance(event.data, dict):
            name = r.users.get(event.data.get("assignee_id") or 0)
            if name:
                return name
    return "—"
