"""Statistics page and the monthly exports."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("stats", __name__, url_prefix="/stats")


@bp.get("/")
@login_required
def index() -> str:
    return "统计（建设中）"
