"""The file store: bytes kept under their SHA-256 (``ab/abcdef…``) in one folder (instance/files/).

The same bytes are kept once. A file is written under a temporary name, flushed to disk, then renamed
into place, so a file under a hash name is always whole; nothing is ever overwritten or deleted by the
site (a withdrawn attachment keeps its file).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from pathlib import Path

from services.errors import Invalid
from workflow.text import say

TMP = "tmp"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path, chunk: int = 1024 * 1024) -> str:
    """The SHA-256 of a file on disk, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def is_hash(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class FileStore:
    """Files by content hash under ``root``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not is_hash(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def ensure_room(self, size: int, min_free: int) -> None:
        """Refuse before writing when the disk would be left with less than ``min_free`` bytes."""
        self.root.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(self.root).free - size < min_free:
            raise Invalid(say("服务器存储空间不足，文件未保存。请联系系统管理员。"))

    def put(self, data: bytes) -> tuple[str, bool]:
        """Keep ``data``; returns its hash and whether it was written now (False: it was there)."""
        sha = sha256_of(data)
        final = self.path(sha)
        if final.is_file() and final.stat().st_size == len(data):
            return sha, False
        self.write_atomically(final, data)
        return sha, True

    def write_atomically(self, final: Path, data: bytes, *, sync: bool = True) -> None:
        """Write under a temporary name in the store, fsync, rename into place; nothing is left behind
        when it fails (a full disk says so clearly). ``sync=False``: the caller syncs once for many files
        (a restore: ``os.sync()`` after the last)."""
        tmp_dir = self.root / TMP
        tmp = tmp_dir / f"{uuid.uuid4().hex}.part"
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                if sync:
                    os.fsync(fh.fileno())
            os.replace(tmp, final)
            if sync:
                fsync_dir(final.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise Invalid(say("服务器存储空间不足，文件未保存。请联系系统管理员。")) from None
            raise Invalid(say("文件未能保存（存储出错），请稍后再试或联系系统管理员。")) from None

    def discard(self, sha256: str) -> None:
        """Remove a file written for an upload that then failed (only ever one no row refers to)."""
        self.path(sha256).unlink(missing_ok=True)

    def files(self) -> list[Path]:
        """Every kept file (not the temporary ones), sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("??/*") if p.is_file() and is_hash(p.name))


def fsync_dir(path: Path) -> None:
    """A folder's entries (a file renamed into it) on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
