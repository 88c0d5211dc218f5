"""Login and logout; the user loader; who is acting in this request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from models import User
from services.access import actor_for
from services.auth import LoginRefused, authenticate
from web.database import db
from workflow import Actor

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=50)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=200)])


def load_user(user_id: str) -> User | None:
    try:
        user = db().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


def current_actor() -> Actor:
    """The logged-in user as the workflow sees them (cached for the request)."""
    if "actor" not in g:
        g.actor = actor_for(db(), current_user._get_current_object())
    return g.actor  # type: ignore[no-any-return]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("cases.mine")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("cases.mine"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(
                session=db(),
                username=form.username.data or "",
                password=form.password.data or "",
                address=request.remote_addr or "unknown",
            )
        except LoginRefused as why:
            flash(why.message, "error")
            return render_template("auth/login.html", form=form), 429 if "频繁" in why.message else 401
        session.clear()
        session.permanent = True
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))
