"""导入台账: upload a community's old ledger, map its columns and values, see the dry run, import, and
download the refused rows. Staff of the community and admins (services.permissions.may_import_ledger).
The upload is kept (with its hash) between the steps, so correcting the mapping needs no new upload.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from models import LedgerImport, LedgerUpload
from services.db import DatabaseTrouble
from services.errors import Forbidden, Invalid, NotFound, ServiceError
from services.exports import safe_filename
from services.ledger import (
    FIELDS,
    STATUS_LABELS,
    CheckReport,
    LedgerError,
    check,
    import_upload,
    imports_of,
    recent_uploads,
    refused_xlsx,
    save_mapping,
    store_upload,
    visible_upload,
)
from services.ledger.check import first_ledger_sheet, stored_mapping
from services.ledger.reading import MAX_ROWS
from services.ledger.uploads import MAX_BYTES
from services.ledger.values import MAPPED_FIELDS, NOT_A_USER_LABEL, PEOPLES_CHOICES
from services.permissions import communities_for, may_import_ledger
from web.auth import current_actor
from web.base_form import SiteForm
from web.cases import acting_user
from web.catalog import lazy_gettext as _l
from web.catalog import lazy_pgettext
from web.database import db
from web.display import shown
from web.errors import form_again
from web.extensions import csrf
from workflow import State
from workflow.text import Text

bp = Blueprint("ledger", __name__, url_prefix="/ledger")
PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VALUE_LABELS = {
    "category": lazy_pgettext("one", "纠纷类型"),
    "result": _l("调解结果"),
    "agreement_kind": _l("协议形式"),
    "follow_up": _l("回访情况"),
    "source": _l("案件来源"),
    "mediator": _l("调解员"),
}


class CsrfForm(SiteForm):
    """The CSRF token of the page's forms (their other fields vary with the ledger)."""


@bp.before_request
def require_importer() -> None:
    if not current_user.is_authenticated:
        return None
    if not may_import_ledger(current_actor()):
        abort(403)
    return None


def _upload(upload_id: int) -> LedgerUpload:
    try:
        return visible_upload(db(), current_actor(), upload_id)
    except NotFound:
        abort(404)


def _said(why: ServiceError) -> Markup | str:
    """A service's message as the page shows it (a ledger's own words in it kept as written)."""
    return shown(why.text) if isinstance(why, LedgerError) else why.message


def _index(
    form: CsrfForm, error: Markup | str = "", chosen: int | None = None, status: int = 200
) -> tuple[str, int]:
    communities = [c for c in communities_for(db(), current_actor()) if c.id is not None]
    return (
        render_template(
            "ledger/index.html",
            title=_("导入台账"),
            form=form,
            communities=communities,
            chosen=chosen if chosen is not None else (communities[0].id if len(communities) == 1 else None),
            error=error,
            uploads=recent_uploads(db(), current_actor()),
            fields=FIELDS,
            max_mb=MAX_BYTES // 1024 // 1024,
            max_rows=MAX_ROWS,
        ),
        status,
    )


@bp.get("/")
@login_required
def index() -> Any:
    return _index(CsrfForm())


@bp.post("/")
@csrf.exempt  # checked below, once the larger limit of a ledger upload is set (the site-wide check reads
@login_required  # the form first, under the site's 5 MB limit)
def upload() -> Any:
    """Keep the file if it reads as a ledger, then go to its mapping; else say why, on the same page."""
    request.max_content_length = MAX_BYTES + 1024 * 1024
    form = CsrfForm()
    chosen = request.form.get("community_id", type=int)
    if not form.validate():
        return _index(form, _("表单已过期，请重新选择文件上传。"), chosen, 400)
    if chosen is None or not may_import_ledger(current_actor(), chosen):
        return _index(form, _("请选择要导入台账的社区。"), chosen, 422)
    file = request.files.get("file")
    content = file.read() if file else b""
    if not file or not file.filename:
        return _index(form, _("请选择台账文件（.xlsx、.xls 或 .csv）。"), chosen, 422)
    try:
        first_ledger_sheet(content, file.filename, stored_mapping(db(), chosen)[0])
        kept = store_upload(
            db(),
            who=current_actor(),
            community_id=chosen,
            filename=file.filename,
            content=content,
            user_id=current_actor().id,
        )
    except ServiceError as why:
        return _index(form, _said(why), chosen, 422)
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: _index(form, "", chosen, 503)[0])
    return redirect(url_for(".mapping", upload_id=kept.id), 303)


def _unreadable(upload: LedgerUpload, message: Markup | str) -> tuple[str, int]:
    return render_template("ledger/unreadable.html", title=_("导入台账"), upload=upload, message=message), 422


def _report(upload: LedgerUpload, **choices: Any) -> CheckReport | Markup | str:
    """The dry run, or why the file cannot be read as a ledger."""
    try:
        return check(db(), upload=upload, **choices)
    except LedgerError as why:
        return _said(why)


@bp.get("/<int:upload_id>/mapping")
@login_required
def mapping(upload_id: int) -> Any:
    upload = _upload(upload_id)
    report = _report(upload)
    if not isinstance(report, CheckReport):
        return _unreadable(upload, report)
    return _mapping_page(upload, report)


