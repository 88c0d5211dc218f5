"""Logging in: password check, inactive accounts, and the per-account/per-address rate limit."""

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import LoginAttempt, User
from services import clock
from services.db import writing
from services.errors import ServiceError
from services.users import check_password


class LoginRefused(ServiceError):
    """``kind`` is throttled, inactive or bad_credentials."""

    code = "login_refused"

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    address: str,
    limit_per_minute: int = 5,
    now: datetime | None = None,
) -> User:
    """The user, or LoginRefused with a message; every try is recorded and counted."""
    now = now or clock.now()
    username = username.strip()[:50]
    address = (address or "unknown")[:64]
    with writing(session):
        since = now - timedelta(minutes=1)
        recent = session.exec(
            select(func.count())
            .select_from(LoginAttempt)
            .where(col(LoginAttempt.at) >= since)
            .where((col(LoginAttempt.username) == username) | (col(LoginAttempt.address) == address))
        ).one()
        throttled = recent >= limit_per_minute
        user = None if throttled else session.exec(select(User).where(User.username == username)).first()
        ok = user is not None and user.active and check_password(user, password)
        session.add(LoginAttempt(username=username, address=address, ok=ok, at=now))
    if throttled:
        raise LoginRefused("登录尝试过于频繁，请一分钟后再试。", kind="throttled")
    if user is not None and not user.active and check_password(user, password):
        raise LoginRefused("该账号已停用，请联系管理员。", kind="inactive")
    if not ok or user is None:
        raise LoginRefused("用户名或密码错误。", kind="bad_credentials")
    return user
