"""The demo-data command."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text

from services.db import session_factory
from services.demo import DEMO_PASSWORD, generate
from services.statistics import kept_months
from services.users import hash_password
from web.database import engine


@click.command("demo-data")
@with_appcontext
@click.option("--cases", default=2000, show_default=True, type=click.IntRange(0, 5_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database already has cases.")
def demo_data(cases: int, seed: int, if_empty: bool) -> None:
    """Fill an empty database with realistic demo communities, people and cases."""
    eng = engine()
    with eng.connect() as conn:
        existing = conn.execute(text('SELECT COUNT(*) FROM "case"')).scalar_one()
    if existing:
        if if_empty:
            click.echo(f"演示数据库已有 {existing} 件案件，跳过生成。")
            return
        raise click.ClickException("数据库中已有案件，演示数据只写入空数据库。")
    started = time.perf_counter()
    summary = generate(
        eng,
        cases=cases,
        seed=seed,
        password_hash=hash_password(DEMO_PASSWORD, current_app.config["PASSWORD_HASH_METHOD"]),
    )
    with session_factory(eng)() as session:
        closed = kept_months.close_all(session)
    took = time.perf_counter() - started
    click.echo(
        f"已生成 {summary.cases} 件案件、{summary.events} 条事件、{summary.communities} 个社区、"
        f"{summary.users} 个用户，{len(closed)} 个已结束月份的统计已定稿，用时 {took:.1f} 秒。"
    )
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：" + "、".join(summary.usernames[:6]) + " 等")
