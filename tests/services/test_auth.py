"""The limits on failed logins, on a real database and a chosen clock; session versions of users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models import LoginAttempt, User
from services.auth import LoginLimits, LoginRefused, authenticate
from services.users import end_sessions, set_password, update_user
from tests.factories import FAST_HASH, PASSWORD

T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
LIMITS = LoginLimits()


def _try(
    session: Session, user: User | str, password: str, address: str, at: datetime
) -> User | LoginRefused:
    """One login try; the user, or the refusal."""
    username = user if isinstance(user, str) else user.username
    try:
        return authenticate(session=session, username=username, password=password, address=address, now=at)
    except LoginRefused as why:
        return why


def _failures(session: Session, username: str | None = None) -> list[tuple[str, str]]:
    session.rollback()
    query = select(LoginAttempt.username, LoginAttempt.address).order_by(LoginAttempt.id)
    if username is not None:
        query = query.where(LoginAttempt.username == username)
    out = [(u, a) for u, a in session.exec(query).all()]
    session.rollback()
    return out


def _version(session: Session, user: User) -> int:
    session.rollback()
    return session.exec(select(User.session_version).where(User.id == user.id)).one()


def test_successful_logins_are_never_counted(session, factory):
    users = [factory.user("staff") for _ in range(30)]
    for n, user in enumerate(users):
        assert isinstance(_try(session, user, PASSWORD, "10.0.0.1", T0 + timedelta(seconds=n)), User)
    assert _failures(session) == []


def test_five_failures_lock_the_account_from_that_address_until_the_oldest_leaves_the_window(
    session, factory
):
    user, colleague = factory.staff(), factory.user("staff")
    for n in range(5):
        why = _try(session, user, "wrong-password", "10.0.0.1", T0 + timedelta(minutes=n))
        assert isinstance(why, LoginRefused) and why.kind == "bad_credentials"
    # the right password from the same address is refused: the lock, for as long as the oldest failure counts
    why = _try(session, user, PASSWORD, "10.0.0.1", T0 + timedelta(minutes=5))
    assert isinstance(why, LoginRefused) and why.kind == "locked_here"
    assert why.failures == 5 and why.wait == timedelta(minutes=10)
    assert why.wait_seconds == 600
    # refused tries check no password and are not recorded: they do not make the lock longer
    for n in range(10):
        _try(session, user, "wrong-password", "10.0.0.1", T0 + timedelta(minutes=6, seconds=n))
    assert len(_failures(session, user.username)) == 5
    # only that account, only from that address
    assert isinstance(_try(session, colleague, PASSWORD, "10.0.0.1", T0 + timedelta(minutes=6)), User)
    assert isinstance(_try(session, user, PASSWORD, "10.0.0.2", T0 + timedelta(minutes=6)), User)
    assert _failures(session, user.username) == []  # the success cleared the account's failures


def test_the_lock_ends_when_the_oldest_failure_leaves_the_window(session, factory):
    user = factory.staff()
    for n in range(5):
        _try(session, user, "wrong-password", "10.0.0.1", T0 + timedelta(minutes=n))
    just_before = T0 + LIMITS.window - timedelta(seconds=1)
    why = _try(session, user, PASSWORD, "10.0.0.1", just_before)
    assert isinstance(why, LoginRefused) and why.kind == "locked_here" and why.wait_seconds == 1
    assert isinstance(_try(session, user, PASSWORD, "10.0.0.1", T0 + LIMITS.window), User)


@pytest.mark.parametrize(
    ("failures", "delay"), [(9, 0), (10, 1), (11, 2), (12, 4), (15, 32), (16, 60), (40, 60)]
)
def test_the_account_delay_doubles_and_stops_at_a_minute(failures, delay):
    assert LIMITS.account_delay(failures) == timedelta(seconds=delay)


def test_failures_from_many_addresses_delay_the_account_but_never_lock_its_owner_out(session, factory):
    user = factory.staff()
    at = T0
    for n in range(20):  # a stranger guessing from twenty machines, each try as soon as it is allowed
        at += LIMITS.account_delay(n)
        why = _try(session, user, "wrong-password", f"198.51.100.{n}", at)
        assert isinstance(why, LoginRefused) and why.kind == "bad_credentials"
    assert at - T0 < LIMITS.window  # twenty guesses took five minutes instead of a second
    assert len(_failures(session, user.username)) == 20
    # twenty failures: the delay is at its cap of one minute, whoever tries, the owner included
    why = _try(session, user, PASSWORD, "10.0.0.7", at + timedelta(seconds=30))
    assert isinstance(why, LoginRefused) and why.kind == "account_delay"
    assert why.failures == 20 and why.wait == timedelta(seconds=30)
    assert len(_failures(session, user.username)) == 20  # the refused try was not recorded
    # a minute after the stranger's last try the owner is in, and the failures are gone
    assert isinstance(_try(session, user, PASSWORD, "10.0.0.7", at + timedelta(minutes=1)), User)
    assert _failures(session, user.username) == []


def test_an_address_is_paused_after_fifty_failures_on_any_accounts(session, factory):
    user = factory.staff()
    for n in range(50):
        _try(session, f"guess{n}", "wrong-password", "203.0.113.9", T0 + timedelta(seconds=n))
    why = _try(session, user, PASSWORD, "203.0.113.9", T0 + timedelta(minutes=1))
    assert isinstance(why, LoginRefused) and why.kind == "address_limit"
    assert why.failures == 50 and why.wait == timedelta(minutes=14)
    assert isinstance(_try(session, user, PASSWORD, "203.0.113.10", T0 + timedelta(minutes=1)), User)
    # the oldest failure leaves the window: one more try from that address is possible
    assert isinstance(_try(session, user, PASSWORD, "203.0.113.9", T0 + LIMITS.window), User)


def test_failures_older_than_the_window_are_pruned_when_one_is_recorded(session, factory):
    old, new = factory.staff(), factory.user("staff")
    for n in range(3):
        _try(session, old, "wrong-password", "10.0.0.1", T0 + timedelta(seconds=n))
    assert len(_failures(session)) == 3
    _try(session, new, "wrong-password", "10.0.0.2", T0 + LIMITS.window + timedelta(seconds=3))
    assert _failures(session) == [(new.username, "10.0.0.2")]


def test_an_inactive_account_is_refused_and_a_wrong_password_on_it_counts(session, factory):
    user = factory.staff()
    assert user.id is not None
    update_user(session=session, user_id=user.id, actor_id=None, active=False)
    why = _try(session, user, PASSWORD, "10.0.0.1", T0)
    assert isinstance(why, LoginRefused) and why.kind == "inactive"
    assert _failures(session) == []
    why = _try(session, user, "wrong-password", "10.0.0.1", T0)
    assert isinstance(why, LoginRefused) and why.kind == "bad_credentials"
    assert _failures(session) == [(user.username, "10.0.0.1")]


def test_a_new_password_forgets_the_failures_and_ends_the_sessions(session, factory):
    user = factory.staff()
    assert user.id is not None
    for n in range(5):
        _try(session, user, "wrong-password", "10.0.0.1", T0 + timedelta(seconds=n))
    before = _version(session, user)
    set_password(
        session=session, user_id=user.id, password="brand-new-pass", actor_id=None, hash_method=FAST_HASH
    )
    assert _failures(session, user.username) == []
    assert _version(session, user) == before + 1
    assert isinstance(_try(session, user, "brand-new-pass", "10.0.0.1", T0 + timedelta(seconds=9)), User)


def test_logout_and_deactivation_end_the_sessions_and_nothing_else_does(session, factory):
    user = factory.staff()
    assert user.id is not None
    assert _version(session, user) == 0
    end_sessions(session=session, user_id=user.id)
    assert _version(session, user) == 1
    update_user(session=session, user_id=user.id, actor_id=None, display_name="新名字", locale="en")
    assert _version(session, user) == 1
    update_user(session=session, user_id=user.id, actor_id=None, active=False)
    assert _version(session, user) == 2
    update_user(session=session, user_id=user.id, actor_id=None, active=True)
    assert _version(session, user) == 2
