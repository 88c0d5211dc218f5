"""The JSON API (/api/v1) for city platforms: cases in, cases and their events out, the month's figures.

Built with flask-openapi3 from pydantic models (api.schemas); the OpenAPI 3.1 document is at
/api/v1/openapi.json and its docs page at /api/v1/docs (Swagger UI, vendored). A client authenticates with
a bearer token (services.api_clients); the session cookie of the site is never read here, so a browser
cannot write through the API, and a token opens no web page.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_openapi3 import Info, OpenAPI
from werkzeug.exceptions import HTTPException, InternalServerError

from api.problems import Problem, of_http, of_trouble, response, validation_response
from services.db import DatabaseTrouble


def openapi_options() -> dict[str, Any]:
    """What the app (flask_openapi3.OpenAPI) needs to describe the API and answer bad input."""
    return {
        "info": Info(
            title="人民调解案件管理 API",
            version="1.0.0",
            description=(
                "城市平台（综治中心/矛调中心、12345 热线、网格）与社区调解系统交换案件。"
                "每个请求带 `Authorization: Bearer <令牌>`；令牌由管理员创建（系统管理 → 接口客户端，"
                "或 `flask api-client create`）。错误为 application/problem+json，`code` 稳定。"
            ),
        ),
        "security_schemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "doc_ui": False,
        "validation_error_status": 422,
        "validation_error_model": Problem,
        "validation_error_callback": validation_response,
    }


def register(app: Flask) -> None:
    from api.views import api
    from web.errors import ELSEWHERE
    from web.extensions import csrf

    csrf.exempt(api)
    assert isinstance(app, OpenAPI)
    app.register_api(api)
    app.extensions.setdefault(ELSEWHERE, []).append(answer_error)


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document (built once; Problem is in it as the validation error model)."""
    assert isinstance(app, OpenAPI)
    return app.api_doc


def is_api_request() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/")


def answer_error(error: Exception) -> Response | None:
    """An error the page handlers caught on an API path (unknown URL, wrong method, too large, the
    database in trouble, a bug) as a problem; None elsewhere, where the error pages answer."""
    if not is_api_request():
        return None
    if isinstance(error, DatabaseTrouble):
        return response(of_trouble(error))
    if isinstance(error, HTTPException):
        return response(of_http(error))
    return response(of_http(InternalServerError()))
