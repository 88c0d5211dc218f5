"""Flask extensions, created unbound and initialised by the factory; the site-wide login requirement."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

from web.catalog import lazy_gettext

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()

LOCALES = ("zh", "en")
# Endpoints anyone may open; everything else needs a logged-in, active user.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "i18n.switch"})


def select_locale() -> str:
    """The user's setting, else the session's choice, else Chinese; for the API (which reads no session)
    the request's Accept-Language, else Chinese."""
    if request.blueprint == "api":
        return request.accept_languages.best_match(LOCALES) or "zh"
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale if current_user.locale in LOCALES else "zh"
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return "zh"


def require_login() -> object:
    """Send anonymous visitors to the login page (404s stay 404s: unknown URLs have no endpoint).
    The API authenticates its own requests, by token only (api.views.guard)."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS or request.blueprint == "api":
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def what_user_may() -> dict[str, object]:
    """``may`` in templates: what the logged-in user may open (services.permissions decides)."""
    if not current_user or not getattr(current_user, "is_authenticated", False):
        return {"may": None}
    from services.permissions import permissions
    from web.auth import current_actor

    return {"may": permissions(current_actor())}


def upload_limit() -> None:
    """The attachments upload takes several large files: its own request limit (set before anything
    reads the form: the NUL check of web.input_guard, the CSRF check; so it runs first of all)."""
    if request.endpoint == "cases.upload_attachments":
        cfg = current_app.config
        # The files, and 64 KB for the other fields and the multipart framing.
        request.max_content_length = cfg["ATTACHMENT_MAX_FILES"] * cfg["ATTACHMENT_MAX_BYTES"] + 64 * 1024


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, upload_limit)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.localize_callback = str  # the lazy message, in the request's language
    babel.init_app(app, locale_selector=select_locale, default_timezone="Asia/Shanghai")
    app.before_request(require_login)
    app.context_processor(what_user_may)
    app.add_template_global(lambda name: name in app.view_functions, "has_endpoint")

    from web import auth, i18n, security

    login_manager.user_loader(auth.load_user)
    i18n.init_app(app)
    security.init_app(app)
