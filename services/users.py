"""Accounts: create, change roles, communities and passwords; end a user's sessions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import bindparam
from sqlmodel import Session, col, delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from models import AdminEvent, Community, LoginAttempt, User, UserCommunity
from services.db import writing
from services.errors import Invalid
from workflow import Role
from workflow.text import say

DEFAULT_HASH_METHOD = "scrypt"
MIN_PASSWORD = 8


_USER = select(User).where(User.id == bindparam("user_id"))  # built once: every request loads its user


def user_by_id(session: Session, user_id: int) -> User | None:
    """The user with this id (the session's login), None if there is none."""
    return session.exec(_USER, params={"user_id": user_id}).first()


def hash_password(password: str, method: str = DEFAULT_HASH_METHOD) -> str:
    return generate_password_hash(password, method=method)


def check_password(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def parse_roles(roles: Iterable[str]) -> list[str]:
    out = []
    for role in roles:
        try:
            out.append(Role(role.strip()).value)
        except ValueError:
            raise Invalid(say("未知角色：%(role)s", role=role), field="roles") from None
    if not out:
        raise Invalid(say("至少选择一个角色。"), field="roles")
    return sorted(set(out))


def community_ids_by_short_name(session: Session, short_names: Iterable[str]) -> list[int]:
    ids = []
    for name in short_names:
        community = session.exec(select(Community).where(Community.short_name == name.strip())).first()
        if community is None or community.id is None:
            raise Invalid(say("未知社区：%(name)s", name=name), field="communities")
        ids.append(community.id)
    return ids


def create_user(
    *,
    session: Session,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[str],
    community_ids: Iterable[int] = (),
    actor_id: int | None = None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> User:
    """A new active account; refuses a taken username or a short password."""
    username = username.strip()
    if not username or len(username) > 50:
        raise Invalid(say("用户名须为 1–50 个字符。"), field="username")
    if len(password) < MIN_PASSWORD:
        raise Invalid(say("密码至少 %(n)s 位。", n=MIN_PASSWORD), field="password")
    role_values = parse_roles(roles)
    with writing(session):
        if session.exec(select(User).where(User.username == username)).first():
            raise Invalid(say("用户名已存在。"), field="username")
        user = User(
            username=username,
            display_name=display_name.strip() or username,
            password_hash=hash_password(password, hash_method),
            roles=",".join(role_values),
        )
        session.add(user)
        session.flush()
        _set_communities(session, user, community_ids)
        session.add(
            AdminEvent(
                actor_id=actor_id,
                action="create_user",
                target=username,
                data={"roles": role_values, "communities": sorted(set(community_ids))},
            )
        )
    return user


def update_user(
    *,
    session: Session,
    user_id: int,
    actor_id: int | None,
    display_name: str | None = None,
    roles: Iterable[str] | None = None,
    community_ids: Iterable[int] | None = None,
    active: bool | None = None,
    locale: str | None = None,
) -> User:
    """Change an account's name, roles, communities or active flag; each change is logged."""
    with writing(session):
        user = session.get(User, user_id)
        if user is None:
            raise Invalid(say("用户不存在。"))
        changes: dict[str, object] = {}
        if display_name is not None and display_name.strip() != user.display_name:
            user.display_name = display_name.strip()
            changes["display_name"] = user.display_name
        if roles is not None:
            value = ",".join(parse_roles(roles))
            if value != user.roles:
                user.roles = value
                changes["roles"] = value
        if active is not None and active != user.active:
            user.active = active
            changes["active"] = active
            if not active:
                _end_sessions(session, user_id)
        if locale is not None and locale in ("zh", "en") and locale != user.locale:
            user.locale = locale
            changes["locale"] = locale
        if community_ids is not None:
            ids = sorted(set(community_ids))
            _set_communities(session, user, ids)
            changes["communities"] = ids
        session.add(user)
        if changes:
            session.add(
                AdminEvent(actor_id=actor_id, action="update_user", target=user.username, data=changes)
            )
    return user


def set_password(
    *,
    session: Session,
    user_id: int,
    password: str,
    actor_id: int | None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> None:
    """A new password (own change or admin reset): every session ends, failed logins are forgotten."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(say("密码至少 %(n)s 位。", n=MIN_PASSWORD), field="password")
    with writing(session):
        user = session.get(User, user_id)
        if user is None:
            raise Invalid(say("用户不存在。"))
        user.password_hash = hash_password(password, hash_method)
        session.add(user)
        session.add(AdminEvent(actor_id=actor_id, action="set_password", target=user.username))
        _end_sessions(session, user_id)
        forget_failed_logins(session, user.username)


def end_sessions(*, session: Session, user_id: int) -> None:
    """Log the user out everywhere (logout): every session cookie issued before now stops working."""
    with writing(session):
        _end_sessions(session, user_id)


def _end_sessions(session: Session, user_id: int) -> None:
    """Raise the session version inside the caller's write transaction; the one place that does so."""
    session.exec(
        update(User)  # type: ignore[call-overload]
        .where(col(User.id) == user_id)
        .values(session_version=col(User.session_version) + 1)
    )


def forget_failed_logins(session: Session, username: str) -> None:
    """Drop the account's failed logins, inside the caller's write transaction (services.auth counts them)."""
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.username) == username))  # type: ignore[call-overload]


def _set_communities(session: Session, user: User, community_ids: Iterable[int]) -> None:
    assert user.id is not None
    session.exec(delete(UserCommunity).where(col(UserCommunity.user_id) == user.id))  # type: ignore[call-overload]
    for cid in sorted(set(community_ids)):
        if session.get(Community, cid) is None:
            raise Invalid(say("社区不存在。"), field="communities")
        session.add(UserCommunity(user_id=user.id, community_id=cid))


def new_password() -> str:
    return secrets.token_urlsafe(12)
