"""Helpers for the case view tests: log in, take the CSRF token from a page, snapshot the database."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from models import Agreement, Case, CaseEvent, FollowUp, JudicialConfirmation, Party, SessionRecord, User
from services.cases import PartyInput
from tests.factories import PASSWORD, id_number

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def token_in(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: FlaskClient, user: User) -> None:
    page = client.get("/login")
    token = token_in(page.get_data(as_text=True))
    resp = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:500]


def token_from(client: FlaskClient, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return token_in(resp.get_data(as_text=True))


def text(resp: Any) -> str:
    return str(resp.get_data(as_text=True))


def snapshot(session: Session) -> dict[str, Any]:
    """Row counts of every case table and each case's (state, version): equal before/after means untouched."""
    session.expire_all()
    counts = {
        model.__name__: session.exec(select(func.count()).select_from(model)).one()
        for model in (Case, CaseEvent, Party, SessionRecord, Agreement, FollowUp, JudicialConfirmation)
    }
    cases = {c.id: (c.state, c.version, c.assignee_id, c.risk_level) for c in session.exec(select(Case))}
    session.rollback()
    return {"counts": counts, "cases": cases}


def fresh(session: Session, model: Any, ident: Any) -> Any:
    """The row as the database has it now (ends any snapshot the test session still holds)."""
    session.rollback()
    session.expire_all()
    return session.get(model, ident)


def form_encode(data: dict[str, Any]) -> dict[str, str]:
    """Trigger data as a browser would post it: True → "y", False/None left out."""
    out = {}
    for key, value in data.items():
        if value is True:
            out[key] = "y"
        elif value is False or value is None:
            continue
        else:
            out[key] = str(value)
    return out


VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


def post_action(
    client: FlaskClient, case_id: int, trigger: str, data: dict[str, Any], *, version: int | None = None
) -> Any:
    """Open the case page, check the trigger's form is offered, and submit it with the page's token."""
    page = text(client.get(f"/cases/{case_id}"))
    assert f'data-trigger="{trigger}"' in page, f"no form for {trigger}"
    found = VERSION.search(page)
    assert found
    payload = {**form_encode(data), "csrf_token": token_in(page)}
    payload["version"] = str(version if version is not None else found.group(1))
    return client.post(f"/cases/{case_id}", data={**payload, "trigger": trigger})


_counter = iter(range(1, 10**6))


def distinct_parties(applicant: str = "张三", respondent: str = "李四") -> list[PartyInput]:
    """Parties no other test case shares (so triage does not see a repeat dispute)."""
    n = next(_counter)
    return [
        PartyInput(
            "applicant", applicant, f"137{n:08d}", id_number(serial=n % 1000), "东苑", f"{n}栋", "101"
        ),
        PartyInput("respondent", respondent, f"136{n:08d}", "", "东苑", f"{n}栋", "201"),
    ]
