"""Uploads kept between the steps (mapping, dry run, import) and the mapping a community remembers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from models import Community, LedgerImport, LedgerMapping, LedgerUpload
from services import clock
from services.db import writing
from services.errors import Forbidden, Invalid, NotFound
from services.ledger.columns import BY_NAME
from services.ledger.values import MAPPED_FIELDS, Vocabulary
from services.permissions import may_import_ledger
from workflow import Actor
from workflow.text import say

MAX_BYTES = 64 * 1024 * 1024


def store_upload(
    session: Session,
    *,
    who: Actor | None,
    community_id: int,
    filename: str,
    content: bytes,
    user_id: int | None,
) -> LedgerUpload:
    """Keep an uploaded ledger (the same content for the same community is kept once)."""
    if who is not None and not may_import_ledger(who, community_id):
        raise Forbidden(say("您无权为该社区导入台账。"))
    if not content:
        raise Invalid(say("文件是空的。"), field="file")
    if len(content) > MAX_BYTES:
        raise Invalid(
            say("文件超过 %(mb)s MB。请分成几个文件导入。", mb=MAX_BYTES // 1024 // 1024), field="file"
        )
    name = PurePath(filename.replace("\\", "/")).name[:200] or "台账"
    digest = hashlib.sha256(content).hexdigest()
    with writing(session):
        if session.get(Community, community_id) is None:
            raise Invalid(say("社区不存在。"), field="community_id")
        found = session.exec(
            select(LedgerUpload).where(
                LedgerUpload.community_id == community_id, LedgerUpload.sha256 == digest
            )
        ).first()
        if found is not None:
            return found
        upload = LedgerUpload(
            community_id=community_id,
            filename=name,
            sha256=digest,
            size=len(content),
            content=content,
            uploaded_by_id=user_id,
            uploaded_at=clock.now(),
        )
        session.add(upload)
    return upload


def visible_upload(session: Session, who: Actor, upload_id: int) -> LedgerUpload:
    """The upload if this person may import for its community; NotFound otherwise (never say it exists)."""
    upload = session.get(LedgerUpload, upload_id)
    if upload is None or not may_import_ledger(who, upload.community_id):
        raise NotFound(say("找不到该上传的台账。"))
    return upload


def recent_uploads(session: Session, who: Actor, limit: int = 20) -> list[Any]:
    """(id, file name, community, size, uploaded at) of the latest uploads this person may see."""
    query = (
        core_select(
            col(LedgerUpload.id),
            col(LedgerUpload.filename),
            col(Community.name),
            col(LedgerUpload.size),
            col(LedgerUpload.uploaded_at),
        )
        .join(Community, col(Community.id) == col(LedgerUpload.community_id))
        .order_by(col(LedgerUpload.id).desc())
        .limit(limit)
    )
    if who.community_ids is not None:
        query = query.where(col(LedgerUpload.community_id).in_(sorted(who.community_ids)))
    return list(session.execute(query))


def imports_of(session: Session, upload_id: int) -> list[LedgerImport]:
    query = select(LedgerImport).where(LedgerImport.upload_id == upload_id).order_by(col(LedgerImport.id))
    return list(session.exec(query))


def save_mapping(
    session: Session,
    *,
    community_id: int,
    columns: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]],
    user_id: int | None,
) -> LedgerMapping:
    """Remember a community's column and value choices (merged over what it chose before)."""
    for key, name in columns.items():
        if name and name not in BY_NAME:
            raise Invalid(say("列「%(column)s」的对应项无效。", column=key))
    vocabulary = Vocabulary.of(session, community_id)
    for name, chosen in values.items():
        if name not in MAPPED_FIELDS:
            raise Invalid(say("对应项无效。"))
        for raw, target in chosen.items():
            if target and not vocabulary.valid(name, target):
                raise Invalid(say("「%(text)s」的对应项无效。", text=raw))
    with writing(session):
        row = session.get(LedgerMapping, community_id) or LedgerMapping(community_id=community_id)
        row.columns = {**row.columns, **{k: v for k, v in columns.items()}}
        merged = {k: dict(v) for k, v in row.values.items()}
        for name, chosen in values.items():
            merged.setdefault(name, {}).update({raw: target for raw, target in chosen.items() if target})
            for raw, target in chosen.items():
                if not target:
                    merged[name].pop(raw, None)
        row.values = merged
        row.updated_by_id = user_id
        row.updated_at = clock.now()
        session.add(row)
    return row
