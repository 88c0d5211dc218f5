"""Administration of the reminders and clocks: holiday overrides (节假日安排) and the delivery log.

Routes on the admin blueprint (web/admin.py: admin role only).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from services import clock
from services.db import DatabaseTrouble
from services.errors import Invalid
from services.reminders import CHANNEL_LABELS, STATUS_LABELS, delivery_log, failure_text
from services.workdays import all_overrides, delete_override, set_override, uncovered_years
from web.admin import _events, _show_invalid, bp
from web.auth import current_actor
from web.base_form import SiteForm
from web.case_forms import CnDateField
from web.catalog import lazy_gettext as _l
from web.database import db
from web.display import cn_date
from web.errors import form_again
from workflow.workdays import package_years


class HolidayForm(SiteForm):
    day = CnDateField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    kind = RadioField(
        _l("安排"),
        choices=[
            SelectChoice("off", _l("放假（法定节假日）")),
            SelectChoice("work", _l("上班（调休工作日）")),
        ],
        validators=[InputRequired(_l("请选择放假或上班。"))],
    )
    note = StringField(_l("说明"), validators=[Length(max=100, message=_l("说明最多 100 个字。"))])


def _holidays_page(form: HolidayForm | None = None, status: int = 200) -> tuple[str, int]:
    years = package_years()
    page = render_template(
        "desk/admin_holidays.html",
        form=form or HolidayForm(),
        overrides=all_overrides(db()),
        first_year=years[0],
        last_year=years[-1],
        uncovered=uncovered_years(db(), clock.local_date()),
        history=[e for e in _events(500) if e[0].action in ("set_holiday", "delete_holiday")][:30],
        title=_("节假日安排"),
    )
    return page, status


@bp.get("/holidays")
def holidays() -> tuple[str, int]:
    return _holidays_page()


@bp.post("/holidays")
def holiday_set() -> Any:
    form = HolidayForm()
    if not form.validate_on_submit():
        return _holidays_page(form, 422)
    assert form.day.data is not None
    try:
        set_override(
            session=db(),
            actor=current_actor(),
            day=form.day.data,
            working=form.kind.data == "work",
            note=form.note.data or "",
        )
    except Invalid as why:
        _show_invalid(form, why)
        return _holidays_page(form, 422)
    except DatabaseTrouble as trouble:
        return form_again(trouble, lambda: _holidays_page(form)[0])
    flash(_("已保存 %(day)s 的安排。", day=cn_date(form.day.data)), "success")
    return redirect(url_for("admin.holidays"), 303)


@bp.post("/holidays/<day>/delete")
def holiday_delete(day: str) -> Response:
    try:
        which = date.fromisoformat(day)
    except ValueError:
        abort(404)
    try:
        delete_override(session=db(), actor=current_actor(), day=which)
    except Invalid as why:
        flash(why.message, "error")
    else:
        flash(_("已删除 %(day)s 的安排。", day=cn_date(which)), "success")
    return redirect(url_for("admin.holidays"), 303)


@bp.get("/deliveries")
def deliveries() -> str:
    status = request.args.get("status") or None
    if status not in STATUS_LABELS:
        status = None
    return render_template(
        "desk/admin_deliveries.html",
        rows=delivery_log(db(), status=status),
        status=status,
        statuses=STATUS_LABELS,
        channels=CHANNEL_LABELS,
        failure=failure_text,
        title=_("提醒发送记录"),
    )
