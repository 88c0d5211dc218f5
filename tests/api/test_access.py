"""Who may do what through the API: communities, scopes, revoked tokens, the site's cookies, one intake
per reference under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, func, select

from models import ApiClient, Case, User
from services.api_clients import revoke_client
from tests.api.conftest import Api, Platform, intake_body, make_platform
from tests.api.test_endpoints import problem
from tests.factories import Factory
from tests.web.case_helpers import login, snapshot, text, token_from, token_in


def test_a_client_of_one_community_sees_nothing_of_another(client, factory: Factory, api: Api) -> None:
    theirs = factory.community("西园社区", "西园")
    hidden = factory.case("accepted", community=theirs)
    mine = factory.case("registered")
    problem(api.get(f"/cases/{hidden.id}"), 404, "not_found")
    body = {"expected_version": hidden.version, "data": {"reason": "x"}}
    problem(api.post(f"/cases/{hidden.id}/triggers/withdraw", body), 404, "not_found")
    assert [c["id"] for c in api.get("/cases").get_json()["items"]] == [mine.id]
    assert api.get(f"/cases?community_id={theirs.id}").get_json()["items"] == []
    events = api.get("/events?after=0").get_json()["items"]
    assert events and {e["case_id"] for e in events} == {mine.id}
    # The other community's own client sees its case and none of ours.
    other = Api(client, make_platform(factory, "西园网格", community=theirs))
    assert {e["case_id"] for e in other.get("/events").get_json()["items"]} == {hidden.id}


def test_a_read_client_cannot_write(client, factory: Factory, session: Session) -> None:
    reader = Api(client, make_platform(factory, "大屏", scope="read", role="staff"))
    case = factory.case("registered")
    before = snapshot(session)
    problem(reader.post("/cases", intake_body(reader.platform.community.id or 0)), 403, "read_only_client")
    body = {"expected_version": case.version, "data": {}}
    problem(reader.post(f"/cases/{case.id}/triggers/accept", body), 403, "read_only_client")
    assert snapshot(session) == before
    shown = reader.get(f"/cases/{case.id}").get_json()["triggers"]
    assert shown and not any(t["allowed"] for t in shown)
    assert {t["reason"] for t in shown if t["trigger"] == "accept"} == {"此客户端只有读取权限。"}


def test_a_revoked_token_is_refused_at_once(api: Api, platform: Platform, session: Session) -> None:
    assert api.get("/workflow").status_code == 200
    revoke_client(session=session, client_id=platform.client_id)
    resp = api.get("/workflow")
    problem(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_or_unknown_tokens_are_401(client, platform: Platform) -> None:
    problem(client.get("/api/v1/cases"), 401, "unauthorized")
    problem(client.get("/api/v1/cases", headers={"Authorization": "Bearer tj_nope"}), 401, "unauthorized")
    problem(
        client.get("/api/v1/cases", headers={"Authorization": f"Basic {platform.token}"}), 401, "unauthorized"
    )


def test_a_browser_session_cannot_write_through_the_api(client, factory: Factory, session: Session) -> None:
    staff = factory.staff()
    login(client, staff)
    token = token_from(client, "/cases/new")
    before = snapshot(session)
    body = intake_body(factory.default_community().id or 0)
    problem(client.post("/api/v1/cases", json=body), 401, "unauthorized")
    problem(client.post("/api/v1/cases", json=body, headers={"X-CSRFToken": token}), 401, "unauthorized")
    assert snapshot(session) == before


def test_a_token_opens_no_web_page(client, platform: Platform) -> None:
    for url in ("/cases/", "/cases/new", "/admin/", "/stats/"):
        resp = client.get(url, headers=platform.headers)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], url


def test_a_clients_identity_cannot_log_in_nor_be_edited_as_a_user(
    client, factory: Factory, platform: Platform, session: Session
) -> None:
    acting = session.exec(select(User).where(User.kind == "api_client")).one()
    page = client.get("/login")
    resp = client.post(
        "/login", data={"username": acting.username, "password": "!", "csrf_token": token_in(text(page))}
    )
    assert resp.status_code == 401
    login(client, factory.user("admin", communities=[]))
    assert acting.username not in text(client.get("/admin/users"))
    assert client.get(f"/admin/users/{acting.id}").status_code == 404


def test_twenty_concurrent_posts_with_one_reference_file_one_case(
    app, platform: Platform, session: Session
) -> None:
    body = intake_body(platform.community.id or 0, ref="HOTLINE-20")

    def post(_: int) -> int:
        with app.test_client() as c:
            return int(c.post("/api/v1/cases", json=body, headers=platform.headers).status_code)

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(post, range(20)))
    assert sorted(statuses) == [200] * 19 + [201]
    session.rollback()
    assert session.exec(select(func.count()).select_from(Case)).one() == 1
    assert session.exec(select(ApiClient)).one().window_count == 20
