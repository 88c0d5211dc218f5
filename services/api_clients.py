"""API clients (接口客户端): created by an admin, a bearer token shown once and kept only as a hash,
revocable at once; every request checks the token, counts against the client's rate limit and marks
the client's last use, in one short write.

A client acts as a user row of kind ``api_client`` with the client's role and communities, so what it
may see and do is decided by services.permissions like anyone's, and the events its writes make name it.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, bindparam, case, or_, update
from sqlmodel import Session, col, select

from models import AdminEvent, ApiClient, Community, User, UserCommunity
from services import clock
from services.db import writing
from services.errors import Invalid, ServiceError
from services.permissions import actor_for
from workflow import Actor, Role
from workflow.text import _, say

TOKEN_PREFIX = "tj_"
SCOPES = ("read", "write")
ROLES = (Role.STAFF.value, Role.LEADER.value)  # who a platform acts as: intake and steps, or reading
MAX_NAME = 40
WINDOW = timedelta(minutes=1)
ACTING_NAME = _("接口：%(name)s")  # the name its events show


class TokenRefused(ServiceError):
    code = "unauthorized"


class RateLimited(ServiceError):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(say("请求过于频繁，请 %(n)s 秒后再试。", n=retry_after))
        self.retry_after = retry_after


@dataclass(frozen=True)
class Issued:
    """A new client and its token, which is shown this once."""

    client: ApiClient
    token: str


@dataclass(frozen=True)
class Caller:
    """The client a request came from, as the rules see it."""

    client_id: int
    name: str
    scope: str
    user: User
    actor: Actor

    @property
    def may_write(self) -> bool:
        return self.scope == "write"


def digest(token: str) -> str:
    """What is kept of a token. A plain SHA-256 is enough: tokens are 256 random bits, not passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_client(
    *,
    session: Session,
    name: str,
    community_ids: Iterable[int],
    scope: str,
    role: str = Role.STAFF.value,
    actor_id: int | None = None,
) -> Issued:
    """A client of these communities acting with ``role``; its token is in the result, and nowhere else."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(say("客户端名称须为 1–%(n)s 个字。", n=MAX_NAME), field="name")
    if scope not in SCOPES:
        raise Invalid(say("权限须为 read（只读）或 write（读写）。"), field="scope")
    if role not in ROLES:
        raise Invalid(say("客户端的角色须为社区工作人员或街道/社区领导。"), field="role")
    ids = sorted(set(community_ids))
    if not ids:
        raise Invalid(say("至少选择一个社区。"), field="communities")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with writing(session):
        known = session.exec(select(Community.id).where(col(Community.id).in_(ids))).all()
        if len(known) != len(ids):
            raise Invalid(say("社区不存在。"), field="communities")
        if session.exec(select(ApiClient.id).where(ApiClient.name == name)).first() is not None:
            raise Invalid(say("客户端名称已存在。"), field="name")
        user = User(
            username=f"api:{name}",
            display_name=ACTING_NAME.of(name=name).source,  # stored in Chinese, like every name
            password_hash="!",  # never a password: werkzeug refuses to check a hash without a method
            roles=role,
            kind="api_client",
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        session.add_all([UserCommunity(user_id=user.id, community_id=i) for i in ids])
        client = ApiClient(
            name=name,
            user_id=user.id,
            scope=scope,
            token_hash=digest(token),
            token_hint=token[:10],
            created_by_id=actor_id,
        )
        session.add(client)
        session.add(
            AdminEvent(
                actor_id=actor_id,
                action="create_api_client",
                target=name,
                data={"scope": scope, "role": role, "communities": ids},
            )
        )
    return Issued(client, token)


def revoke_client(*, session: Session, client_id: int, actor_id: int | None = None) -> ApiClient:
    """Refuse the client's token from now on (its acting user is deactivated too)."""
    with writing(session):
        client = session.get(ApiClient, client_id)
        if client is None:
            raise Invalid(say("客户端不存在。"))
        if client.revoked_at is None:
            client.revoked_at = clock.now()
            user = session.get(User, client.user_id)
            if user is not None:
                user.active = False
                session.add(user)
            session.add(client)
            session.add(AdminEvent(actor_id=actor_id, action="revoke_api_client", target=client.name))
    return client


def client_by_name(session: Session, name: str) -> ApiClient | None:
    return session.exec(select(ApiClient).where(ApiClient.name == name.strip())).first()


def clients(session: Session) -> list[tuple[ApiClient, User, list[int]]]:
    """Every client with its acting user and communities, newest first (for the admin page)."""
    rows = session.exec(
        select(ApiClient, User)
        .join(User, col(User.id) == col(ApiClient.user_id))
        .order_by(col(ApiClient.id).desc())
    ).all()
    members: dict[int, list[int]] = {}
    for m in session.exec(
        select(UserCommunity).where(col(UserCommunity.user_id).in_([u.id for _c, u in rows]))
    ):
        members.setdefault(m.user_id, []).append(m.community_id)
    return [(c, u, sorted(members.get(u.id or 0, []))) for c, u in rows]


_NOW = bindparam("now", type_=DateTime(timezone=True))
_FRESH = or_(
    col(ApiClient.window_start).is_(None),
    col(ApiClient.window_start) <= bindparam("since", type_=DateTime(timezone=True)),
)
# Built once: every API request passes here (building it took ~0.4 ms a request).
_COUNT = (
    update(ApiClient)
    .where(col(ApiClient.token_hash) == bindparam("hash"), col(ApiClient.revoked_at).is_(None))
    .values(
        window_count=case((_FRESH, 1), else_=col(ApiClient.window_count) + 1),
        window_start=case((_FRESH, _NOW), else_=col(ApiClient.window_start)),
        last_used_at=_NOW,
    )
    .returning(
        col(ApiClient.id),
        col(ApiClient.name),
        col(ApiClient.scope),
        col(ApiClient.user_id),
        col(ApiClient.window_start),
        col(ApiClient.window_count),
    )
    .execution_options(synchronize_session=False)
)


def authenticate(*, session: Session, token: str, per_minute: int, now: datetime | None = None) -> Caller:
    """The client of this bearer token, its request counted; TokenRefused or RateLimited otherwise.

    The count, the window and the last use move in one UPDATE … RETURNING on the client's row (every
    request of every worker passes here: one statement, not a read and a write); a refused request is
    counted too, which changes nothing but how far over the limit the window went.
    """
    now = now or clock.now()
    with writing(session):
        row = session.execute(
            _COUNT, {"hash": digest(token), "now": now, "since": now - WINDOW}
        ).one_or_none()
        if row is None:
            raise TokenRefused(say("令牌无效或已吊销。"))
        user = session.get(User, row.user_id)
        assert user is not None
        caller = Caller(row.id, row.name, row.scope, user, actor_for(session, user))
    if row.window_count > per_minute:
        left = (clock.local(row.window_start) + WINDOW - now).total_seconds()
        raise RateLimited(max(1, math.ceil(left)))
    return caller
