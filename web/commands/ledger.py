"""``flask import-ledger FILE --community 幸福 [--dry-run]``: bring a community's old ledger in."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import select

from models import User
from services.errors import ServiceError
from services.ledger import NEW, REFUSED, STATUS_LABELS, check, import_upload, refused_xlsx, store_upload
from services.permissions import actor_for
from services.users import community_ids_by_short_name
from web.database import db
from workflow import State

SHOWN = 50


@click.command("import-ledger")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--community", "short_name", required=True, help="社区简称，例如 幸福")
@click.option("--dry-run", is_flag=True, help="只检查，不写入：列出将导入的案件和不能导入的行")
@click.option("--user", "username", default=None, help="以此用户的名义导入（社区工作人员或管理员）")
@click.option(
    "--refused-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="把不能导入的行（附原因）写到这个 XLSX 文件，改好后可再次导入",
)
def import_ledger(
    file: Path, short_name: str, dry_run: bool, username: str | None, refused_out: Path | None
) -> None:
    """Import a community's Excel/CSV ledger (人民调解台账) as cases; --dry-run checks only."""
    session = db()
    try:
        (community_id,) = community_ids_by_short_name(session, [short_name])
        user, who = None, None
        if username:
            user = session.exec(select(User).where(User.username == username)).first()
            if user is None:
                raise click.ClickException(f"找不到用户 {username}。")
            who = actor_for(session, user)
        upload = store_upload(
            session,
            who=who,
            community_id=community_id,
            filename=file.name,
            content=file.read_bytes(),
            user_id=user.id if user else None,
        )
        report = check(session, upload=upload)
        if report.blocking:
            raise click.ClickException("；".join(map(str, report.blocking)))
        click.echo(f"工作表「{report.sheet}」，表头在第 {'、'.join(map(str, report.header_rows))} 行。")
        for row in [r for r in report.rows if r.status == REFUSED][:SHOWN]:
            click.echo(f"第 {row.number} 行 {STATUS_LABELS[row.status]}：{'；'.join(map(str, row.problems))}")
        counts = report.counts
        if dry_run:
            states = "，".join(f"{State(k).label} {v}" for k, v in sorted(report.states.items()))
            click.echo(
                f"检查完毕（未写入）：将导入 {counts[NEW]} 件（{states or '无'}），"
                f"已导入过 {counts['imported']} 行，不能导入 {counts[REFUSED]} 行，"
                f"跳过 {counts['skipped']} 行。"
            )
        else:
            result = import_upload(session, upload_id=upload.id or 0, actor=user, who=who)
            again = "、".join(result.months_taken_again)
            click.echo(
                f"已导入 {result.created} 件案件；已导入过 {result.skipped} 行；"
                f"不能导入 {result.refused} 行。" + (f" 重新定稿的月份：{again}。" if again else "")
            )
            report = result.report or report
        if refused_out and report.counts[REFUSED]:
            refused_out.write_bytes(refused_xlsx(report))
            click.echo(f"不能导入的行已写到 {refused_out}")
    except ServiceError as why:
        raise click.ClickException(why.message) from None
