"""Attachments on the case page: upload (several files at once), download, thumbnail, withdraw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import BooleanField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from models import Agreement, Attachment, Case
from services.attachments import (
    MAX_NOTE,
    MAX_REASON,
    CaseFiles,
    case_files,
    download_name,
    open_file,
    upload,
    withdraw,
)
from services.attachments_content import Limits
from services.attachments_files import FileStore
from services.db import INT_MAX, DatabaseTrouble
from services.errors import Forbidden, Invalid, NotFound
from services.permissions import may_attach, may_open_attachment, may_withdraw_attachment
from web.auth import current_actor
from web.base_form import SiteForm
from web.case_forms import ChoiceField, options
from web.cases import bp, load_case, render_case
from web.catalog import lazy_gettext as _l
from web.database import db
from web.display import cn_datetime, file_size, keep
from web.errors import error_page, form_again
from workflow import Actor
from workflow.papers import PAPER_KINDS, kind_label
from workflow.text import say_n

UPLOAD_ENDPOINT = "cases.upload_attachments"
KIND_CHOICES = (("", _l("请选择")), *((k.key, k.label) for k in PAPER_KINDS))


class AttachmentForm(SiteForm):
    """The upload form; the files themselves are read from the request (several at once)."""

    # ids of their own: the case page's step forms have fields named kind and note too.
    kind = ChoiceField(
        _l("材料类别"),
        id="attach-kind",
        choices=options(KIND_CHOICES),
        validators=[DataRequired(_l("请选择材料类别。"))],
    )
    files = MultipleFileField(_l("文件"), id="attach-files")
    id_numbers = BooleanField(
        _l("含当事人身份证号码（仅本社区工作人员和承办人可查看）"), id="attach-id_numbers"
    )
    note = StringField(
        _l("说明"),
        id="attach-note",
        validators=[Length(max=MAX_NOTE, message=_l("说明不能超过 %(n)s 个字。", n=MAX_NOTE))],
    )


class WithdrawForm(SiteForm):
    reason = TextAreaField(
        _l("撤回理由"),
        validators=[
            DataRequired(_l("请填写撤回理由。")),
            Length(max=MAX_REASON, message=_l("撤回理由不能超过 %(n)s 个字。", n=MAX_REASON)),
        ],
    )


def store() -> FileStore:
    return FileStore(current_app.config["FILES_DIR"])


def limits() -> Limits:
    cfg = current_app.config
    return Limits(
        max_bytes=int(cfg["ATTACHMENT_MAX_BYTES"]),
        max_pixels=int(cfg["ATTACHMENT_MAX_PIXELS"]),
        min_free_bytes=int(cfg["ATTACHMENT_MIN_FREE_BYTES"]),
    )


_PLACEHOLDER = INT_MAX  # an attachment id put in a URL once, replaced by each row's own


def _urls_of(endpoint: str, case_id: int) -> Callable[[int], str]:
    """``url_for(endpoint, case_id=…, attachment_id=…)`` for the attachments of one case, the URL built
    once: werkzeug builds one in some 15 µs, and the case page links each attachment up to three times."""
    pattern, placeholder = url_for(endpoint, case_id=case_id, attachment_id=_PLACEHOLDER), str(_PLACEHOLDER)
    if pattern.count(placeholder) != 1:  # the case's own id holds those digits: build each one
        return lambda attachment_id: url_for(endpoint, case_id=case_id, attachment_id=attachment_id)
    head, _placeholder, tail = pattern.partition(placeholder)
    return lambda attachment_id: f"{head}{attachment_id}{tail}"


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """One attachment as the list shows it: what this user may do with it, its links, and its line of
    kind · size · pages · who uploaded it when · note, escaped and ready to show."""

    a: Attachment
    openable: bool
    withdrawable: bool
    download_url: str
    thumbnail_url: str | None
    withdraw_url: str
    about: Markup
    downloads: list[Markup]


_UPLOADED = _l("%(who)s 上传于 %(when)s")


def attachment_rows(actor: Actor, case: Case, files: CaseFiles) -> list[AttachmentRow]:
    """The rows of the case's attachment list, newest first."""
    if not files.items:  # most case pages: no links to build
        return []
    download = _urls_of("cases.download_attachment", case.id or 0)
    thumbnail = _urls_of("cases.attachment_thumbnail", case.id or 0)
    withdraw_url = _urls_of("cases.withdraw_attachment", case.id or 0)
    uploaded, dot = str(_UPLOADED), Markup(" · ")
    out = []
    for a in files.items:
        aid = a.id or 0
        openable = may_open_attachment(actor, case, id_numbers=a.id_numbers)
        about = [kind_label(a.kind), file_size(a.size)]
        if a.pages:
            about.append(say_n("%(num)s 页", "%(num)s 页", a.pages))
        name = keep(files.users.get(a.uploaded_by_id, "—"))
        about.append(Markup(uploaded) % {"who": name, "when": cn_datetime(a.uploaded_at)})
        if a.note:
            about.append(keep(a.note))
        out.append(
            AttachmentRow(
                a=a,
                openable=openable,
                withdrawable=not a.withdrawn
                and may_withdraw_attachment(actor, case, uploaded_by=a.uploaded_by_id),
                download_url=download(aid),
                thumbnail_url=thumbnail(aid) if openable and a.thumbnail else None,
                withdraw_url=withdraw_url(aid),
                about=dot.join(about),
                downloads=[
                    dot.join((keep(files.users.get(d.user_id, "—")), cn_datetime(d.at)))
                    for d in files.downloads.get(aid, [])
                ],
            )
        )
    return out


