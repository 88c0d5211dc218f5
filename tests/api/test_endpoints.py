"""Contract tests of /api/v1: each endpoint, and each kind of error, as a platform sees them."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import pytest
from sqlmodel import Session, select

from models import ApiClient, Case, CaseEvent, Party
from services import clock
from services.exports import to_csv
from services.permissions import actor_for
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.report_tables import report_tables
from services.statistics.scope import resolve_scope
from tests.api.conftest import Api, Platform, intake_body, make_platform
from tests.conftest import BACKEND
from tests.dbfaults import SqliteFaults
from tests.factories import Factory
from tests.web.case_helpers import fresh, snapshot
from workflow import TRIGGERS
from workflow.diagram import describe

PROBLEM = "application/problem+json"


def problem(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.get_data(as_text=True)[:1000]
    assert resp.mimetype == PROBLEM
    body = resp.get_json()
    assert (body["status"], body["code"], body["type"]) == (status, code, f"urn:tiaojie:problem:{code}")
    assert body["detail"] and body["title"]
    return body  # type: ignore[no-any-return]


# --- POST /cases --------------------------------------------------------------------------------------
def test_post_case_files_it_as_the_client_and_says_where(api: Api, platform: Platform, session: Session):
    resp = api.post("/cases", intake_body(platform.community.id or 0))
    assert resp.status_code == 201
    body = resp.get_json()
    assert resp.headers["Location"] == f"/api/v1/cases/{body['id']}"
    assert (body["state"], body["source"], body["category"], body["version"]) == (
        "registered",
        "委托移送",
        "邻里",
        1,
    )
    assert body["claimed_amount"] == "800.00" and body["pii_masked"] is False
    assert [p["phone"] for p in body["parties"]] == ["13812345678", "13987654321"]
    event = session.exec(select(CaseEvent).where(CaseEvent.case_id == body["id"])).one()
    client = session.exec(select(ApiClient)).one()
    assert (event.trigger, event.actor_id, event.data["external_ref"]) == (
        "register",
        client.user_id,
        "ZZ-2026-0001",
    )
    assert body["events"][0]["actor"] == "接口：综治中心"
    allowed = {t["trigger"] for t in body["triggers"] if t["allowed"]}
    assert allowed == {"accept", "reject", "withdraw", "flag_risk"}


def test_the_same_reference_and_body_returns_the_case_and_another_body_is_409(
    api: Api, platform: Platform, session
):
    body = intake_body(platform.community.id or 0)
    first = api.post("/cases", body).get_json()
    again = api.post(
        "/cases", {**body, "facts": "  楼上住户夜间噪音扰民，多次协商未果  ", "claimed_amount": 800}
    )
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    clash = problem(api.post("/cases", {**body, "facts": "另一件事"}), 409, "external_ref_conflict")
    assert clash["field"] == "external_ref"
    assert len(session.exec(select(Case)).all()) == 1


BAD_INTAKE = [
    ({"facts": ""}, "missing_field", "facts", "请填写纠纷简要情况"),
    ({"category": "打架"}, "unknown_category", "category", "纠纷类型无效"),
    ({"source": "网上"}, "unknown_source", "source", "案件来源无效"),
    ({"claimed_amount": "-1"}, "out_of_range", "claimed_amount", "争议金额须在 0 至 10 亿元之间"),
    ({"claimed_amount": "NaN"}, "bad_field", "claimed_amount", "数字金额"),
    ({"risk_level": "red"}, "reported_to_required", "reported_to", "红色风险"),
    ({"risk_level": "purple"}, "bad_choice", "risk_level", "激化风险的选项无效"),
    ({"parties": [{"role": "applicant", "name": "甲"}]}, "out_of_range", "parties", "当事人须为 2 至 20 名"),
    ({"external_ref": ""}, "missing_field", "external_ref", "外部编号"),
    ({"colour": "red"}, "unknown_field", "colour", "colour"),
    (
        {"parties": [{"role": {}, "name": "甲"}, {"role": "respondent", "name": "乙"}]},
        "parties_incomplete",
        "parties",
        "申请人",
    ),
    ({"community_id": "abc"}, "bad_field", "community_id", "社区的格式不正确"),
]


@pytest.mark.parametrize(("change", "code", "field", "message"), BAD_INTAKE)
def test_bad_intake_is_422_with_code_field_and_message_and_writes_nothing(
    api: Api,
    platform: Platform,
    session: Session,
    change: dict[str, Any],
    code: str,
    field: str,
    message: str,
) -> None:
    before = snapshot(session)
    body = problem(api.post("/cases", {**intake_body(platform.community.id or 0), **change}), 422, code)
    assert body["field"] == field and message in body["detail"]
    assert body["errors"][0] == {"code": code, "field": field, "message": body["detail"]}
    assert snapshot(session) == before


def test_every_problem_of_a_body_is_listed(api: Api, platform: Platform) -> None:
    parties = [{"role": "applicant", "name": "", "phone": "123"}, {"role": "respondent", "name": "乙"}]
    body = problem(
        api.post("/cases", intake_body(platform.community.id or 0, parties=parties)), 422, "missing_field"
    )
    assert [(e["code"], e["field"]) for e in body["errors"]] == [
        ("missing_field", "parties.0.name"),
        ("bad_phone", "parties.0.phone"),
    ]


def test_a_community_not_the_clients_is_refused(api: Api, factory: Factory, session: Session) -> None:
    other = factory.community()
    body = problem(api.post("/cases", intake_body(other.id or 0)), 422, "invalid")
    assert body["field"] == "community_id"
    assert session.exec(select(Case)).first() is None


# --- GET /cases, GET /cases/{id} ----------------------------------------------------------------------
def test_list_filters_pages_by_cursor_and_masks_by_the_pages_rule(
    client, factory: Factory, platform: Platform
) -> None:
    cases = [factory.case("registered") for _ in range(5)]
    accepted = factory.case("accepted", category="物业")
    reader = Api(client, make_platform(factory, "区大屏", scope="read", role="leader"))
    seen: list[int] = []
    cursor = None
    while True:
        page = reader.get(
            "/cases", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}
        ).get_json()
        seen += [c["id"] for c in page["items"]]
        assert all(c["pii_masked"] for c in page["items"])
        assert all("****" in p["phone"] for c in page["items"] for p in c["parties"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted([c.id for c in [*cases, accepted]], reverse=True)
    only = reader.get("/cases", query_string={"state": "accepted", "category": "物业"}).get_json()["items"]
    assert [c["id"] for c in only] == [accepted.id]
    staff = Api(client, platform).get("/cases", query_string={"limit": 1}).get_json()["items"][0]
    assert staff["pii_masked"] is False and "****" not in staff["parties"][0]["phone"]


def test_bad_list_parameters_are_422(api: Api) -> None:
    assert problem(api.get("/cases?limit=0"), 422, "out_of_range")["field"] == "limit"
    assert problem(api.get("/cases?state=flying"), 422, "bad_choice")["field"] == "state"
    assert problem(api.get("/cases?cursor=%21%21"), 422, "bad_cursor")["field"] == "cursor"
    assert problem(api.get("/cases?month=2026-1"), 422, "bad_field")["field"] == "month"
    # Numbers beyond a database integer are refused before any query (PostgreSQL would raise on them).
    beyond = base64.urlsafe_b64encode(f"c:{2**31}".encode()).decode()
    assert problem(api.get(f"/cases?cursor={beyond}"), 422, "bad_cursor")["field"] == "cursor"
    assert problem(api.get(f"/events?after={2**31}"), 422, "out_of_range")["field"] == "after"
    assert problem(api.get(f"/cases?assignee_id={2**31}"), 422, "out_of_range")["field"] == "assignee_id"


def test_get_case_has_parties_events_and_triggers_with_reasons(api: Api, factory: Factory) -> None:
    case = factory.case("assigned")
    body = api.get(f"/cases/{case.id}").get_json()
    assert [e["trigger"] for e in body["events"]] == ["register", "accept", "assign"]
    assert {p["name"] for p in body["parties"]} == {"张三", "李四"}
    by_name = {t["trigger"]: t for t in body["triggers"]}
    assert by_name["reassign"]["allowed"] is True
    start = by_name["start_mediation"]
    assert start["allowed"] is False and start["reason"]  # only the assignee starts mediation


def test_unknown_ids_and_urls_are_404_problems(api: Api) -> None:
    problem(api.get("/cases/999999"), 404, "not_found")
    problem(api.get(f"/cases/{2**40}"), 404, "not_found")
    problem(api.get("/nothing"), 404, "not_found")
    problem(api.post("/cases/1/triggers/fly", {"expected_version": 1}), 404, "not_found")
    resp = api.client.delete("/api/v1/cases", headers=api.platform.headers)
    problem(resp, 405, "method_not_allowed")


# --- POST /cases/{id}/triggers/{trigger} ---------------------------------------------------------------
def test_a_trigger_gives_the_new_state_and_records_the_client(api: Api, factory: Factory, session) -> None:
    case = factory.case("registered")
    resp = api.post(f"/cases/{case.id}/triggers/accept", {"expected_version": case.version, "data": {}})
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["state"], body["version"]) == ("accepted", case.version + 1)
    assert body["number"].startswith("（")
    event = session.exec(select(CaseEvent).where(CaseEvent.trigger == "accept")).one()
    client = session.exec(select(ApiClient)).one()
    assert event.actor_id == client.user_id


def test_a_stale_version_is_409_and_changes_nothing(api: Api, factory: Factory, session) -> None:
    case = factory.case("registered")
    before = snapshot(session)
    problem(api.post(f"/cases/{case.id}/triggers/accept", {"expected_version": 7, "data": {}}), 409, "stale")
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("state", "trigger", "data", "code", "field"),
    [
        ("registered", "reject", {"route_told": "法院"}, "missing_field", "data.reason_code"),
        (
            "registered",
            "reject",
            {"reason_code": "nope", "route_told": "x"},
            "bad_choice",
            "data.reason_code",
        ),
        ("registered", "accept", {"severity": "major"}, "override_has_reason", "data.override_reason"),
        ("accepted", "assign", {"assignee_id": 99999}, "assignee_fits_case", "data.assignee_id"),
        ("accepted", "assign", {"assignee_id": 2**31}, "bad_field", "data.assignee_id"),
        ("registered", "follow_up", {}, "invalid_state", None),
        (
            "registered",
            "reject",
            {"reason_code": "other", "route_told": "长" * 1001},
            "too_long",
            "data.route_told",
        ),
        ("registered", "accept", {"severity": "huge"}, "bad_choice", "data.severity"),
    ],
)
def test_a_refusal_is_422_with_its_code_field_and_message(
    api: Api, factory: Factory, session, state, trigger, data, code, field
) -> None:
    case = factory.case(state)
    before = snapshot(session)
    body = problem(
        api.post(f"/cases/{case.id}/triggers/{trigger}", {"expected_version": case.version, "data": data}),
        422,
        code,
    )
    assert body["field"] == field
    assert snapshot(session) == before


def test_the_trigger_bodies_come_from_the_declarations(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for trigger in TRIGGERS:
        path = spec["paths"][f"/api/v1/cases/{{case_id}}/triggers/{trigger.name}"]["post"]
        ref = path["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        data = schemas[ref]["properties"]["data"]
        assert set(data["properties"]) == {f.name for f in trigger.fields}
        assert set(data.get("required", [])) == {f.name for f in trigger.fields if f.always_required}
        for f in trigger.fields:
            if f.kind == "choice":
                assert data["properties"][f.name]["enum"] == [v for v, _ in f.choices] or any(
                    o.get("enum") == [v for v, _ in f.choices]
                    for o in data["properties"][f.name].get("anyOf", [])
                )


# --- GET /events ----------------------------------------------------------------------------------------
def test_the_feed_gives_every_event_of_the_clients_communities_in_order(api: Api, factory: Factory) -> None:
    mine = [factory.case("accepted"), factory.case("registered")]
    factory.case("accepted", community=factory.community())
    page = api.get("/events", query_string={"after": 0, "limit": 2}).get_json()
    assert page["has_more"] is True and len(page["items"]) == 2
    rest = api.get("/events", query_string={"after": page["next_after"]}).get_json()
    items = page["items"] + rest["items"]
    assert [e["id"] for e in items] == sorted(e["id"] for e in items)
    assert {e["case_id"] for e in items} == {c.id for c in mine}
    assert [e["trigger"] for e in items] == ["register", "accept", "register"]
    quiet = api.get("/events", query_string={"after": items[-1]["id"]}).get_json()
    assert quiet == {"items": [], "next_after": items[-1]["id"], "has_more": False}


# --- GET /stats/monthly ------------------------------------------------------------------------------
def test_stats_are_the_reports_numbers_as_in_the_csv(client, factory: Factory, session) -> None:
    for state in ("closed", "terminated", "accepted", "agreed"):
        factory.case(state)
    reader = Api(client, make_platform(factory, "司法局", scope="read", role="leader"))
    month = Month.of(clock.now())
    body = reader.get("/stats/monthly", query_string={"month": month.key, "community": "幸福"}).get_json()
    leader = resolve_scope(session, _actor(session, factory), f"community:{factory.default_community().id}")
    rows = list(
        csv.reader(
            io.StringIO(to_csv(report_tables(monthly_report(session, leader, month))).decode("utf-8-sig"))
        )
    )
    csv_summary = {(r[0], r[1]): r[2] for r in rows if len(r) >= 7 and r[0] not in ("指标", "")}
    for figure in body["summary"]:
        cell = csv_summary[(figure["label"], figure["unit"])]
        assert (figure["current"] is None and cell == "—") or float(cell) == figure["current"], figure
    assert body["summary"][0]["key"] == "accepted" and body["summary"][0]["current"] == 4
    assert [r["key"] for r in body["sources"]] == ["当事人申请", "主动调解", "委托移送"]


def _actor(session: Session, factory: Factory):  # type: ignore[no-untyped-def]
    return actor_for(session, factory.user("leader"))


def test_stats_of_a_community_not_the_clients_and_bad_months_are_refused(api: Api, factory: Factory) -> None:
    other = factory.community("西园社区", "西园")
    assert other.id
    problem(api.get("/stats/monthly?month=2026-11&community=西园"), 403, "forbidden")
    problem(api.get("/stats/monthly?month=2026-11&community=无此社区"), 422, "unknown_community")
    problem(api.get("/stats/monthly?month=2026-13"), 422, "invalid")
    problem(api.get("/stats/monthly"), 422, "missing_field")


# --- GET /workflow, the document, the docs page -----------------------------------------------------------
def test_workflow_is_the_declaration_as_data(api: Api) -> None:
    assert api.get("/workflow").get_json() == describe()


def test_the_openapi_document_and_the_docs_page_need_no_token(client) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and spec.get_json()["openapi"].startswith("3.1")
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html and "http" not in html  # nothing from a CDN
    with client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200


# --- errors of the request itself ------------------------------------------------------------------------
def test_malformed_json_wrong_media_type_and_too_large_bodies(api: Api, app, platform: Platform) -> None:
    headers = {**platform.headers, "Content-Type": "application/json"}
    problem(api.client.post("/api/v1/cases", data="{broken", headers=headers), 400, "malformed_json")
    form = {**platform.headers, "Content-Type": "application/x-www-form-urlencoded"}
    problem(api.client.post("/api/v1/cases", data="a=1", headers=form), 415, "unsupported_media_type")
    big = intake_body(platform.community.id or 0, facts="长" * (app.config["API_MAX_BODY"] // 3 + 10))
    problem(api.post("/cases", big), 413, "too_large")


def test_rate_limit_is_429_with_retry_after(app, api: Api) -> None:
    app.config["API_RATE_PER_MINUTE"] = 3
    for _ in range(3):
        assert api.get("/workflow").status_code == 200
    resp = api.get("/workflow")
    problem(resp, 429, "rate_limited")
    assert 1 <= int(resp.headers["Retry-After"]) <= 60


def test_last_use_is_recorded(api: Api, session: Session) -> None:
    assert session.exec(select(ApiClient)).one().last_used_at is None
    api.get("/workflow")
    assert fresh(session, ApiClient, api.platform.client_id).last_used_at is not None


def test_english_messages_when_asked(api: Api, platform: Platform) -> None:
    english = {**api.platform.headers, "Accept-Language": "en"}
    body = problem(api.client.get("/api/v1/cases/999999", headers=english), 404, "not_found")
    assert (body["title"], body["detail"]) == ("Not found", "Case not found.")
    bad = api.client.post(
        "/api/v1/cases", json=intake_body(platform.community.id or 0, facts=""), headers=english
    )
    assert problem(bad, 422, "missing_field")["detail"] == "Please describe the dispute briefly."
    chinese = problem(api.get("/cases/999999"), 404, "not_found")
    assert chinese["detail"] == "找不到该案件。"


def test_parties_are_stored_as_sent(api: Api, platform: Platform, session: Session) -> None:
    case = api.post("/cases", intake_body(platform.community.id or 0)).get_json()
    parties = session.exec(select(Party).where(Party.case_id == case["id"])).all()
    assert sorted(p.name for p in parties) == ["张三", "李四"]


# --- the database in trouble ------------------------------------------------------------------------------
if BACKEND == "sqlite":  # a read-only file is SQLite's own fault (tests/web/test_faults.py covers both)

    def test_a_database_fault_is_a_503_problem_with_retry_after_and_the_next_request_works(
        app, api: Api, platform: Platform
    ) -> None:
        body = intake_body(platform.community.id or 0)
        with SqliteFaults(app.extensions["db_engine"]).moment(read_only=True):
            resp = api.post("/cases", body)
        found = problem(resp, 503, "database_read_only")
        assert resp.headers["Retry-After"] == "30" and "没有保存" in found["detail"]
        assert api.post("/cases", body).status_code == 201
