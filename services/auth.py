"""Logging in: password check, inactive accounts, and the limits on failed attempts.

Only failures are kept (one ``login_attempt`` row each, shared by every worker process); a successful
login is never counted and clears its account's failures. Three limits, all over one sliding window:

- account + address: ``per_account_and_address`` failures lock that account from that address until
  the oldest of them leaves the window (someone guessing from one machine);
- account, any address: from ``account_delay_after`` failures on, each further try waits a delay that
  doubles with every failure up to ``account_max_delay`` — a delay, never a lock, so a stranger cannot
  keep the owner out for long (someone guessing from many machines);
- address, any account: ``per_address`` failures, a number an office behind one address never reaches.

Refused tries are not recorded: they check no password, so they cannot make a lock last longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from models import LoginAttempt, User
from services import clock
from services.db import writing
from services.users import check_password, forget_failed_logins

USERNAME_MAX = 50
ADDRESS_MAX = 64


@dataclass(frozen=True)
class LoginLimits:
    """How many failures each limit allows within ``window``."""

    window: timedelta = timedelta(minutes=15)
    per_account_and_address: int = 5
    per_address: int = 50
    account_delay_after: int = 10
    account_first_delay: timedelta = timedelta(seconds=1)
    account_max_delay: timedelta = timedelta(minutes=1)

    def account_delay(self, failures: int) -> timedelta:
        """The wait after the latest of ``failures`` failures of one account (from any address)."""
        if failures < self.account_delay_after:
            return timedelta(0)
        doublings = min(failures - self.account_delay_after, 30)
        return min(self.account_first_delay * 2**doublings, self.account_max_delay)


class LoginRefused(Exception):
    """Why a login was refused; the web layer words it for the user.

    ``kind``: ``bad_credentials``, ``inactive``, or one of the limits — ``locked_here`` (account from
    this address), ``account_delay`` (account from any address), ``address_limit`` (this address).
    ``wait`` is how long until the next try may succeed; ``failures`` the count that tripped the limit.
    """

    def __init__(self, kind: str, *, wait: timedelta | None = None, failures: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.wait = wait
        self.failures = failures

    @property
    def wait_seconds(self) -> int:
        return max(1, ceil(self.wait.total_seconds())) if self.wait else 0


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    address: str,
    limits: LoginLimits | None = None,
    now: datetime | None = None,
) -> User:
    """The user, or LoginRefused; a failed password is recorded, a success clears the account's failures."""
    limits = limits or LoginLimits()
    now = now or clock.now()
    username = username.strip()[:USERNAME_MAX]
    address = (address or "unknown")[:ADDRESS_MAX]
    since = now - limits.window
    account_failures = _account_failures(session, username, since)
    _refuse_if_limited(session, limits, account_failures, address, since, now)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not check_password(user, password):
        _record_failure(session, username, address, now, since)
        raise LoginRefused("bad_credentials")
    if not user.active:
        raise LoginRefused("inactive")
    if account_failures:
        with writing(session):
            forget_failed_logins(session, username)
    return user


def _account_failures(session: Session, username: str, since: datetime) -> list[tuple[str, datetime]]:
    """(address, time) of the account's failures in the window, oldest first."""
    rows = session.exec(
        select(LoginAttempt.address, LoginAttempt.at)
        .where(col(LoginAttempt.username) == username, col(LoginAttempt.at) > since)
        .order_by(col(LoginAttempt.at))
    ).all()
    return [(address, _utc(at)) for address, at in rows]


def _refuse_if_limited(
    session: Session,
    limits: LoginLimits,
    account_failures: list[tuple[str, datetime]],
    address: str,
    since: datetime,
    now: datetime,
) -> None:
    """Raise LoginRefused when a limit is reached: account from this address, account, then address."""
    from_here = [at for addr, at in account_failures if addr == address]
    if len(from_here) >= limits.per_account_and_address:
        freed = from_here[len(from_here) - limits.per_account_and_address] + limits.window
        raise LoginRefused("locked_here", wait=freed - now, failures=len(from_here))
    if account_failures:
        ready = account_failures[-1][1] + limits.account_delay(len(account_failures))
        if ready > now:
            raise LoginRefused("account_delay", wait=ready - now, failures=len(account_failures))
    here = (col(LoginAttempt.address) == address, col(LoginAttempt.at) > since)
    count = session.exec(select(func.count()).select_from(LoginAttempt).where(*here)).one()
    if count >= limits.per_address:
        oldest_counted = session.exec(
            select(LoginAttempt.at)
            .where(*here)
            .order_by(col(LoginAttempt.at))
            .offset(count - limits.per_address)
            .limit(1)
        ).one()
        wait = _utc(oldest_counted) + limits.window - now
        raise LoginRefused("address_limit", wait=wait, failures=count)


def _record_failure(session: Session, username: str, address: str, now: datetime, since: datetime) -> None:
    """Keep one failure and drop those older than the window (an indexed delete, usually of nothing)."""
    with writing(session):
        session.add(LoginAttempt(username=username, address=address, at=now))
        session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) <= since))  # type: ignore[call-overload]


def _utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
