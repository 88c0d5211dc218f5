"""Login, logout and the user's own settings (password, language); the user loader; the acting user."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from models import User
from services.access import actor_for
from services.auth import LoginRefused, authenticate
from services.errors import Invalid
from services.users import MIN_PASSWORD, check_password, set_password, update_user
from web.database import db
from web.i18n import LOCALE_NAMES, safe_next
from workflow import Actor

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码。")), Length(max=200)]
    )
    new = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(_l("请输入新密码。")),
            Length(min=MIN_PASSWORD, max=200, message=_l("新密码须为 8–200 个字符。")),
        ],
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[
            DataRequired(_l("请再次输入新密码。")),
            EqualTo("new", message=_l("两次输入的新密码不一致。")),
        ],
    )


class LocaleForm(FlaskForm):
    locale = RadioField(
        _l("界面语言"),
        choices=[SelectChoice(code, name) for code, name in LOCALE_NAMES.items()],
        validate_choice=True,
    )


class LoginUser(UserMixin):
    """The logged-in user as Flask-Login sees it; attributes read through to the User row.

    The SQLModel row itself cannot carry UserMixin (pydantic refuses the extra attributes).
    """

    def __init__(self, row: User) -> None:
        self.row = row

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)

    def get_id(self) -> str:
        return str(self.row.id)

    @property
    def is_active(self) -> bool:
        return bool(self.row.active)


def load_user(user_id: str) -> LoginUser | None:
    """The session's user; an account deactivated since login is logged out on its next request."""
    try:
        user = db().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return LoginUser(user) if user is not None and user.active else None


def current_actor() -> Actor:
    """The logged-in user as the workflow sees them (cached for the request)."""
    if "actor" not in g:
        g.actor = actor_for(db(), current_user.row)
    return g.actor  # type: ignore[no-any-return]


REFUSAL_STATUS = {"throttled": 429, "inactive": 403, "bad_credentials": 401}


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
                limit_per_minute=current_app.config.get("LOGIN_LIMIT_PER_MINUTE", 5),
            )
        except LoginRefused as why:
            flash(why.message, "error")
            return render_template("auth/login.html", form=form), REFUSAL_STATUS.get(why.kind, 401)
        locale = session.get("locale")
        session.clear()  # a fresh session on login: nothing an attacker planted survives
        if locale:
            session["locale"] = locale
        session.permanent = True
        login_user(LoginUser(user))
        return redirect(safe_next(request.args.get("next"), url_for("cases.mine")))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("已退出登录。"), "info")
    return redirect(url_for("auth.login"))


def _settings_page(password_form: PasswordForm | None = None, locale_form: LocaleForm | None = None) -> str:
    locale_form = locale_form or LocaleForm(locale=current_user.locale)
    return render_template(
        "auth/settings.html", password_form=password_form or PasswordForm(), locale_form=locale_form
    )


@bp.get("/settings")
@login_required
def settings() -> str:
    return _settings_page()


@bp.post("/settings/password")
@login_required
def change_password() -> Any:
    form = PasswordForm()
    if not form.validate_on_submit():
        return _settings_page(password_form=form), 422
    if not check_password(current_user.row, form.current.data or ""):
        form.current.errors = [_("当前密码不正确。")]
        return _settings_page(password_form=form), 422
    try:
        set_password(
            session=db(),
            user_id=current_user.id,
            password=form.new.data or "",
            actor_id=current_user.id,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except Invalid as why:
        form.new.errors = [why.message]
        return _settings_page(password_form=form), 422
    flash(_("密码已修改。"), "success")
    return redirect(url_for("auth.settings"), 303)


@bp.post("/settings/locale")
@login_required
def change_locale() -> Any:
    form = LocaleForm()
    if not form.validate_on_submit():
        return _settings_page(locale_form=form), 422
    update_user(session=db(), user_id=current_user.id, actor_id=current_user.id, locale=form.locale.data)
    session["locale"] = form.locale.data
    flash(_("界面语言已保存。"), "success")
    return redirect(url_for("auth.settings"), 303)
