"""Attachments of a case: signed papers and evidence kept in its file (卷宗).

An upload is one file: its content is checked and cleaned (services.attachments_content), kept in the
file store by hash (services.attachments_files), then its row is written in one transaction; when that
fails, a file written for it is removed again. Opening a file is recorded (who, when); an attachment is
never deleted, only withdrawn with a reason. A case that has ended keeps its ``file_incomplete`` mark up
to date as papers come and go.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models import Agreement, Attachment, AttachmentDownload, Case
from services import clock
from services.attachments_content import Limits, inspect
from services.attachments_files import FileStore
from services.cases import latest_agreement
from services.db import writing
from services.errors import Forbidden, Invalid, NotFound
from services.permissions import (
    can_see,
    may_attach,
    may_open_attachment,
    may_withdraw_attachment,
    visible_case,
)
from services.policy import current_policy
from services.queries import papers_attached, user_names
from workflow import Actor, Policy, State
from workflow.papers import KINDS, ending_of, missing_papers
from workflow.text import say

MAX_NAME = 255
MAX_NOTE = 200
MAX_REASON = 500


def clean_name(name: str) -> str:
    """The file's name as given, or Invalid: no folders (``/``, ``\\``, ``..``), no control characters,
    at most 255 characters."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise Invalid(say("文件没有名称。"))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise Invalid(say("文件名不能包含路径（/、\\ 或 ..）：请只上传文件本身。"))
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise Invalid(say("文件名含有不可见的控制字符，请改名后再上传。"))
    if len(name) > MAX_NAME:
        raise Invalid(
            say("文件名过长（%(n)s 个字符，最多 %(most)s 个），请改名后再上传。", n=len(name), most=MAX_NAME)
        )
    return name


def download_name(row: Attachment) -> str:
    """The name a download gets: the original name with the extension of what is kept (HEIC → .jpg)."""
    stem = row.original_name.rsplit(".", 1)[0] if "." in row.original_name else row.original_name
    ext = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(row.content_type, "")
    return f"{stem or 'file'}{ext}"


def _case_for(session: Session, actor: Actor, case_id: int) -> Case:
    case = visible_case(session, actor, case_id)
    if case is None:
        raise NotFound(say("找不到该案件。"))
    return case


