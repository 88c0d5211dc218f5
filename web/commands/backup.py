"""``flask backup DIR`` and ``flask restore DIR``: the database and the attachment files together."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from services.backup import BackupError, backup, restore, verify
from web.database import engine


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back up the database (SQLite online backup, or pg_dump) and the files to the new folder TARGET."""
    try:
        report = backup(engine=engine(), files_root=current_app.config["FILES_DIR"], target=target)
    except BackupError as err:
        raise click.ClickException(err.message) from None
    click.echo(
        f"已备份到 {report.path}：数据库 {_mb(report.database_bytes)}，"
        f"文件 {report.files} 个（{_mb(report.files_bytes)}），用时 {report.seconds:.1f} 秒。"
    )
    if report.missing:
        click.echo(
            f"警告：有 {len(report.missing)} 个附件的文件在存储中已缺失，未能备份："
            + "、".join(report.missing[:5]),
            err=True,
        )
        sys.exit(1)


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接覆盖当前数据库")
def restore_command(source: Path, yes: bool) -> None:
    """Check every hash of the backup in SOURCE, then restore its files and database over the current ones."""
    try:
        manifest = verify(source)
    except BackupError as err:
        raise click.ClickException(f"{err.message} 未恢复任何内容。") from None
    click.echo(f"备份完整（{manifest['created_at']}，文件 {len(manifest['files'])} 个，校验值全部相符）。")
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("恢复会覆盖当前数据库：请加 --yes 确认。")
        click.confirm("恢复会覆盖当前数据库和附件，确定继续吗？", abort=True)
    try:
        report = restore(engine=engine(), files_root=current_app.config["FILES_DIR"], source=source)
    except BackupError as err:
        raise click.ClickException(err.message) from None
    click.echo(
        f"已恢复：数据库 {_mb(report.database_bytes)}，文件 {report.files} 个，用时 {report.seconds:.1f} 秒。"
    )
