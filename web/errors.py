"""Error pages: every error a user can cause gets a clear page, never a bare 500."""

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def init_app(app: Flask) -> None:
    from api import http_problem, is_api_request

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError) -> tuple[str, int]:
        message = _("表单已过期或缺少安全令牌，请刷新页面后重新提交。")
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        if is_api_request():
            return http_problem(err)
        code = err.code or 500
        return render_template("error.html", code=code, message=MESSAGES.get(code, err.description)), code

    @app.errorhandler(Exception)
    def server_error(err: Exception) -> Any:
        app.logger.exception("unhandled error")
        if is_api_request():
            return http_problem(InternalServerError())
        return render_template("error.html", code=500, message=MESSAGES[500]), 500
