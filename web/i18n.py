"""Language and dates: the locale switch, and Jinja filters that write dates as Chinese offices do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from services.users import update_user
from web.catalog import request_gettext, request_ngettext, request_npgettext, request_pgettext
from web.database import db
from web.display import FILTERS, keep
from web.security import safe_redirect
from workflow import text

LOCALES = ("zh", "en")
LOCALE_NAMES = {"zh": "中文", "en": "English"}

bp = Blueprint("i18n", __name__)


@bp.route("/locale/<code>", methods=["GET", "POST"])
def switch(code: str) -> Response:
    """Choose the interface language; a logged-in user's POST also saves it in their settings."""
    if code not in LOCALES:
        raise NotFound()
    session["locale"] = code
    if request.method == "POST" and current_user.is_authenticated:
        update_user(session=db(), user_id=current_user.id, actor_id=current_user.id, locale=code)
    target = request.values.get("next") or _referrer_path()
    return safe_redirect(target, url_for("index"))


def _referrer_path() -> str | None:
    """The page the switch was pressed on, when it is on this site."""
    if not request.referrer:
        return None
    ref = urlsplit(request.referrer)
    if ref.netloc and ref.netloc != request.host:
        return None
    return ref.path + (f"?{ref.query}" if ref.query else "")


def template_gettext(msgid: str, **params: Any) -> Markup:
    """The templates' ``_()``: what Jinja's i18n extension does with it in an autoescaped template (every
    one of ours: the text as markup, the values put in escaped, ``%%`` read as ``%``), without the copy
    of the template's context the extension makes for each call inside a loop (a list page makes 200)."""
    text = request_gettext(msgid)
    if not params and "%" not in text:  # most labels: nothing to fill in (Markup's % costs some 3 µs)
        return Markup(text)
    return Markup(text) % params


def template_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Markup:
    """The templates' ``ngettext()``, as ``template_gettext`` is their ``_()`` (``num`` is ``n`` unless
    given, as a list page gives it marked up): the i18n extension's copies the template's context for
    each call inside a loop."""
    params.setdefault("num", n)
    return Markup(request_ngettext(singular, plural, n)) % params


def template_pgettext(context: str, msgid: str, /, **params: Any) -> Markup:
    """The templates' ``pgettext()``, as ``template_gettext`` is their ``_()``."""
    params.setdefault("context", context)
    return Markup(request_pgettext(context, msgid)) % params


def current_locale_code() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "zh"


def in_chinese(caller: Callable[[], str]) -> str:
    """The body of ``{% call in_chinese() %}``, rendered in Chinese whatever the page's language."""
    with force_locale("zh"):
        return caller()


def init_app(app: Flask) -> None:
    # workflow/ and services/ speak the request's language
    text.install(request_gettext, request_pgettext, request_ngettext)
    # and so do the templates' _() (in place of Flask-Babel's callables, which look the catalog up per call)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=request_gettext,
        ngettext=request_ngettext,
        newstyle=True,
        pgettext=request_pgettext,
        npgettext=request_npgettext,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = template_gettext
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.jinja_env.globals["pgettext"] = template_pgettext
    for name, template_filter in FILTERS.items():
        app.add_template_filter(template_filter, name)
    app.add_template_global(current_locale_code, "locale_code")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(LOCALE_NAMES, "LOCALE_NAMES")
    app.add_template_global(in_chinese, "in_chinese")
    app.add_template_global(keep, "keep")
    app.register_blueprint(bp)
