"""Language and dates: the locale switch, and Jinja filters that write dates as Chinese offices do."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, has_request_context, request, session, url_for
from flask_babel import force_locale, get_locale, get_translations, gettext, pgettext
from flask_login import current_user
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from services.users import update_user
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


def request_gettext(msgid: str) -> str:
    """``msgid`` in the request's language; outside a request (commands, jobs) the Chinese itself."""
    return gettext(msgid) if has_request_context() else msgid


def request_pgettext(context: str, msgid: str) -> str:
    """As ``request_gettext``, for a label translated in a context."""
    return pgettext(context, msgid) if has_request_context() else msgid


def request_ngettext(singular: str, plural: str, num: int) -> str:
    """As ``request_gettext``, for a message whose words follow a number (formatted by the caller)."""
    if not has_request_context():
        return singular if num == 1 else plural
    return str(get_translations().ungettext(singular, plural, num))


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
    for name, template_filter in FILTERS.items():
        app.add_template_filter(template_filter, name)
    app.add_template_global(current_locale_code, "locale_code")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(LOCALE_NAMES, "LOCALE_NAMES")
    app.add_template_global(in_chinese, "in_chinese")
    app.add_template_global(keep, "keep")
    app.register_blueprint(bp)
