"""Error pages: every error a user can cause gets a clear page, never a bare 500; a database that is busy,
away, read-only or full gets 503 with ``Retry-After`` and a page that renders without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, flash, render_template, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.db import DatabaseTrouble
from web.catalog import lazy_gettext as _l
from web.database import close_session
from web.extensions import LOCALES

MESSAGES = {
    400: _l("请求无效。"),
    403: _l("您无权访问此页面。"),
    404: _l("找不到该页面或案件。"),
    405: _l("不支持此操作方式。"),
    413: _l("上传的内容过大。"),
    422: _l("提交的内容有误。"),
    429: _l("操作过于频繁，请稍后再试。"),
    500: _l("服务器出错了，您的操作没有保存。请稍后再试。"),
}


def error_page(code: int, message: Any) -> tuple[str, int]:
    """The error page in the site's frame; without the frame when drawing it fails (it reads the user
    from the database)."""
    try:
        return render_template("error.html", code=code, message=message), code
    except DatabaseTrouble as trouble:
        current_app.logger.warning("error page without the site's frame: %s", trouble.detail)
    except Exception:
        current_app.logger.exception("error page without the site's frame")
    return bare_page(code, message), code


def bare_page(code: int, message: Any) -> str:
    """The error page with nothing that reads the database: no user, no menu, the language of the browser
    session, and none of the context processors (Flask-Login's loads the user)."""
    close_session()  # a session whose connection failed must not be used again in this request
    locale = session.get("locale")
    with force_locale(locale if locale in LOCALES else "zh"):
        template = current_app.jinja_env.get_template("error.html")
        return template.render(code=code, message=str(message), bare=True)


def unavailable(trouble: DatabaseTrouble, body: str | None = None) -> Response:
    """503 with ``Retry-After``: ``body`` (the form again, with what was typed), else the error page."""
    response = current_app.make_response((body if body is not None else bare_page(503, trouble.message), 503))
    response.headers["Retry-After"] = str(trouble.retry_after)
    return response


def let_go(trouble: BaseException) -> None:
    """Drop the frames of a database fault's tracebacks (its message is logged already).

    They hold the driver's cursor of the failed statement: a SQLite connection discarded after a failed
    write (a full disk, a read-only file) closes for good, and gives up the file's write lock, only
    when that cursor goes; kept in the traceback's reference cycle, it waited for Python's garbage
    collector, and every write meanwhile waited out the busy timeout (measured: an insert into "case",
    whose trigger reads the vocabulary, on a full disk).
    """
    chain: list[BaseException] = []
    link: BaseException | None = trouble
    while link is not None and link not in chain:
        chain.append(link)
        link.__traceback__ = None
        link = link.__cause__ or link.__context__


def form_again(trouble: DatabaseTrouble, page: Callable[[], str]) -> Response:
    """After a database fault in a form's POST: the form again with what was typed and why nothing was
    saved (503); the plain 503 page when even the form cannot be shown."""
    current_app.logger.warning("database: %s", trouble.detail)
    let_go(trouble)
    try:
        flash(str(trouble.message), "error")  # the user's language may be read from the database
        return unavailable(trouble, page())
    except DatabaseTrouble:
        session.pop("_flashes", None)
        return unavailable(trouble)


# Answers for errors of requests that are not for pages (the JSON API adds its own: api.register). Each
# takes the error and gives a response, or None to let the page handlers below answer; web/ imports none.
ELSEWHERE = "error_answers"


def _elsewhere(err: Exception) -> Response | None:
    for answer in current_app.extensions.get(ELSEWHERE, ()):
        found = answer(err)
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError) -> tuple[str, int]:
        return error_page(400, _("表单已过期或缺少安全令牌，请刷新页面后重新提交。"))

    @app.errorhandler(DatabaseTrouble)
    def database_trouble(err: DatabaseTrouble) -> Response:
        app.logger.warning("database: %s", err.detail)
        let_go(err)
        return _elsewhere(err) or unavailable(err)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        found = _elsewhere(err)
        if found is not None:
            return found
        code = err.code or 500
        return error_page(code, MESSAGES.get(code, err.description))

    @app.errorhandler(Exception)
    def server_error(err: Exception) -> Any:
        app.logger.exception("unhandled error")
        return _elsewhere(err) or error_page(500, MESSAGES[500])
