"""The endpoints of /api/v1: thin — authenticate, call the services the pages use, shape the JSON."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, g, jsonify, render_template, request, url_for
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel
from sqlalchemy import Row
from sqlmodel import col, select

from api import schemas as s
from api.problems import ApiProblem, documented, of_service, response
from models import Case, CaseEvent, Community, Party
from services import clock
from services.api import case_page, events_after, intake_once, parties_of
from services.api_clients import Caller, TokenRefused, authenticate
from services.cases import apply, facts_of
from services.errors import NotFound, ServiceError
from services.inputs import MAX_ID
from services.permissions import sees_full_pii, visible_case
from services.policy import current_policy
from services.queries import CaseFilter, user_names
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.scope import resolve_scope
from services.validation import mask_id_number, mask_phone
from web.database import db
from web.display import trigger_label
from workflow import ENGINE, TRIGGERS, Refused
from workflow.diagram import describe
from workflow.labels import STATE_LABELS
from workflow.text import say

PREFIX = "/api/v1"
TITLE = "人民调解案件管理 API"
CASES = Tag(name="cases", description="案件：登记、查询、办理")
FEED = Tag(name="events", description="变更流：按顺序读取本客户端各社区的全部事件")
STATS = Tag(name="statistics", description="月报数字")
WORKFLOW = Tag(name="workflow", description="办案流程：状态、操作、条件")

api = APIBlueprint(
    "api",
    __name__,
    url_prefix=PREFIX,
    abp_security=[{"bearerAuth": []}],
    abp_responses=documented(400, 401, 413, 422, 429, 503),
)
# What needs no token: the description of the API itself.
OPEN_ENDPOINTS = frozenset({"api.openapi_json", "api.docs"})


@api.get("/openapi.json", doc_ui=False)
def openapi_json() -> Response:
    """The OpenAPI 3.1 document."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return jsonify(app.api_doc)


@api.get("/docs", doc_ui=False)
def docs() -> str:
    """The docs page (Swagger UI from static/vendor, no CDN)."""
    return render_template("api/docs.html", spec_url=f"{PREFIX}/openapi.json", title=TITLE)


api.register_error_handler(ApiProblem, response)
api.register_error_handler(ServiceError, lambda e: response(of_service(e)))
api.register_error_handler(Refused, lambda e: response(of_service(e)))


# --- every request ----------------------------------------------------------------------------------
@api.before_request
def guard() -> None:
    """Size, token, media type: in that order, each refused as a problem before any view runs."""
    if request.endpoint in OPEN_ENDPOINTS:
        return
    limit = int(current_app.config["API_MAX_BODY"])
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        raise ApiProblem(413, "too_large", say("请求内容超过 %(n)s 字节。", n=limit))
    g.caller = _caller()
    if request.method == "POST":
        if not request.is_json:
            raise ApiProblem(415, "unsupported_media_type", say("请求内容须为 JSON（application/json）。"))
        try:
            json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ApiProblem(400, "malformed_json", say("请求内容不是有效的 JSON。")) from None


def _caller() -> Caller:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRefused(say("请在 Authorization 头中提供 Bearer 令牌。"))
    per_minute = int(current_app.config["API_RATE_PER_MINUTE"])
    return authenticate(session=db(), token=token.strip(), per_minute=per_minute)


def caller() -> Caller:
    return g.caller  # type: ignore[no-any-return]


def writer() -> Caller:
    """The caller, if its token may write (a read client is refused, whatever its role)."""
    who = caller()
    if not who.may_write:
        raise ApiProblem(403, "read_only_client", say("此客户端只有读取权限。"))
    return who


