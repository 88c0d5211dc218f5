"""Backup and restore: the database and the attachment files, with a manifest of their hashes.

A backup is a folder: ``database.sqlite`` (SQLite's online backup: safe while the site runs) or
``database.sql`` (``pg_dump``), ``files/`` (the file store, same layout) and ``manifest.json`` (the
SHA-256 and size of every one of them). It is written under a temporary name and renamed when whole.
A restore first checks every hash and refuses a damaged backup, naming the file that failed; then it
puts the files back, then the database (so every row it brings has its file).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine, text

from services import clock
from services.attachments_files import FileStore, file_sha256, fsync_dir, is_hash
from services.schema import current_revision

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE, PG_FILE = "database.sqlite", "database.sql"


class BackupError(Exception):
    """A backup could not be written or restored; ``message`` says why (and which file)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Report:
    """What a backup or restore did, for the command to print (and the bench to record)."""

    path: Path
    backend: str
    database_bytes: int = 0
    files: int = 0
    files_bytes: int = 0
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)  # hashes rows refer to that the store lacked


def _backend(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库：{name}")
    return name


# --- backup -----------------------------------------------------------------------------------------
def backup(*, engine: Engine, files_root: str | Path, target: str | Path) -> Report:
    """Write a backup folder at ``target`` (which must not exist, or be an empty folder)."""
    started = time.perf_counter()
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} 已存在且不是空文件夹，不会覆盖。")
    backend = _backend(engine)
    work = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    try:
        report = Report(target, backend)
        if backend == "sqlite":
            db_name = SQLITE_FILE
            _sqlite_backup(engine, work / db_name)
            referenced = _referenced_sqlite(work / db_name)
        else:
            db_name = PG_FILE
            referenced = _referenced(engine)  # read before the dump: every row it lists is in the dump
            _pg_dump(engine, work / db_name)
        entries = [_entry(work, db_name)]
        report.database_bytes = entries[0]["size"]
        store = FileStore(files_root)
        for path in store.files():
            rel = path.relative_to(store.root).as_posix()
            entries.append(_copy_into(path, work, f"files/{rel}"))
            report.files += 1
            report.files_bytes += path.stat().st_size
        os.sync()  # every copied file on disk, in one go (a fsync each costs ~2.5x the time)
        kept = {PurePosixPath(e["path"]).name for e in entries[1:]}
        report.missing = sorted(referenced - kept)
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(),
            "backend": backend,
            "schema_revision": current_revision(engine),
            "database": entries[0],
            "files": entries[1:],
            "missing": report.missing,
        }
        _write_synced(work / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        if target.exists():
            target.rmdir()
        os.replace(work, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("没有数据库文件可备份。")
    return Path(database)


def _sqlite_backup(engine: Engine, dest: Path) -> None:
    """SQLite's online backup: a consistent copy while others read and write."""
    with closing(sqlite3.connect(_sqlite_path(engine))) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal/-shm beside it
    _fsync(dest)


def _referenced_sqlite(db: Path) -> set[str]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT sha256 FROM attachment UNION SELECT thumbnail FROM attachment").fetchall()
    return {r[0] for r in rows if r[0]}


def _referenced(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sha256 FROM attachment UNION SELECT thumbnail FROM attachment"))
        return {r[0] for r in rows if r[0]}


def _pg_env(engine: Engine) -> dict[str, str]:
    """libpq's environment for the engine's database (the password never on a command line)."""
    url = engine.url
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[key] = str(value)
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, timeout=24 * 3600)
    except FileNotFoundError:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端工具（postgresql-client）。") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BackupError(f"{what}失败：{' / '.join(tail)}")


def _pg_dump(engine: Engine, dest: Path) -> None:
    args = ["pg_dump", "--format=plain", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run([*args, "--file", str(dest)], _pg_env(engine), "pg_dump ")
    _fsync(dest)


# --- files and the manifest ------------------------------------------------------------------------
def _entry(root: Path, rel: str) -> dict[str, Any]:
    path = root / rel
    return {"path": rel, "sha256": file_sha256(path), "size": path.stat().st_size}


def _copy_into(src: Path, root: Path, rel: str) -> dict[str, Any]:
    """Copy a file into the backup (synced later, all at once) and describe the copy."""
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return _entry(root, rel)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


# --- verify and restore ----------------------------------------------------------------------------
def read_manifest(source: str | Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} 不是完整的备份：缺少 {MANIFEST}。") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"备份已损坏：{MANIFEST} 无法读取。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"备份已损坏：{MANIFEST} 格式不符。")
    return manifest


def _entries(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield manifest["database"]
    yield from manifest["files"]


def _safe_rel(rel: Any) -> PurePosixPath:
    """A manifest path, only if it is one this module writes (nothing outside the backup folder)."""
    path = PurePosixPath(str(rel))
    if str(path) in (SQLITE_FILE, PG_FILE):
        return path
    parts = path.parts
    if len(parts) == 3 and parts[0] == "files" and is_hash(parts[2]) and parts[1] == parts[2][:2]:
        return path
    raise BackupError(f"备份已损坏：清单中的路径 {rel!r} 不合法。")


def verify(source: str | Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its size and SHA-256; else BackupError naming
    the first file that failed."""
    root = Path(source)
    manifest = read_manifest(root)
    try:
        entries = list(_entries(manifest))
        for entry in entries:
            rel = _safe_rel(entry["path"])
            path = root / rel
            if not path.is_file():
                raise BackupError(f"备份已损坏：缺少文件 {rel}。")
            if path.stat().st_size != int(entry["size"]) or file_sha256(path) != entry["sha256"]:
                raise BackupError(f"备份已损坏：{rel} 的校验值（SHA-256）不符。")
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"备份已损坏：{MANIFEST} 内容不完整。") from None
    return manifest


def restore(*, engine: Engine, files_root: str | Path, source: str | Path) -> Report:
    """Check the backup whole, then put its files and its database in place of the current ones."""
    started = time.perf_counter()
    root = Path(source)
    manifest = verify(root)
    backend = _backend(engine)
    if manifest["backend"] != backend:
        raise BackupError(f"此备份来自 {manifest['backend']}，当前数据库是 {backend}，不能恢复。")
    report = Report(root, backend, database_bytes=int(manifest["database"]["size"]))
    store = FileStore(files_root)
    for entry in manifest["files"]:
        rel = _safe_rel(entry["path"])
        final = store.path(rel.name)
        if not (final.is_file() and file_sha256(final) == entry["sha256"]):
            store.write_atomically(final, (root / rel).read_bytes(), sync=False)
        report.files += 1
        report.files_bytes += int(entry["size"])
    os.sync()  # the files on disk before the database that refers to them
    if backend == "sqlite":
        _sqlite_restore(engine, root / SQLITE_FILE)
    else:
        args = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-f",
            str(root / PG_FILE),
        ]
        _run(args, _pg_env(engine), "psql 恢复")
    report.seconds = time.perf_counter() - started
    return report


def _sqlite_restore(engine: Engine, src: Path) -> None:
    """Copy the backup into the database file through SQLite (it takes the locks; readers see old or
    new, never a mix)."""
    engine.dispose()
    dest = _sqlite_path(engine)
    with closing(sqlite3.connect(f"file:{src}?mode=ro", uri=True)) as s, closing(sqlite3.connect(dest)) as d:
        s.backup(d)
