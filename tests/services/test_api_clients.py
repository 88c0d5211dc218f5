"""API clients: what is kept of a token, the per-minute count shared through the client's row, revocation,
and the checks of a new client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from models import ApiClient, User
from services import clock
from services.api_clients import RateLimited, TokenRefused, authenticate, create_client, revoke_client
from services.errors import Invalid
from tests.factories import Factory
from tests.web.case_helpers import fresh


def _issue(factory: Factory, name: str = "网格", scope: str = "write") -> tuple[int, str]:
    community = factory.default_community()
    assert community.id is not None
    issued = create_client(session=factory.session, name=name, community_ids=[community.id], scope=scope)
    assert issued.client.id is not None
    return issued.client.id, issued.token


def test_the_client_acts_as_its_own_user_of_its_communities(factory: Factory, session: Session) -> None:
    client_id, token = _issue(factory)
    caller = authenticate(session=session, token=token, per_minute=10)
    user = fresh(session, User, caller.user.id)
    assert (caller.client_id, caller.scope, caller.may_write) == (client_id, "write", True)
    assert (user.kind, user.username, user.display_name) == ("api_client", "api:网格", "接口：网格")
    assert caller.actor.community_ids == frozenset({factory.default_community().id})


def test_the_count_of_a_minute_refuses_the_request_over_the_limit_then_starts_again(
    factory: Factory, session: Session
) -> None:
    client_id, token = _issue(factory)
    start = clock.now()
    for seconds in (0, 10):
        authenticate(session=session, token=token, per_minute=2, now=start + timedelta(seconds=seconds))
    with pytest.raises(RateLimited) as refused:
        authenticate(session=session, token=token, per_minute=2, now=start + timedelta(seconds=15))
    assert refused.value.retry_after == 45  # the minute began at the first request
    later = start + timedelta(seconds=61)
    authenticate(session=session, token=token, per_minute=2, now=later)
    row = fresh(session, ApiClient, client_id)
    assert (row.window_count, clock.local(row.window_start)) == (1, clock.local(later))
    assert clock.local(row.last_used_at) == clock.local(later)


def test_a_revoked_or_unknown_token_is_refused(factory: Factory, session: Session) -> None:
    client_id, token = _issue(factory)
    revoke_client(session=session, client_id=client_id)
    for attempt in (token, token + "x", "tj_"):
        with pytest.raises(TokenRefused):
            authenticate(session=session, token=attempt, per_minute=10)
    assert fresh(session, ApiClient, client_id).last_used_at is None
    assert fresh(session, User, fresh(session, ApiClient, client_id).user_id).active is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "名" * 41}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"role": "judge"}, "role"),
        ({"community_ids": []}, "communities"),
        ({"community_ids": [999]}, "communities"),
        ({"name": "网格"}, "name"),  # taken
    ],
)
def test_a_bad_client_is_refused_and_nothing_is_kept(
    factory: Factory, session: Session, change: dict[str, object], field: str
) -> None:
    _issue(factory)
    values: dict[str, object] = {
        "name": "热线",
        "community_ids": [factory.default_community().id],
        "scope": "read",
        "role": "staff",
        **change,
    }
    with pytest.raises(Invalid) as refused:
        create_client(session=session, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    session.rollback()
    assert len(session.exec(ApiClient.__table__.select()).all()) == 1  # type: ignore[attr-defined]
