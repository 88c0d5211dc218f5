"""Accounts and communities from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from models import User
from services.communities import create_community as create_community_service
from services.errors import Invalid
from services.users import community_ids_by_short_name, new_password
from services.users import create_user as create_user_service
from web.database import db


def _read_password() -> str:
    """From a prompt on a terminal, else the first line of standard input; never an argument."""
    if sys.stdin.isatty():
        return str(click.prompt("密码 / password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--name", "display_name", default="", help="显示姓名")
@click.option(
    "--role", "roles", multiple=True, required=True, help="staff/volunteer/mediator/judge/leader/admin"
)
@click.option("--community", "communities", multiple=True, help="社区简称（可多次）")
def create_user(
    username: str, display_name: str, roles: tuple[str, ...], communities: tuple[str, ...]
) -> None:
    """Create an account; the password is read from a prompt or standard input."""
    password = _read_password()
    try:
        ids = community_ids_by_short_name(db(), communities)
        user = create_user_service(
            session=db(),
            username=username,
            display_name=display_name or username,
            password=password,
            roles=roles,
            community_ids=ids,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except Invalid as err:
        raise click.ClickException(err.message) from None
    click.echo(f"已创建用户 {user.username}（{user.roles}）")


@click.command("create-community")
@with_appcontext
@click.argument("name")
@click.argument("short_name")
@click.option("--street", default="", help="所属街道")
def create_community(name: str, short_name: str, street: str) -> None:
    """Create a community; SHORT_NAME appears in its case numbers."""
    try:
        community = create_community_service(session=db(), name=name, short_name=short_name, street=street)
    except Invalid as err:
        raise click.ClickException(err.message) from None
    click.echo(f"已创建社区 {community.name}（{community.short_name}）")


@click.command("ensure-admin")
@with_appcontext
def ensure_admin() -> None:
    """Create the first admin account (password printed once) if there is no admin yet."""
    users = db().exec(select(User)).all()
    if any("admin" in u.role_list for u in users):
        return
    password = new_password()
    create_user_service(
        session=db(),
        username="admin",
        display_name="系统管理员",
        password=password,
        roles=["admin"],
        hash_method=current_app.config["PASSWORD_HASH_METHOD"],
    )
    click.echo("=" * 60)
    click.echo(f"已创建管理员账号 admin，初始密码：{password}")
    click.echo("The admin account 'admin' was created; its password is shown only this once.")
    click.echo("=" * 60)
