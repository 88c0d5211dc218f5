"""Printable papers of a case's file (卷宗): the 调解协议书, the other papers (受理登记表, 权利义务告知书,
调解笔录, 回访记录, 司法确认申请书, 终止调解告知书) and the file's cover with its contents list.

They are Chinese legal papers: the paper is in Chinese whatever the language of the site (its words,
dates, labels and amounts), only the page around it (navigation, print button) follows the language.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required

from services.attachments import file_missing
from services.case_file import (
    PAPER_KEYS,
    contents,
    event_data,
    mediator_of,
    mediator_signatory,
    papers_of,
    result_of,
)
from services.policy import current_policy
from services.queries import CaseRecord, case_record, papers_attached
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


def _paper(record: CaseRecord, key: str, **context: Any) -> str:
    paper = PAPER_KEYS[key]
    with force_locale("zh"):
        signatory = mediator_signatory(record)
    return render_template(
        f"documents/{key}.html",
        title=str(paper.title),
        r=record,
        signatory=signatory,
        mediator=mediator_of(record),
        event_data=lambda trigger: event_data(record, trigger),
        **pii_shown(record.case),
        **context,
    )


@bp.get("/<int:case_id>/papers/<key>")
@login_required
def paper(case_id: int, key: str) -> str:
    """One printable paper of the case (404 when the case has none such: no agreement, no visit…)."""
    case = load_case(case_id)
    if key not in PAPER_KEYS:
        abort(404)
    if key == "agreement":
        return agreement(case_id)
    if key == "session":
        return session_record(case_id, 1)
    record = case_record(db(), case)
    if not PAPER_KEYS[key].has(record):
        abort(404)
    return _paper(record, key)


@bp.get("/<int:case_id>/papers/session/<int:number>")
@login_required
def session_record(case_id: int, number: int) -> str:
    """The record (调解笔录) of the case's ``number``-th session, in the order they were held."""
    record = case_record(db(), load_case(case_id))
    if not 1 <= number <= len(record.sessions):
        abort(404)
    return _paper(record, "session", s=record.sessions[number - 1], number=number)


@bp.get("/<int:case_id>/file")
@login_required
def case_file(case_id: int) -> str:
    case = load_case(case_id)
    record = case_record(db(), case)
    missing = file_missing(db(), case, current_policy(db())) or ()
    with force_locale("zh"):
        result = result_of(record)
    return render_template(
        "documents/file.html",
        title=_("卷宗封面及目录"),
        r=record,
        items=contents(record, papers_attached(db(), case.id), missing),
        papers=papers_of(record),
        result=result,
        mediator=mediator_of(record),
    )
