"""Statistics page and the monthly exports (report and case list, CSV and XLSX).

The page follows the site's language; the exported files are always in Chinese (services.exports).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, make_response, render_template, request, send_file
from flask_babel import force_locale, gettext
from flask_login import login_required
from werkzeug.wrappers import Response

from services.errors import Forbidden, Invalid
from services.exports import Table, case_table, cases_filename, to_csv, to_xlsx
from services.permissions import may_view_statistics
from services.statistics.months import FIRST, LAST, Month
from services.statistics.report import Indicator, Report, monthly_report, total_row
from services.statistics.report_tables import report_filename, report_tables
from services.statistics.scope import Scope, resolve_scope, scope_choices
from web.auth import current_actor
from web.converters import db_id
from web.database import db

bp = Blueprint("stats", __name__, url_prefix="/stats")

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.context_processor
def helpers() -> dict[str, Any]:
    return {"fig": fig, "delta": delta, "pct": pct, "total_row": total_row}


def fig(value: int | Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return "—"
    if indicator.kind == "amount":
        return f"{value:,.2f}"
    return str(value)


def delta(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return "—"
    return gettext("%(change)s个百分点", change=f"{value:+}") if indicator.kind == "rate" else f"{value:+}%"


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _month_and_scope() -> tuple[Month, Scope]:
    """The month and scope asked for: 403 outside the user's scope, 400 for a bad month, 404 for no scope."""
    actor = current_actor()
    if not may_view_statistics(actor):
        abort(403)
    raw_month = request.args.get("month")
    try:
        month = Month.parse(raw_month) if raw_month else Month.of()
    except Invalid as why:
        abort(make_response(render_template("error.html", code=400, message=why.message), 400))
    key = request.args.get("scope")
    kind, _, ident = (key or "").strip().partition(":")
    if kind == "community" and not _is_db_id(ident):
        abort(404)  # no such community (and no number a query could take)
    try:
        scope = resolve_scope(db(), actor, key)
    except Forbidden:
        abort(403)
    except Invalid:
        abort(404)
    return month, scope


def _is_db_id(text: str) -> bool:
    try:
        db_id(text)
    except ValueError:
        return False
    return True


def chart_data(report: Report) -> dict[str, Any]:
    """What static/js/stats.js draws: the 12-month trend and the month by category and by tier."""
    return {
        "trend": {
            "labels": [p.month.key for p in report.trend],
            "accepted": [p.accepted for p in report.trend],
            "success": [p.success for p in report.trend],
        },
        "names": {"accepted": gettext("受理数"), "success": gettext("调解成功数")},
        "categories": {
            "labels": [str(r.label) for r in report.categories if r.accepted],
            "accepted": [r.accepted for r in report.categories if r.accepted],
        },
        "tiers": {
            "labels": [str(r.label) for r in report.tiers],
            "accepted": [r.accepted for r in report.tiers],
        },
    }


@bp.get("/")
@login_required
def index() -> str:
    month, scope = _month_and_scope()
    report = monthly_report(db(), scope, month)
    return render_template(
        "stats/index.html",
        report=report,
        month=month,
        scope=scope,
        choices=scope_choices(db(), current_actor()),
        charts=chart_data(report),
        months=(FIRST, LAST),
        title=gettext("统计报表"),
    )


def _download(tables: list[Table], name: str, ext: str) -> Response:
    data = to_csv(tables) if ext == "csv" else to_xlsx(tables)  # the caller holds force_locale("zh")
    response = send_file(io.BytesIO(data), mimetype=MIMETYPES[ext], as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.<any(csv, xlsx):ext>")
@login_required
def export(ext: str) -> Response:
    month, scope = _month_and_scope()
    with force_locale("zh"):  # the monthly report is filed in Chinese
        report = monthly_report(db(), scope, month)
        return _download(report_tables(report), report_filename(report, ext), ext)


@bp.get("/cases.<any(csv, xlsx):ext>")
@login_required
def cases(ext: str) -> Response:
    month, scope = _month_and_scope()
    with force_locale("zh"):  # the case list is filed in Chinese
        return _download([case_table(db(), scope, month)], cases_filename(scope, month, ext), ext)
