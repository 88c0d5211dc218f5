"""API clients from the command line: ``flask api-client create|list|revoke``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from services.api_clients import ROLES, SCOPES, client_by_name, clients, create_client, revoke_client
from services.errors import Invalid
from services.queries import community_names
from services.users import community_ids_by_short_name
from web.database import db

api_client = AppGroup("api-client", help="Clients of the JSON API (/api/v1) and their tokens.")


@api_client.command("create")
@click.argument("name")
@click.option("--community", "communities", multiple=True, required=True, help="社区简称（可多次）")
@click.option("--scope", type=click.Choice(SCOPES), required=True, help="read 只读 / write 读写")
@click.option("--role", type=click.Choice(ROLES), default=ROLES[0], show_default=True, help="以何种角色办理")
def create(name: str, communities: tuple[str, ...], scope: str, role: str) -> None:
    """Create a client of these communities; its token is printed this once (only its hash is kept)."""
    try:
        ids = community_ids_by_short_name(db(), communities)
        issued = create_client(session=db(), name=name, community_ids=ids, scope=scope, role=role)
    except Invalid as err:
        raise click.ClickException(err.message) from None
    click.echo(
        f"已创建接口客户端 {issued.client.name}（{scope}，{'、'.join(communities)}）。令牌只显示这一次："
    )
    click.echo(issued.token)


@api_client.command("list")
def list_() -> None:
    """Every client: scope, role, communities, last use, revoked or not."""
    rows = clients(db())
    names = community_names(db(), (i for _c, _u, ids in rows for i in ids))
    for client, user, ids in rows:
        where = "、".join(names.get(i, str(i)) for i in ids)
        used = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "从未使用"
        state = "已吊销" if client.revoked_at else "有效"
        click.echo(
            f"{client.name}\t{client.scope}\t{user.roles}\t{where}\t{used}\t{state}\t{client.token_hint}…"
        )


@api_client.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Refuse the client's token from now on."""
    client = client_by_name(db(), name)
    if client is None or client.id is None:
        raise click.ClickException(f"没有名为 {name} 的接口客户端。")
    revoke_client(session=db(), client_id=client.id)
    click.echo(f"已吊销 {name} 的令牌。")