def upload(
    *,
    session: Session,
    store: FileStore,
    actor: Actor,
    case_id: int,
    kind: str,
    name: str,
    data: bytes,
    limits: Limits,
    id_numbers: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Attachment:
    """Attach one file to a case; all or nothing. Raises Invalid (with the reason), Forbidden or NotFound."""
    now = now or clock.now()
    case = _case_for(session, actor, case_id)
    if not may_attach(actor, case):
        raise Forbidden(say("只有本社区工作人员和本案承办人可以添加材料。"))
    policy = current_policy(session)
    closed = closed_to_papers(case, policy)
    if closed:
        raise Invalid(closed)
    if kind not in KINDS:
        raise Invalid(say("请选择材料类别。"), field="kind")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(say("说明不能超过 %(n)s 个字。", n=MAX_NOTE), field="note")
    name = clean_name(name)
    content = inspect(data, limits)
    store.ensure_room(len(content.data) + len(content.thumbnail or b""), limits.min_free_bytes)
    written: list[str] = []
    try:
        sha, new = store.put(content.data)
        if new:
            written.append(sha)
        thumb = None
        if content.thumbnail is not None:
            thumb, new = store.put(content.thumbnail)
            if new:
                written.append(thumb)
        with writing(session):
            locked = _locked(session, case_id)
            row = Attachment(
                case_id=case_id,
                kind=kind,
                original_name=name,
                content_type=content.content_type,
                size=len(content.data),
                sha256=sha,
                thumbnail=thumb,
                pages=content.pages,
                id_numbers=id_numbers or KINDS[kind].id_numbers,
                note=note,
                uploaded_by_id=actor.id,
                uploaded_at=now,
            )
            session.add(row)
            session.flush()
            refresh_file_mark(session, locked, policy)
    except BaseException:
        _discard_unreferenced(session, store, written)
        raise
    return row


def closed_to_papers(case: Case, policy: Policy) -> str | None:
    """Why nothing may be attached to this case now (it has ended and the policy says so), or None."""
    if State(case.state).terminal and not policy.file_attach_after_end:
        return say("案件已结束，按现行规则不能再添加材料。")
    return None


def _locked(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id, with_for_update=True, populate_existing=True)
    if case is None:
        raise NotFound(say("找不到该案件。"))
    return case


def _discard_unreferenced(session: Session, store: FileStore, hashes: list[str]) -> None:
    """Remove files an upload wrote when its row was not written (unless another row now uses them)."""
    if not hashes:
        return
    session.rollback()
    used = set(session.exec(select(Attachment.sha256).where(col(Attachment.sha256).in_(hashes))).all()) | set(
        session.exec(select(Attachment.thumbnail).where(col(Attachment.thumbnail).in_(hashes))).all()
    )
    session.rollback()
    for sha in hashes:
        if sha not in used:
            store.discard(sha)


def file_missing(
    session: Session,
    case: Case,
    policy: Policy,
    attached: dict[str, int] | None = None,
    agreements: list[Agreement] | None = None,
) -> tuple[str, ...] | None:
    """The required papers an ended case's file lacks (None: it has not ended by closing or terminating).
    ``attached``, ``agreements``: the papers of each kind and the case's agreements in the order written,
    when the caller has read them already (the case page)."""
    agreement: Agreement | None = None
    if case.state == State.CLOSED.value:
        agreement = (
            latest_agreement(session, case.id) if agreements is None else next(reversed(agreements), None)
        )
    ending = ending_of(case.state, agreement.kind if agreement else None)
    if ending is None:
        return None
    papers = papers_attached(session, case.id) if attached is None else attached
    return missing_papers(policy.papers_required(ending), papers)


def refresh_file_mark(session: Session, case: Case, policy: Policy) -> None:
    """Set the case's ``file_incomplete`` from the papers attached now (inside a write transaction)."""
    missing = file_missing(session, case, policy)
    if missing is None:
        return
    if case.file_incomplete != bool(missing):
        case.file_incomplete = bool(missing)
        session.add(case)


def withdraw(
    *,
    session: Session,
    actor: Actor,
    case_id: int,
    attachment_id: int,
    reason: str,
    now: datetime | None = None,
) -> Attachment:
    """Mark an attachment withdrawn, with who, when and why; its file and row stay."""
    now = now or clock.now()
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(say("请填写撤回理由。"), field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(say("撤回理由不能超过 %(n)s 个字。", n=MAX_REASON), field="reason")
    case = _case_for(session, actor, case_id)
    with writing(session):
        row = session.get(Attachment, attachment_id, with_for_update=True, populate_existing=True)
        if row is None or row.case_id != case_id:
            raise NotFound(say("找不到该材料。"))
        if not may_withdraw_attachment(actor, case, uploaded_by=row.uploaded_by_id):
            raise Forbidden(say("只有本社区工作人员或上传人可以撤回材料。"))
        if row.withdrawn:
            raise Invalid(say("该材料已撤回。"))
        row.withdrawn_at = now
        row.withdrawn_by_id = actor.id
        row.withdrawn_reason = reason
        session.add(row)
        session.flush()
        refresh_file_mark(session, _locked(session, case_id), current_policy(session))
    return row


def open_file(
    *,
    session: Session,
    store: FileStore,
    actor: Actor,
    case_id: int,
    attachment_id: int,
    thumbnail: bool = False,
    now: datetime | None = None,
) -> tuple[Attachment, Path]:
    """The attachment and the path of its bytes (or its thumbnail's) for this actor; a download (not a
    thumbnail) is recorded. Raises NotFound or Forbidden."""
    case = _case_for(session, actor, case_id)
    row = session.get(Attachment, attachment_id)
    if row is None or row.case_id != case_id:
        raise NotFound(say("找不到该材料。"))
    if not may_open_attachment(actor, case, id_numbers=row.id_numbers):
        raise Forbidden(say("该材料含当事人身份证号码，您无权查看。"))
    sha = row.thumbnail if thumbnail else row.sha256
    if sha is None:
        raise NotFound(say("该材料没有缩略图。"))
    path = store.path(sha)
    if not path.is_file():
        raise NotFound(say("文件缺失，请联系系统管理员从备份恢复。"))
    if not thumbnail:
        with writing(session):
            session.add(
                AttachmentDownload(attachment_id=attachment_id, user_id=actor.id, at=now or clock.now())
            )
    return row, path


@dataclass
class CaseFiles:
    """A case's attachments as its page shows them: newest first, who opened each, names of people."""

    items: list[Attachment]
    downloads: dict[int, list[AttachmentDownload]] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    missing: tuple[str, ...] | None = None  # an ended case: the required papers its file lacks
    closed: str | None = None  # why nothing may be attached now (services.attachments.closed_to_papers)

    @property
    def present(self) -> list[Attachment]:
        return [a for a in self.items if not a.withdrawn]

    @property
    def papers(self) -> dict[str, int]:
        """How many of each kind are present: what ``papers_attached`` counts in the database."""
        return dict(Counter(a.kind for a in self.present))


# built once: the case page reads them on every view
_ATTACHMENTS = (
    select(Attachment)
    .where(col(Attachment.case_id) == bindparam("case_id"))
    .order_by(col(Attachment.id).desc())
)
_DOWNLOADS = (
    select(AttachmentDownload)
    .where(col(AttachmentDownload.attachment_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(AttachmentDownload.id).desc())
)


def case_files(
    session: Session, actor: Actor, case: Case, agreements: list[Agreement] | None = None
) -> CaseFiles:
    """The attachments of a case the actor may see (every row; which may be opened is the page's say).
    ``agreements``: the case's agreements, when the caller has them (file_missing)."""
    if not can_see(actor, case):
        raise NotFound(say("找不到该案件。"))
    items = list(session.exec(_ATTACHMENTS, params={"case_id": case.id}))
    downloads: dict[int, list[AttachmentDownload]] = {}
    if items:
        for d in session.exec(_DOWNLOADS, params={"ids": [a.id for a in items]}):
            downloads.setdefault(d.attachment_id, []).append(d)
    people = [a.uploaded_by_id for a in items] + [a.withdrawn_by_id for a in items]
    people += [d.user_id for ds in downloads.values() for d in ds]
    policy = current_policy(session)
    files = CaseFiles(items, downloads, user_names(session, people), closed=closed_to_papers(case, policy))
    files.missing = file_missing(session, case, policy, files.papers, agreements)
    return files