def section(
    case: Case,
    agreements: list[Agreement] | None = None,
    form: AttachmentForm | None = None,
    failures: list[tuple[str, str]] | None = None,
    withdrawing: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """What the case page's attachments section shows (templates/cases/_attachments.html); after a refused
    upload its form as typed and the files refused, after a refused withdrawal the reason as typed.
    ``agreements``: the case's agreements as the page has read them."""
    actor = current_actor()
    files = case_files(db(), actor, case, agreements)
    return {
        "files": files,
        "attachment_rows": attachment_rows(actor, case, files),
        "attach_form": form or AttachmentForm(formdata=None),
        "attach_failures": failures or [],
        "may_attach": may_attach(actor, case),
        "withdrawing": withdrawing,
        "upload_limits": limits(),
        "max_files": int(current_app.config["ATTACHMENT_MAX_FILES"]),
    }


@bp.post("/<int:case_id>/attachments")
@login_required
def upload_attachments(case_id: int) -> Any:
    """Attach the chosen files, each on its own: those refused are listed with the reason, the rest kept."""
    case = load_case(case_id)
    form = AttachmentForm()
    chosen = [f for f in request.files.getlist("files") if f and f.filename]
    valid = form.validate()  # (clears every field's errors first)
    most = int(current_app.config["ATTACHMENT_MAX_FILES"])
    if not chosen:
        form.files.errors = [_("请选择要上传的文件。")]
    elif len(chosen) > most:
        form.files.errors = [_("一次最多上传 %(n)s 个文件。", n=most)]
    if not valid or form.files.errors:
        again = {"form": form}
        return render_case(case, problem=_("请修改标出的内容后再上传。"), status=422, attach=again)
    if not may_attach(current_actor(), case):
        return error_page(403, _("只有本社区工作人员和本案承办人可以添加材料。"))
    limit = limits()
    kept, failures = 0, []
    try:
        for f in chosen:
            try:
                upload(
                    session=db(),
                    store=store(),
                    actor=current_actor(),
                    case_id=case_id,
                    kind=form.kind.data,
                    name=f.filename or "",
                    data=f.stream.read(limit.max_bytes + 1),
                    limits=limit,
                    id_numbers=bool(form.id_numbers.data),
                    note=form.note.data or "",
                )
                kept += 1
            except (Invalid, Forbidden) as err:
                failures.append((f.filename or "", err.message))
    except NotFound:
        return error_page(404, _("找不到该案件。"))
    except DatabaseTrouble as trouble:
        db().rollback()
        again = {"form": form, "failures": failures}
        return form_again(trouble, lambda: render_case(load_case(case_id), attach=again)[0])
    if failures:
        problem = _("%(bad)s 个文件未保存（见下方原因）", bad=len(failures))
        if kept:
            problem = _("已保存 %(n)s 个文件；", n=kept) + problem
        again = {"form": form, "failures": failures}
        return render_case(load_case(case_id), problem=problem, status=422, attach=again)
    flash(_("已添加 %(n)s 个文件。", n=kept), "success")
    return redirect(url_for(".show", case_id=case_id, _anchor="attachments"), 303)


def _served(path: Any, *, mimetype: str, name: str | None) -> Response:
    """A kept file: never sniffed, never run as a page; a download unless it is our own thumbnail."""
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=name is not None,
        download_name=name,
        max_age=0,
        conditional=False,
    )
    if name is None:
        response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def _open(case_id: int, attachment_id: int, *, thumbnail: bool) -> Any:
    try:
        row, path = open_file(
            session=db(),
            store=store(),
            actor=current_actor(),
            case_id=case_id,
            attachment_id=attachment_id,
            thumbnail=thumbnail,
        )
    except NotFound as err:
        return error_page(404, err.message)
    except Forbidden as err:
        return error_page(403, err.message)
    if thumbnail:
        return _served(path, mimetype="image/jpeg", name=None)
    return _served(path, mimetype=row.content_type, name=download_name(row))


@bp.get("/<int:case_id>/attachments/<int:attachment_id>")
@login_required
def download_attachment(case_id: int, attachment_id: int) -> Any:
    return _open(case_id, attachment_id, thumbnail=False)


@bp.get("/<int:case_id>/attachments/<int:attachment_id>/thumbnail")
@login_required
def attachment_thumbnail(case_id: int, attachment_id: int) -> Any:
    return _open(case_id, attachment_id, thumbnail=True)


@bp.post("/<int:case_id>/attachments/<int:attachment_id>/withdraw")
@login_required
def withdraw_attachment(case_id: int, attachment_id: int) -> Any:
    """Withdraw one attachment with a reason; a refusal shows the page with the reason as typed."""
    case = load_case(case_id)
    form = WithdrawForm()
    typed = (attachment_id, form.reason.data or "")
    if not form.validate():
        message = next(iter(form.reason.errors), _("请填写撤回理由。"))
        problem = _("未能撤回：%(why)s", why=message)
        return render_case(case, problem=problem, status=422, attach={"withdrawing": typed})
    try:
        withdraw(
            session=db(),
            actor=current_actor(),
            case_id=case_id,
            attachment_id=attachment_id,
            reason=form.reason.data or "",
        )
    except NotFound as err:
        return error_page(404, err.message)
    except Forbidden as err:
        return error_page(403, err.message)
    except Invalid as err:
        problem = _("未能撤回：%(why)s", why=err.message)
        return render_case(case, problem=problem, status=422, attach={"withdrawing": typed})
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: render_case(load_case(case_id), attach={"withdrawing": typed})[0])
    flash(_("材料已撤回（保留在卷宗记录中）。"), "success")
    return redirect(url_for(".show", case_id=case_id, _anchor="attachments"), 303)