def ok(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(model.model_dump_json(), status=status, mimetype="application/json", headers=headers)


# --- shaping -----------------------------------------------------------------------------------------
def _utc(moment: datetime | None) -> datetime | None:
    """A stored moment with its zone (SQLite gives some back without one; they are UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _party(p: Party, full: bool) -> s.PartyOut:
    return s.PartyOut(
        role=p.role,
        name=p.name,
        phone=p.phone if full or not p.phone else mask_phone(p.phone),
        id_number=p.id_number if full or not p.id_number else mask_id_number(p.id_number),
        address_xiaoqu=p.address_xiaoqu,
        address_building=p.address_building,
        address_room=p.address_room,
    )


def _case(case: Case, who: Caller, parties: list[Party], community: Community) -> dict[str, Any]:
    """The case's fields, its parties' numbers masked by the pages' rule (services.permissions)."""
    full = sees_full_pii(who.actor, case)
    return {
        "id": case.id,
        "number": case.number,
        "state": case.state,
        "state_label": str(STATE_LABELS[case.state]),
        "version": case.version,
        "community": s.CommunityOut(
            id=community.id or 0, name=community.name, short_name=community.short_name
        ),
        "category": case.category,
        "source": case.source,
        "facts": case.facts,
        "claimed_amount": None if case.claimed_amount is None else f"{case.claimed_amount:.2f}",
        "people_involved": case.people_involved,
        "injury": case.injury,
        "risk_level": case.risk_level,
        "reported_to": case.reported_to,
        "severity": case.severity or case.severity_computed,
        "severity_computed": case.severity_computed,
        "triage_reasons": case.triage_reasons,
        "tier": case.tier,
        "assignee_id": case.assignee_id,
        "deadline": case.deadline,
        "registered_at": _utc(case.registered_at),
        "accepted_at": _utc(case.accepted_at),
        "closed_at": _utc(case.closed_at),
        "updated_at": _utc(case.updated_at),
        "pii_masked": not full,
        "parties": [_party(p, full) for p in parties],
    }


def _events(events: Sequence[CaseEvent | Row[Any]]) -> list[s.EventOut]:
    """Events (rows or entities) as the API shows them; each trigger's label translated once."""
    names = user_names(db(), (e.actor_id for e in events))
    labels = {trigger: trigger_label(trigger) for trigger in {e.trigger for e in events}}
    return [
        s.EventOut(
            id=e.id or 0,
            case_id=e.case_id,
            community_id=e.community_id,
            trigger=e.trigger,
            label=labels[e.trigger],
            from_state=e.from_state,
            to_state=e.to_state,
            actor_id=e.actor_id,
            actor=names.get(e.actor_id) if e.actor_id else None,
            at=_utc(e.at),
            note=e.note,
            data=e.data if isinstance(e.data, dict) else {},
        )
        for e in events
    ]


def _detail(case: Case, who: Caller) -> s.CaseDetail:
    session = db()
    assert case.id is not None
    community = session.get(Community, case.community_id)
    assert community is not None
    events = list(
        session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id)))
    )
    available = ENGINE.with_policy(current_policy(session)).available(
        facts_of(session, case), who.actor, today=clock.local_date()
    )
    triggers = [
        s.TriggerOut(
            trigger=a.trigger,
            label=str(a.label),
            allowed=a.allowed and who.may_write,
            reason=_why_not(a.allowed, a.reason, who.may_write),
            expected=a.expected,
        )
        for a in available
    ]
    body = _case(case, who, parties_of(session, [case.id]).get(case.id, []), community)
    return s.CaseDetail(**body, events=_events(events), triggers=triggers)


def _why_not(allowed: bool, reason: object, may_write: bool) -> str | None:
    """Why the client cannot fire a trigger now: the workflow's reason, or that it may only read."""
    if not allowed:
        return str(reason) if reason else None
    return None if may_write else say("此客户端只有读取权限。")


def _visible(case_id: int) -> Case:
    """The case if this client may see it; 404 alike for a case of another community and no case."""
    case = visible_case(db(), caller().actor, case_id)
    if case is None:
        raise NotFound(say("找不到该案件。"))
    return case


def _cursor(text: str | None) -> int | None:
    if not text:
        return None
    try:
        value = int(base64.urlsafe_b64decode(text.encode() + b"==").decode().removeprefix("c:"))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        value = 0
    if not 1 <= value <= MAX_ID:
        raise ApiProblem(422, "bad_cursor", say("游标无效，请从第一页重新读取。"), field="cursor")
    return value


def _next_cursor(before: int | None) -> str | None:
    return None if before is None else base64.urlsafe_b64encode(f"c:{before}".encode()).decode().rstrip("=")


# --- cases -------------------------------------------------------------------------------------------
@api.get("/cases", tags=[CASES], responses={200: s.CaseList}, operation_id="list_cases")
def list_cases(query: s.CaseQuery) -> Response:
    """案件列表：与网页列表相同的筛选，按登记倒序，游标分页，当事人信息按权限脱敏。"""
    who = caller()
    flt = CaseFilter(
        state=query.state,
        tier=query.tier,
        severity=query.severity,
        category=query.category or None,
        community_id=query.community_id,
        assignee_id=query.assignee_id,
        overdue=query.overdue,
        month=query.month,
        q=query.q or "",
    )
    page = case_page(db(), who, flt, before=_cursor(query.cursor), limit=query.limit)
    ids = {c.community_id for c in page.cases}
    communities = {c.id: c for c in db().exec(select(Community).where(col(Community.id).in_(sorted(ids))))}
    items = [
        s.CaseOut(**_case(c, who, page.parties.get(c.id or 0, []), communities[c.community_id]))
        for c in page.cases
    ]
    return ok(s.CaseList(items=items, next_cursor=_next_cursor(page.next_before)))


@api.post(
    "/cases",
    tags=[CASES],
    responses={201: s.CaseDetail, 200: s.CaseDetail, **documented(403, 409, 415)},
    operation_id="create_case",
)
def create_case(body: s.CaseIntake) -> Response:
    """登记纠纷（同网页登记表）。同一 external_ref、同一内容再次提交：200 与原案件；内容不同：409。"""
    who = writer()
    case, created = intake_once(session=db(), caller=who, ref=body.external_ref, data=body)
    location = url_for("api.get_case", case_id=case.id)
    return ok(_detail(case, who), 201 if created else 200, {"Location": location})


