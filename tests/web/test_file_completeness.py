"""Closing or terminating with a signed paper missing, under both settings of the policy, through the
case page; and the case list's "file incomplete" filter."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from models import Case, CaseEvent, Setting, User
from services.policy import POLICY_KEY
from tests import samples
from tests.factories import Factory, trigger_data
from tests.web.case_helpers import fresh, login, post_action, snapshot, text, token_from


def _policy(session: Session, check: str) -> None:
    session.add(Setting(key=POLICY_KEY, value={"file_check": check}))
    session.commit()


def _attach(client: FlaskClient, case: Case, kind: str) -> None:
    token = token_from(client, f"/cases/{case.id}")
    resp = client.post(
        f"/cases/{case.id}/attachments",
        data={"csrf_token": token, "kind": kind, "files": [(io.BytesIO(samples.pdf()), f"{kind}.pdf")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303, text(resp)[:300]


def test_warn_closes_records_the_warning_and_says_so(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = factory.case("agreed")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert 'data-testid="step-warning"' in page, "the visit's form says the file lacks the paper"
    resp = post_action(client, case.id, "follow_up", trigger_data("follow_up"))
    assert resp.status_code == 303
    shown = text(client.get(f"/cases/{case.id}"))
    assert "提醒：卷宗缺少调解协议书（当事人签字）的扫描件" in shown
    assert fresh(app_session, Case, case.id).state == "closed"
    event = app_session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.trigger == "follow_up")
    ).one()
    assert event.data["warnings"][0]["code"] == "file_complete"
    assert fresh(app_session, Case, case.id).file_incomplete


def test_refuse_keeps_the_case_open_with_the_reason(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = factory.case("agreed")
    _policy(app_session, "refuse")
    login(client, factory.staff())
    before = snapshot(app_session)
    resp = post_action(client, case.id, "follow_up", trigger_data("follow_up"))
    assert resp.status_code == 422
    assert "卷宗缺少调解协议书（当事人签字）的扫描件" in text(resp)
    assert snapshot(app_session) == before
    _attach(client, case, "agreement")
    assert post_action(client, case.id, "follow_up", trigger_data("follow_up")).status_code == 303
    done = fresh(app_session, Case, case.id)
    assert done.state == "closed" and not done.file_incomplete


@pytest.mark.parametrize("check", ["warn", "refuse"])
def test_terminating_without_the_signed_notice(client: FlaskClient, app_session: Session, check: str) -> None:
    factory = Factory(app_session)
    case = factory.case("mediating")
    _policy(app_session, check)
    assignee = app_session.get(User, case.assignee_id)
    assert assignee is not None
    login(client, assignee)
    if check == "refuse":
        page = text(client.get(f"/cases/{case.id}"))
        assert 'data-blocked="terminate"' in page and "终止调解告知书" in page
        _attach(client, case, "termination_notice")
    resp = post_action(client, case.id, "terminate", trigger_data("terminate"))
    assert resp.status_code == 303
    done = fresh(app_session, Case, case.id)
    assert done.state == "terminated" and done.file_incomplete == (check == "warn")


def test_the_list_filters_ended_cases_whose_file_is_incomplete(
    client: FlaskClient, app_session: Session
) -> None:
    factory = Factory(app_session)
    lacking = factory.case("closed")
    complete = factory.case("agreed")
    open_case = factory.case("mediating")
    login(client, factory.staff())
    _attach(client, complete, "agreement")
    assert post_action(client, complete.id, "follow_up", trigger_data("follow_up")).status_code == 303
    page = text(client.get("/cases/?file_incomplete=1"))
    assert f'href="/cases/{lacking.id}"' in page
    assert f'href="/cases/{complete.id}"' not in page and f'href="/cases/{open_case.id}"' not in page
    assert 'data-testid="total">1<' in page and "卷宗不全" in page
