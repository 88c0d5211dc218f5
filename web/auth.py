"""Login, logout and the user's own settings (password, language); the user loader; the acting user."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from models import User
from services.auth import LoginLimits, LoginRefused, authenticate
from services.db import DatabaseTrouble
from services.errors import Invalid
from services.permissions import actor_for
from services.reminders import preference, set_channels
from services.reminders_channels import channels_from
from services.users import MIN_PASSWORD, check_password, end_sessions, set_password, update_user, user_by_id
from web.base_form import SiteForm
from web.catalog import lazy_gettext as _l
from web.database import db
from web.errors import form_again
from web.i18n import LOCALE_NAMES
from web.security import safe_redirect
from workflow import Actor

bp = Blueprint("auth", __name__)


class LoginForm(SiteForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])


class PasswordForm(SiteForm):
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


class LocaleForm(SiteForm):
    locale = RadioField(
        _l("界面语言"),
        choices=[SelectChoice(code, name) for code, name in LOCALE_NAMES.items()],
        validate_choice=True,
    )


class ChannelsForm(SiteForm):
    """The daily reminder's channels besides the inbox (services.reminders.set_channels checks them)."""

    by_email = BooleanField(_l("电子邮件"))
    email = StringField(
        _l("电子邮箱"), validators=[Length(max=254, message=_l("电子邮箱地址最多 254 个字符。"))]
    )
    by_webhook = BooleanField(_l("短信/工作群"))


class LoginUser(UserMixin):
    """The logged-in user as Flask-Login sees it; attributes read through to the User row.

    The SQLModel row itself cannot carry UserMixin (pydantic refuses the extra attributes).
    """

    def __init__(self, row: User) -> None:
        self.row = row

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)

    def get_id(self) -> str:
        """The id kept in the session: the user and their session version (services.users.end_sessions)."""
        return f"{self.row.id}:{self.row.session_version}"

    @property
    def is_active(self) -> bool:
        return bool(self.row.active)


def load_user(login_id: str) -> LoginUser | None:
    """The session's user; a deactivated account or a session ended since (old version) is logged out."""
    user_id, _sep, version = login_id.partition(":")
    try:
        user = user_by_id(db(), int(user_id))
        current = user is not None and user.session_version == int(version)
    except (TypeError, ValueError):
        return None
    return LoginUser(user) if user is not None and current and user.active else None


def renew_login(user_id: int) -> None:
    """Keep this browser logged in after its user's other sessions were ended (own password change)."""
    user = db().get(User, user_id, populate_existing=True)
    if user is not None:
        login_user(LoginUser(user))


def current_actor() -> Actor:
    """The logged-in user as the workflow sees them (cached for the request)."""
    if "actor" not in g:
        g.actor = actor_for(db(), current_user.row)
    return g.actor  # type: ignore[no-any-return]


def login_limits() -> LoginLimits:
    """The limits on failed logins, from the LOGIN_* settings (config.py)."""
    config = current_app.config
    return LoginLimits(
        window=config["LOGIN_FAILURE_WINDOW"],
        per_account_and_address=config["LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS"],
        per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
        account_delay_after=config["LOGIN_ACCOUNT_DELAY_AFTER_FAILURES"],
        account_max_delay=config["LOGIN_ACCOUNT_MAX_DELAY"],
    )


def wait_text(seconds: int) -> str:
    """How long to wait, in whole minutes (rounded up) from a minute on, else in seconds."""
    if seconds < 60:
        return ngettext("%(num)d 秒", "%(num)d 秒", seconds)
    minutes = -(-seconds // 60)
    return ngettext("%(num)d 分钟", "%(num)d 分钟", minutes)


def refusal_message(why: LoginRefused) -> str:
    """Why the login was refused and, for a limit, how long until the next try."""
    wait, failures = wait_text(why.wait_seconds), why.failures
    if why.kind == "locked_here":
        return _(
            "此账号从本地址已有 %(failures)d 次密码错误，暂停从本地址登录，请 %(wait)s后再试；"
            "忘记密码可请管理员重置。",
            failures=failures,
            wait=wait,
        )
    if why.kind == "account_delay":
        return _(
            "此账号近期已有 %(failures)d 次密码错误，为防止他人猜测密码，请 %(wait)s后再试。",
            failures=failures,
            wait=wait,
        )
    if why.kind == "address_limit":
        return _(
            "本地址登录失败次数过多（%(failures)d 次），暂停从本地址登录，请 %(wait)s后再试。",
            failures=failures,
            wait=wait,
        )
    if why.kind == "inactive":
        return _("该账号已停用，请联系管理员。")
    return _("用户名或密码错误。")


REFUSAL_STATUS = {"inactive": 403, "bad_credentials": 401}  # every limit is 429 with Retry-After


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(
                session=db(),
                username=form.username.data or "",
                password=form.password.data or "",
                address=request.remote_addr or "unknown",
                limits=login_limits(),
            )
        except LoginRefused as why:
            flash(refusal_message(why), "error")
            page = render_template("auth/login.html", form=form)
            if why.kind in REFUSAL_STATUS:
                return page, REFUSAL_STATUS[why.kind]
            return page, 429, {"Retry-After": str(why.wait_seconds)}
        locale = session.get("locale")
        session.clear()  # a fresh session on login: nothing an attacker planted survives
        if locale:
            session["locale"] = locale
        session.permanent = True
        login_user(LoginUser(user))
        return safe_redirect(request.args.get("next"), url_for("index"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out here and everywhere: a session cookie saved before now no longer works."""
    end_sessions(session=db(), user_id=current_user.id)
    logout_user()
    session.clear()
    flash(_("已退出登录。"), "info")
    return redirect(url_for("auth.login"))


def _settings_page(
    password_form: PasswordForm | None = None,
    locale_form: LocaleForm | None = None,
    channels_form: ChannelsForm | None = None,
) -> str:
    locale_form = locale_form or LocaleForm(locale=current_user.locale)
    if channels_form is None:
        chosen = preference(db(), current_user.id)
        channels_form = ChannelsForm(
            by_email=chosen.by_email, email=chosen.email, by_webhook=chosen.by_webhook
        )
    return render_template(
        "auth/settings.html",
        password_form=password_form or PasswordForm(),
        locale_form=locale_form,
        channels_form=channels_form,
        configured=set(channels_from(current_app.config)),
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
    renew_login(current_user.id)
    flash(_("密码已修改，您在其他设备上的登录已退出。"), "success")
    return redirect(url_for("auth.settings"), 303)


@bp.post("/settings/reminders")
@login_required
def change_channels() -> Any:
    """Save how the daily reminder reaches this user; a channel the site has not set up cannot be chosen."""
    form = ChannelsForm()
    if not form.validate_on_submit():
        return _settings_page(channels_form=form), 422
    configured = set(channels_from(current_app.config))
    try:
        set_channels(
            session=db(),
            user_id=current_user.id,
            email=form.email.data or "",
            by_email=bool(form.by_email.data) and "email" in configured,
            by_webhook=bool(form.by_webhook.data) and "webhook" in configured,
        )
    except Invalid as why:
        form.email.errors = [why.message]
        return _settings_page(channels_form=form), 422
    except DatabaseTrouble as trouble:
        return form_again(trouble, lambda: _settings_page(channels_form=form))
    flash(_("提醒方式已保存。"), "success")
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
