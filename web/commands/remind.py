"""``flask remind``: the daily reminders, for cron or a systemd timer (README.md "Reminders")."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from services.reminders import CHANNEL_LABELS, remind
from services.reminders_channels import channels_from
from web.database import db


@click.command("remind")
@with_appcontext
@click.option("--day", "day_text", default=None, help="提醒日期 YYYY-MM-DD；不填为今天（北京时间）")
def remind_command(day_text: str | None) -> None:
    """Write each person's digest for the day and send what is not sent yet; exits 1 if a send failed."""
    try:
        day = date.fromisoformat(day_text) if day_text else None
    except ValueError:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD，例如 2026-11-30。", param_hint="--day") from None
    channels = channels_from(current_app.config)
    report = remind(
        session=db(), channels=channels, day=day, site_url=str(current_app.config.get("SITE_URL") or "")
    )
    offered = "、".join(str(CHANNEL_LABELS[name]) for name in ("inbox", *channels))
    sent = "，".join(f"{CHANNEL_LABELS[name]} {n} 份" for name, n in sorted(report.sent.items())) or "无"
    click.echo(f"{report.day}：新生成提醒 {report.digests} 份（{offered}）；本次送出：{sent}。")
    for username, channel, why in report.failed:
        click.echo(f"未送达：{username} · {CHANNEL_LABELS[channel]}：{why}（下次运行时重试）", err=True)
    if not report.ok:
        raise SystemExit(1)
