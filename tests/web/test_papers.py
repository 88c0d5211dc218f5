"""The file's printable papers (受理登记表 … 终止调解告知书) and the contents list's marks: whether each
paper is in the file and whether its signed scan is attached or missing."""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from models import Party, User
from services.validation import mask_id_number
from tests import samples
from tests.factories import Factory
from tests.web.case_helpers import distinct_parties, login, text, token_from


def _closed(factory: Factory):  # type: ignore[no-untyped-def]
    case = factory.case("mediating", parties=distinct_parties())
    case = factory.fire(case, "record_session")
    case = factory.fire(case, "record_session", summary="第二次调解，双方各让一步")
    case = factory.fire(case, "record_agreement")
    case = factory.fire(case, "record_judicial_confirmation")
    return factory.fire(case, "follow_up")


PAPERS = {
    "register": ("纠纷受理登记表", "楼上住户夜间噪音扰民"),
    "rights": ("人民调解当事人权利义务告知书", "接受调解、拒绝调解或者要求终止调解"),
    "session": ("人民调解笔录", "社区调解室"),
    "agreement": ("人民调解协议书", "楼上住户赔偿维修费"),
    "follow_up": ("人民调解回访记录", "协议已履行"),
    "confirmation": ("司法确认申请书", "某某区人民法院"),
}


@pytest.mark.parametrize("key", list(PAPERS))
def test_each_paper_of_a_closed_case_prints_its_contents(
    client: FlaskClient, app_session: Session, key: str
) -> None:
    factory = Factory(app_session)
    case = _closed(factory)
    login(client, factory.staff())
    resp = client.get(f"/cases/{case.id}/papers/{key}")
    assert resp.status_code == 200
    page = text(resp)
    title, content = PAPERS[key]
    assert title in page and content in page
    assert "（签名）" in page or "（签收）" in page
    assert case.number in page or key == "confirmation"


def test_each_session_has_its_own_record(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = _closed(factory)
    login(client, factory.staff())
    second = text(client.get(f"/cases/{case.id}/papers/session/2"))
    assert "第2次调解" in second and "第二次调解，双方各让一步" in second
    assert client.get(f"/cases/{case.id}/papers/session/3").status_code == 404
    assert client.get(f"/cases/{case.id}/papers/session/0").status_code == 404


def test_the_termination_notice_states_the_reason_and_the_routes(
    client: FlaskClient, app_session: Session
) -> None:
    factory = Factory(app_session)
    case = factory.case("terminated", parties=distinct_parties())
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/papers/termination"))
    assert "终止人民调解告知书" in page and "双方分歧过大" in page and "可向人民法院起诉" in page
    assert "仲裁、行政、司法等途径" in page and "（签收）" in page


@pytest.mark.parametrize(
    ("state", "absent"),
    [
        ("accepted", ["session", "agreement", "follow_up", "confirmation", "termination"]),
        ("closed", ["termination"]),
    ],
)
def test_papers_a_case_does_not_have_are_404(
    client: FlaskClient, app_session: Session, state: str, absent: list[str]
) -> None:
    factory = Factory(app_session)
    case = factory.case(state, parties=distinct_parties())
    login(client, factory.staff())
    for key in absent:
        assert client.get(f"/cases/{case.id}/papers/{key}").status_code == 404, key
    assert client.get(f"/cases/{case.id}/papers/register").status_code == 200
    assert client.get(f"/cases/{case.id}/papers/nonsense").status_code == 404


def test_papers_mask_id_numbers_for_those_who_see_them_masked(
    client: FlaskClient, app_session: Session
) -> None:
    factory = Factory(app_session)
    case = _closed(factory)
    party = app_session.exec(select(Party).where(Party.case_id == case.id, Party.role == "applicant")).one()
    login(client, factory.user("leader"))
    for key in ("register", "confirmation"):
        page = text(client.get(f"/cases/{case.id}/papers/{key}"))
        assert mask_id_number(party.id_number) in page and party.id_number not in page


def test_papers_of_another_community_are_404(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = factory.case("agreed", community=factory.community(), parties=distinct_parties())
    login(client, factory.staff())
    assert client.get(f"/cases/{case.id}/papers/register").status_code == 404


def test_papers_escape_what_people_typed(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = factory.case("mediating", parties=distinct_parties("<b>x</b>", "李四"))
    factory.fire(case, "record_session", summary="<script>alert(1)</script>")
    login(client, factory.staff())
    for key in ("register", "rights", "session"):
        page = text(client.get(f"/cases/{case.id}/papers/{key}"))
        assert "<script>alert" not in page and "<b>x</b>" not in page


def _scan_marks(page: str) -> dict[str, str]:
    rows = re.findall(r"<td>\d+</td><td>([^<]+).*?data-scan=\"(\w+)\"", page, re.S)
    return dict(rows)


def test_the_contents_list_marks_signed_scans_attached_or_missing(
    client: FlaskClient, app_session: Session
) -> None:
    factory = Factory(app_session)
    case = _closed(factory)
    login(client, factory.staff())
    marks = _scan_marks(text(client.get(f"/cases/{case.id}/file")))
    assert marks["调解协议书"] == "missing" and marks["调解笔录"] == "missing"
    assert marks["当事人权利义务告知书"] == "missing" and marks["履行凭证"] == "none"
    page = text(client.get(f"/cases/{case.id}/file"))
    assert "未附（结案须附）" in page, "the policy's required paper is called out"
    token = token_from(client, f"/cases/{case.id}")
    for kind in ("agreement", "session_record", "session_record"):
        client.post(
            f"/cases/{case.id}/attachments",
            data={"csrf_token": token, "kind": kind, "files": [(io.BytesIO(samples.pdf()), f"{kind}.pdf")]},
            content_type="multipart/form-data",
        )
    page = text(client.get(f"/cases/{case.id}/file"))
    marks = _scan_marks(page)
    assert marks["调解协议书"] == "attached" and marks["调解笔录"] == "attached"
    assert "已附 2 份" in page and "结案须附" not in page
    assert marks["当事人权利义务告知书"] == "missing"


def test_a_terminated_cases_contents_list_the_notice(client: FlaskClient, app_session: Session) -> None:
    factory = Factory(app_session)
    case = factory.case("terminated", parties=distinct_parties())
    assignee = app_session.get(User, case.assignee_id)
    assert assignee is not None
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}/file"))
    assert _scan_marks(page)["终止调解告知书"] == "missing" and "结案须附" in page
    assert f"/cases/{case.id}/papers/termination" in page
