"""Printable documents of a case: the mediation agreement (调解协议书) and the file cover (卷宗封面及目录).

They are Chinese legal papers: the paper is in Chinese whatever the language of the site (its words,
dates, labels and amounts), only the page around it (navigation, print button) follows the language.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
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
    with force_locale("zh"):
        signatory = mediator_signatory(record)
    return render_template(
        "documents/agreement.html",
        title=_("调解协议书"),
        r=record,
        a=record.agreement,
        signatory=signatory,
        **pii_shown(case),
    )


@bp.get("/<int:case_id>/file")
@login_required
def case_file(case_id: int) -> str:
    case = load_case(case_id)
    record = case_record(db(), case)
    with force_locale("zh"):
        result = result_of(record)
    return render_template(
        "documents/file.html",
        title=_("卷宗封面及目录"),
        r=record,
        items=contents(record),
        result=result,
        mediator=mediator_of(record),
    )
