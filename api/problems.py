"""Errors of the API as ``application/problem+json`` (RFC 9457), each with a stable ``code``.

Never an HTML page and never a 500 for bad input: the services' refusals (ServiceError, the workflow's
Refused) and the HTTP errors of the API's paths all come out here.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import HTTPException

from services.api_clients import RateLimited
from services.db import DatabaseTrouble
from services.errors import Conflict, Forbidden, NotFound, ServiceError, StaleCase
from services.inputs import Problem as InputProblem
from services.inputs import problems
from workflow import Refused
from workflow.text import Text, _, say

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:tiaojie:problem:"


class ProblemItem(BaseModel):
    code: str = Field(description="稳定的错误代码")
    field: str | None = Field(None, description="出错的字段（路径，如 parties.0.phone）")
    message: str = Field(description="给人看的说明")


class Problem(BaseModel):
    """An error (RFC 9457): ``code`` is stable, ``detail`` says why in Chinese (or the Accept-Language)."""

    type: str = Field(description="urn:tiaojie:problem:<code>")
    title: str
    status: int
    detail: str
    code: str
    field: str | None = None
    errors: list[ProblemItem] = Field(default_factory=list, description="每一处错误（输入校验时）")


TITLES: dict[int, Text] = {
    400: _("请求无效"),
    401: _("需要有效的令牌"),
    403: _("无权执行此操作"),
    404: _("找不到"),
    405: _("不支持此方法"),
    409: _("冲突"),
    413: _("请求内容过大"),
    415: _("请求须为 JSON"),
    422: _("无法处理的内容"),
    429: _("请求过于频繁"),
    500: _("服务器出错"),
    503: _("暂时无法处理"),
}
ERROR = _("错误")
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


class ApiProblem(Exception):
    """Raised in the API's code: answered as a problem."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        errors: list[InputProblem] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.field = status, code, detail, field
        self.headers = headers or {}
        self.errors = errors or []


def response(problem: ApiProblem) -> Response:
    body = Problem(
        type=TYPE_PREFIX + problem.code,
        title=str(TITLES.get(problem.status, ERROR)),
        status=problem.status,
        detail=problem.detail,
        code=problem.code,
        field=problem.field,
        errors=[ProblemItem(code=e.code, field=e.field, message=e.message) for e in problem.errors]
        or [ProblemItem(code=problem.code, field=problem.field, message=problem.detail)],
    )
    resp = Response(body.model_dump_json(), status=problem.status, mimetype=MEDIA_TYPE)
    resp.headers.update(problem.headers)
    return resp


def of_service(error: ServiceError | Refused) -> ApiProblem:
    """A service's refusal as the API answers it."""
    if isinstance(error, Refused):
        return ApiProblem(422, error.code, error.message, field=error.field)
    status = 422
    headers: dict[str, str] = {}
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, StaleCase | Conflict):
        status = 409
    elif isinstance(error, Forbidden):
        status = 403
    elif isinstance(error, RateLimited):
        status, headers = 429, {"Retry-After": str(error.retry_after)}
    elif error.code == "unauthorized":
        status, headers = 401, {"WWW-Authenticate": 'Bearer realm="tiaojie"'}
    return ApiProblem(status, error.code, error.message, field=error.field, headers=headers)


# Pydantic models by name: a ValidationError names its model, and the messages want its field titles.
MODELS: dict[str, type[BaseModel]] = {}


def of_validation(error: ValidationError) -> ApiProblem:
    """Bad input (body, query or path) as one 422 listing each problem in our words."""
    found = problems(error, MODELS.get(error.title, BaseModel))
    first = found[0]
    return ApiProblem(422, first.code, first.message, field=first.field, errors=found)


def validation_response(error: ValidationError) -> Response:
    """flask-openapi3's hook for a request that fails its models."""
    return response(of_validation(error))


def of_http(error: HTTPException) -> ApiProblem:
    status = error.code or 500
    detail = {
        404: say("找不到该资源。"),
        405: say("此地址不支持该方法。"),
        413: say("请求内容过大。"),
        500: say("服务器出错了，请求没有执行。"),
    }.get(status, str(TITLES.get(status, ERROR)))
    headers: dict[str, Any] = {}
    methods = getattr(error, "valid_methods", None)
    if status == 405 and methods:
        headers["Allow"] = ", ".join(methods)
    return ApiProblem(status, HTTP_CODES.get(status, "error"), detail, headers=headers)


def of_trouble(trouble: DatabaseTrouble) -> ApiProblem:
    """The database cannot do this now (busy, away, read-only, disk full): 503 with ``Retry-After``; the
    code names the kind (database_busy, database_unavailable, database_read_only, disk_full)."""
    code = re.sub(r"(?<!^)(?=[A-Z])", "_", type(trouble).__name__).lower()
    headers = {"Retry-After": str(trouble.retry_after)}
    return ApiProblem(503, code, str(trouble.message), headers=headers)


def documented(*statuses: int) -> dict[str, dict[str, Any]]:
    """OpenAPI responses for these error statuses, all problem+json (with their headers)."""
    out: dict[str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": TITLES[status].source,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status in (429, 503):
            entry["headers"] = {"Retry-After": {"description": "秒", "schema": {"type": "integer"}}}
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        out[str(status)] = entry
    return out