def _mapping_page(upload: LedgerUpload, report: CheckReport, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "ledger/mapping.html",
            title=_("对应台账的列和取值"),
            upload=upload,
            report=report,
            fields=FIELDS,
            value_labels=VALUE_LABELS,
            peoples_choices=PEOPLES_CHOICES,
            not_a_user=NOT_A_USER_LABEL,
            form=CsrfForm(),
        ),
        status,
    )


@bp.post("/<int:upload_id>/mapping")
@login_required
def save(upload_id: int) -> Any:
    """Remember the choices for the community, then show the dry run with them."""
    upload = _upload(upload_id)
    form = CsrfForm()
    if not form.validate():
        abort(400)
    columns = {k[4:]: v for k, v in request.form.items() if k.startswith("col:")}
    values: dict[str, dict[str, str]] = {}
    for key, target in request.form.items():
        if key.startswith("val:"):
            _prefix, field, raw = key.split(":", 2)
            if field in MAPPED_FIELDS:
                values.setdefault(field, {})[raw] = target
    report = _report(upload, columns=columns, values=values)
    if not isinstance(report, CheckReport):
        return _unreadable(upload, report)
    if report.blocking:
        return _mapping_page(upload, report, 422)
    try:
        save_mapping(
            db(), community_id=upload.community_id, columns=columns, values=values, user_id=current_actor().id
        )
    except Invalid as why:
        report.blocking.append(Text(why.message))  # said already, in the reader's language
        return _mapping_page(upload, report, 422)
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: _mapping_page(upload, report, 503)[0])
    flash(_("对应关系已保存（本社区下次导入时沿用）。"), "success")
    return redirect(url_for(".dry_run", upload_id=upload_id), 303)


@bp.get("/<int:upload_id>/check")
@login_required
def dry_run(upload_id: int) -> Any:
    """The dry run: what importing would create, row by row, and every row that cannot be imported."""
    upload = _upload(upload_id)
    report = _report(upload)
    if not isinstance(report, CheckReport):
        return _unreadable(upload, report)
    if report.blocking:
        return _mapping_page(upload, report, 422)
    return _dry_run_page(upload, report)


def _dry_run_page(upload: LedgerUpload, report: CheckReport, status: int = 200) -> tuple[str, int]:
    show = request.args.get("show", "refused" if report.counts["refused"] else "new")
    if show not in STATUS_LABELS:
        show = "new"
    rows = [r for r in report.rows if r.status == show]
    pages = max(1, (len(rows) + PAGE - 1) // PAGE)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    page_html = render_template(
        "ledger/check.html",
        title=_("导入前检查"),
        upload=upload,
        report=report,
        show=show,
        rows=rows[(page - 1) * PAGE : page * PAGE],
        page={"page": page, "pages": pages},
        statuses=STATUS_LABELS,
        state_labels={s.value: s.label for s in State},
        imports=imports_of(db(), upload.id or 0),
        form=CsrfForm(),
    )
    return page_html, status


@bp.post("/<int:upload_id>/import")
@login_required
def run(upload_id: int) -> Response:
    upload = _upload(upload_id)
    if not CsrfForm().validate():
        abort(400)
    try:
        result = import_upload(db(), upload_id=upload.id or 0, actor=acting_user(), who=current_actor())
    except Forbidden:
        abort(403)
    except ServiceError as why:
        flash(why.message, "error")
        return redirect(url_for(".dry_run", upload_id=upload_id), 303)
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: _dry_run_again(upload))
    message = _(
        "已导入 %(created)s 件案件；已导入过 %(skipped)s 行；不能导入 %(refused)s 行。",
        created=result.created,
        skipped=result.skipped,
        refused=result.refused,
    )
    if result.months_taken_again:
        message += _(" 已重新定稿 %(n)s 个月的统计。", n=len(result.months_taken_again))
    flash(message, "success")
    return redirect(url_for(".done", upload_id=upload_id, import_id=result.import_id), 303)


def _dry_run_again(upload: LedgerUpload) -> str:
    """The dry run page once more (after a database fault: its confirm button, nothing imported)."""
    report = _report(upload)
    if not isinstance(report, CheckReport):
        return _unreadable(upload, report)[0]
    return _dry_run_page(upload, report, 503)[0]


@bp.get("/<int:upload_id>/imports/<int:import_id>")
@login_required
def done(upload_id: int, import_id: int) -> str:
    upload = _upload(upload_id)
    run = db().get(LedgerImport, import_id)
    if run is None or run.upload_id != upload.id:
        abort(404)
    return render_template("ledger/done.html", title=_("导入结果"), upload=upload, run=run)


@bp.get("/<int:upload_id>/refused.xlsx")
@login_required
def refused(upload_id: int) -> Response:
    """The rows not imported, with their reasons, to fix and import again."""
    upload = _upload(upload_id)
    with force_locale("zh"):  # filed in Chinese like the other exports: it goes back into the ledger
        report = _report(upload)
        if not isinstance(report, CheckReport) or report.blocking:
            abort(404)
        data = refused_xlsx(report)
    name = f"{safe_filename(upload.filename.rsplit('.', 1)[0])}_未导入的行.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
