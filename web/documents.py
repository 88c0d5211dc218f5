"""Printable documents of a case: the mediation agreement (调解协议书) and the file cover (卷宗封面及目录)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import login_required

from services.case_file import contents, mediator_of, mediator_signatory, result_of
from services.queries import case_record
from web.cases import bp, load_case, pii_shown
from web.database import db


@bp.get("/<int:case_id>/agreement")
@login_required
def agreement(case_id: int) -> str:
    case = load_case(case_id)
    record = case_record(db(), case)
    if record.agreement is None:
        abort(404)
    return render_template(
        "documents/agreement.html",
        title="调解协议书",
        r=record,
        a=record.agreement,
        signatory=mediator_signatory(record),
        **pii_shown(case),
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
        mediator=mediator_of(record),
    )
