"""The case list's 卷宗不全 marks set again, in one statement, for every ended case when the policy's
completeness rule changes (attaching and withdrawing keep one case's mark: services.attachments)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, update
from sqlalchemy import case as when
from sqlmodel import Session, col, select

from models import Agreement, Attachment, Case
from workflow import Policy, State
from workflow.papers import CLOSE_ORAL, CLOSE_WRITTEN, ENDINGS, TERMINATE


def _lacks(kinds: tuple[str, ...]) -> ColumnElement[bool]:
    """The case has no attachment (not withdrawn) of one of ``kinds``."""
    if not kinds:
        return false()
    return or_(
        *(
            ~exists().where(
                col(Attachment.case_id) == col(Case.id),
                col(Attachment.kind) == kind,
                col(Attachment.withdrawn_at).is_(None),
            )
            for kind in kinds
        )
    )


def rule_of(policy: Policy) -> dict[str, tuple[str, ...]]:
    """The papers each way of ending needs under ``policy`` (to tell whether a change touches them)."""
    return {ending: policy.papers_required(ending) for ending in ENDINGS}


def mark_ended_cases(session: Session, policy: Policy) -> None:
    """Set ``file_incomplete`` of every closed or terminated case from its attachments under ``policy``
    (inside the caller's write transaction). The ending as workflow.papers.ending_of names it:
    terminated; closed after an oral agreement (the case's latest); closed otherwise (written)."""
    latest_kind = (
        select(Agreement.kind)
        .where(col(Agreement.case_id) == col(Case.id))
        .order_by(col(Agreement.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    incomplete = when(
        (col(Case.state) == State.TERMINATED.value, _lacks(policy.papers_required(TERMINATE))),
        (latest_kind == "oral", _lacks(policy.papers_required(CLOSE_ORAL))),
        else_=_lacks(policy.papers_required(CLOSE_WRITTEN)),
    )
    session.execute(
        update(Case)
        .where(
            col(Case.state).in_([State.CLOSED.value, State.TERMINATED.value]),
            col(Case.file_incomplete) != incomplete,
        )
        .values(file_incomplete=incomplete)
        .execution_options(synchronize_session=False)
    )
