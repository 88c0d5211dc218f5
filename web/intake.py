"""Intake: staff register a complaint (登记纠纷) with its parties."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from services.cases import SOURCES, intake
from services.db import DatabaseTrouble
from services.errors import Invalid
from services.permissions import communities_for, may_register
from services.policy import current_policy
from web.auth import current_actor
from web.case_forms import MAX_PARTIES, IntakeForm, intake_form
from web.cases import acting_user, bp, categories
from web.database import db
from web.errors import form_again


def _form(formdata: Any = None) -> IntakeForm:
    policy = current_policy(db())
    communities = [(c.id, c.name) for c in communities_for(db(), current_actor()) if c.id is not None]
    form = intake_form(
        communities=communities,
        categories=categories(),
        sources=list(policy.sources or SOURCES),
        formdata=formdata,
    )
    if formdata is None and len(communities) == 1:  # staff of one community register only there
        form.community_id.data = communities[0][0]
    return form


def _page(form: IntakeForm, status: int = 200) -> tuple[str, int]:
    return render_template("cases/new.html", title=_("登记纠纷"), form=form, max_parties=MAX_PARTIES), status


def _attach(form: IntakeForm, why: Invalid) -> None:
    """Show a service refusal beside the field it names (or above the form)."""
    if why.field and why.field in form and why.field != "parties":
        form[why.field].errors = [*form[why.field].errors, why.message]
    else:
        form.form_errors.append(why.message)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Register a complaint; on success go to the new case, which shows its triage."""
    if not may_register(current_actor()):
        abort(403)
    if request.method == "GET":
        return _page(_form())
    form = _form(request.form)
    if "add_party" in request.form:
        if len(form.parties) < MAX_PARTIES:
            form.parties.append_entry({"role": "respondent"})
        else:
            form.form_errors.append(_("当事人最多 %(n)s 名。", n=MAX_PARTIES))
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    try:
        case = intake(session=db(), actor=acting_user(), data=form.to_input(), who=current_actor())
    except Invalid as why:
        _attach(form, why)
        return _page(form, 422)
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: _page(form)[0])
    flash(_("纠纷已登记。请核对分级结果，决定受理或不予受理。"), "success")
    return redirect(url_for("cases.show", case_id=case.id), 303)
