"""Case pages: the user's queue and the case list."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from services.queries import CaseFilter, list_cases
from web.auth import current_actor
from web.database import db

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/mine")
@login_required
def mine() -> str:
    actor = current_actor()
    page = list_cases(db(), actor, CaseFilter(assignee_id=actor.id), 1, 50)
    return render_template("cases/list.html", page=page, title="我的案件")


@bp.get("/")
@login_required
def index() -> str:
    page_no = max(1, request.args.get("page", 1, type=int) or 1)
    page = list_cases(db(), current_actor(), CaseFilter(state=request.args.get("state") or None), page_no)
    return render_template("cases/list.html", page=page, title="案件列表")
