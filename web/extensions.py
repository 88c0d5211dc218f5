"""Flask extensions, created unbound and initialised by the factory."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()

LOCALES = ("zh", "en")


def select_locale() -> str:
    """The user's setting, else the session's choice, else Chinese."""
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale if current_user.locale in LOCALES else "zh"
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return "zh"


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale, default_timezone="Asia/Shanghai")

    from web import auth

    login_manager.user_loader(auth.load_user)