@api.get(
    "/cases/<int:case_id>",
    tags=[CASES],
    responses={200: s.CaseDetail, **documented(404)},
    operation_id="get_case",
)
def get_case(path: s.CasePath) -> Response:
    """一件案件：当事人、全部事件，以及此状态下每个操作本客户端现在能否执行（不能时说明原因）。"""
    return ok(_detail(_visible(path.case_id), caller()))


def _trigger_view(name: str) -> Any:
    body_model = s.trigger_body(name)

    def fire(path: s.CasePath, body: s.TriggerBody) -> Response:
        who = writer()
        if path.case_id > MAX_ID:
            raise NotFound(say("找不到该案件。"))
        data = body.data  # type: ignore[attr-defined]
        try:  # apply answers NotFound alike for no case and a case the client may not see
            changed = apply(
                session=db(),
                case_id=path.case_id,
                trigger=name,
                actor=who.user,
                data=data,
                expected_version=body.expected_version,
                who=who.actor,
            ).case
        except Refused as refused:  # its field is one of the data's: named by its path in the body
            field = f"data.{refused.field}" if refused.field else None
            raise ApiProblem(422, refused.code, refused.message, field=field) from None
        return ok(_detail(changed, who))

    fire.__name__ = f"fire_{name}"
    outcome = "200 与新状态；版本过期 409；不符合条件 422（code、field、detail）。"
    fire.__doc__ = f"{TRIGGERS[name].label}（{name}）：{outcome}"
    fire.__annotations__ = {"path": s.CasePath, "body": body_model, "return": Response}
    return fire


for _trigger in TRIGGERS:
    api.post(
        f"/cases/<int:case_id>/triggers/{_trigger.name}",
        tags=[CASES],
        responses={200: s.CaseDetail, **documented(403, 404, 409, 415)},
        operation_id=f"fire_{_trigger.name}",
    )(_trigger_view(_trigger.name))


# --- the change feed, statistics, the workflow --------------------------------------------------------
@api.get("/events", tags=[FEED], responses={200: s.EventPage}, operation_id="list_events")
def list_events(query: s.EventQuery) -> Response:
    """变更流：本客户端各社区的全部事件，按写入顺序；用上次的 next_after 作 after 继续读取。"""
    events = events_after(db(), caller(), after=query.after, limit=query.limit)
    last = events[-1].id if events else None
    return ok(
        s.EventPage(
            items=_events(events), next_after=last or query.after, has_more=len(events) == query.limit
        )
    )


def _number(value: Any) -> int | float | None:
    """A figure as JSON: counts stay whole, decimals (already rounded as shown) become numbers."""
    return value if value is None or isinstance(value, int) else float(value)


@api.get(
    "/stats/monthly",
    tags=[STATS],
    responses={200: s.MonthlyStats, **documented(403)},
    operation_id="monthly_stats",
)
def monthly(query: s.StatsQuery) -> Response:
    """月报数字：与统计页面、CSV 相同的数字（本客户端可见的社区）。"""
    who = caller()
    key = "all"
    if query.community:
        found = db().exec(select(Community.id).where(Community.short_name == query.community.strip())).first()
        if found is None:
            raise ApiProblem(422, "unknown_community", say("社区不存在。"), field="community")
        key = f"community:{found}"
    month = Month.parse(query.month)
    report = monthly_report(db(), resolve_scope(db(), who.actor, key), month)
    summary = [
        s.FigureOut(
            key=line.indicator.key,
            label=str(line.indicator.label),
            unit=str(line.indicator.unit),
            current=_number(line.current),
            previous=_number(line.previous),
            mom=_number(line.mom),
            last_year=_number(line.last_year),
            yoy=_number(line.yoy),
        )
        for line in report.summary()
    ]

    def rows(found: list[Any]) -> list[s.BreakdownOut]:
        return [
            s.BreakdownOut(
                key=r.key,
                label=str(r.label),
                accepted=r.accepted,
                success=r.success,
                failure=r.failure,
                success_rate=_number(r.success_rate),
            )
            for r in found
        ]

    workload = [
        s.WorkloadOut(**{k: v if isinstance(v, int) else str(v) for k, v in asdict(w).items()})
        for w in report.workload
    ]
    return ok(
        s.MonthlyStats(
            scope=report.scope.key,
            scope_label=str(report.scope.label),
            month=report.month.key,
            kept_at=_utc(report.kept_at),
            summary=summary,
            categories=rows(report.categories),
            sources=rows(report.sources),
            tiers=rows(report.tiers),
            communities=rows(report.communities),
            workload=workload,
        )
    )


@api.get("/workflow", tags=[WORKFLOW], responses={200: s.WorkflowOut}, operation_id="get_workflow")
def workflow() -> Response:
    """办案流程：状态、操作（从哪些状态到哪里、谁可以执行、要填什么）、条件。"""
    return ok(s.WorkflowOut(**describe()))
