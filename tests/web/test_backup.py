"""``flask backup DIR`` / ``flask restore DIR``: backup → wipe → restore gives the same rows and bytes
(SQLite, and PostgreSQL through pg_dump/psql when the suite runs there); a damaged backup is refused,
naming the file, and nothing is restored."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from models import Attachment
from tests import samples
from tests.conftest import BACKEND
from tests.factories import Factory
from tests.web.case_helpers import login, token_from

TABLES = (
    "case",
    "party",
    "case_event",
    "agreement",
    "follow_up",
    "attachment",
    "attachment_download",
    "user",
)


def _rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    engine = app.extensions["db_engine"]
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY id'))] for t in TABLES}


def _files(app: Flask) -> dict[str, bytes]:
    root = Path(app.config["FILES_DIR"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _world(client: FlaskClient, app_session: Session) -> None:
    """Two cases, one closed; a photo (with its thumbnail), a PDF, a download."""
    factory = Factory(app_session)
    closed, open_case = factory.case("closed"), factory.case("mediating")
    login(client, factory.staff())
    for case, content, name, kind in (
        (closed, samples.pdf(2), "协议书.pdf", "agreement"),
        (open_case, samples.photo(), "现场.jpg", "evidence"),
    ):
        token = token_from(client, f"/cases/{case.id}")
        resp = client.post(
            f"/cases/{case.id}/attachments",
            data={"csrf_token": token, "kind": kind, "files": [(io.BytesIO(content), name)]},
            content_type="multipart/form-data",
        )
        assert resp.status_code == 303
    row = app_session.exec(select(Attachment)).first()
    assert row is not None
    assert client.get(f"/cases/{row.case_id}/attachments/{row.id}", buffered=True).status_code == 200


def _wipe(app: Flask) -> None:
    """Lose everything: every row, the SQLite file's contents, the files."""
    engine = app.extensions["db_engine"]
    with engine.begin() as conn:
        if BACKEND == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            for table in reversed(SQLModel.metadata.sorted_tables):
                conn.execute(text(f'DROP TABLE "{table.name}"'))
            conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    shutil.rmtree(app.config["FILES_DIR"])


def test_backup_wipe_restore_gives_the_same_rows_and_bytes(
    app: Flask, client: FlaskClient, app_session: Session, tmp_path: Path
) -> None:
    _world(client, app_session)
    app_session.close()
    rows, files = _rows(app), _files(app)
    assert len(files) == 3 and len(rows["attachment"]) == 2 and len(rows["attachment_download"]) == 1
    runner = app.test_cli_runner()
    target = tmp_path / "backup-1"
    out = runner.invoke(args=["backup", str(target)])
    assert out.exit_code == 0, out.output
    assert "文件 3 个" in out.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["backend"] == BACKEND and len(manifest["files"]) == 3
    _wipe(app)
    assert _files(app) == {}
    out = runner.invoke(args=["restore", str(target), "--yes"])
    assert out.exit_code == 0, out.output
    assert _rows(app) == rows
    assert _files(app) == files
    again = runner.invoke(args=["restore", str(target), "--yes"])  # over what is there: the same again
    assert again.exit_code == 0 and _rows(app) == rows


def test_a_corrupted_file_in_a_backup_is_caught_and_nothing_restored(
    app: Flask, client: FlaskClient, app_session: Session, tmp_path: Path
) -> None:
    _world(client, app_session)
    app_session.close()
    runner = app.test_cli_runner()
    target = tmp_path / "b"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    victim = sorted((target / "files").rglob("*"))[-1]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, same size
    victim.write_bytes(bytes(data))
    before = _files(app)
    shutil.rmtree(app.config["FILES_DIR"])
    out = runner.invoke(args=["restore", str(target), "--yes"])
    assert out.exit_code != 0
    assert victim.name in out.output and "校验值" in out.output and "未恢复任何内容" in out.output
    assert _files(app) == {}, "nothing restored"
    assert before


def _drop_a_file(root: Path) -> None:
    sorted(p for p in (root / "files").rglob("*") if p.is_file())[0].unlink()


def _rewrite(root: Path, change: Any) -> None:
    manifest = json.loads((root / "manifest.json").read_text())
    change(manifest)
    (root / "manifest.json").write_text(json.dumps(manifest))


def _truncate_database(root: Path) -> None:
    db = next(p for p in root.iterdir() if p.name.startswith("database."))
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "manifest.json").unlink(), "缺少 manifest.json"),
        (lambda d: (d / "manifest.json").write_text("{"), "无法读取"),
        (_drop_a_file, "缺少文件"),
        (lambda d: _rewrite(d, lambda m: m["files"][0].update(path="../../etc/passwd")), "不合法"),
        (_truncate_database, "校验值"),
    ],
    ids=["no-manifest", "bad-manifest", "file-gone", "path-escape", "database-cut"],
)
def test_damaged_backups_are_refused(
    app: Flask, client: FlaskClient, app_session: Session, tmp_path: Path, damage: Any, message: str
) -> None:
    _world(client, app_session)
    app_session.close()
    runner = app.test_cli_runner()
    target = tmp_path / "b"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    damage(target)
    out = runner.invoke(args=["restore", str(target), "--yes"])
    assert out.exit_code != 0 and message in out.output, out.output


def test_backup_never_overwrites_and_restore_asks(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "something").write_text("x")
    out = runner.invoke(args=["backup", str(taken)])
    assert out.exit_code != 0 and "不会覆盖" in out.output
    target = tmp_path / "ok"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    out = runner.invoke(args=["restore", str(target)], input="")
    assert out.exit_code != 0 and "--yes" in out.output
