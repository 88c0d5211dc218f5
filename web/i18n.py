"""Language and dates: the locale switch, and Jinja filters that write dates as Chinese offices do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, request, session, url_for
from flask.globals import _cv_app, _cv_request
from flask_babel import force_locale, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from wtforms.i18n import messages_path

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


_CATALOGS: dict[str, NullTranslations] = {}  # one per language (LOCALES are languages)


def _request_locale() -> Locale | None:
    """The locale Flask-Babel chose for this request, read from its state on ``g`` (where ``force_locale``
    puts its own), without going through Flask-Babel's proxies again."""
    state = _cv_app.get().g.__dict__.get("_flask_babel")
    return getattr(state, "babel_locale", None) or get_locale()


def _catalog() -> NullTranslations | None:
    """The catalog of the request's language (or of the one ``force_locale`` put in force); None where
    the Chinese itself is said: outside a request, and on a Chinese page.

    Flask-Babel's ``gettext`` finds its domain, its state, the locale and the cache key again on each
    call, a few microseconds through werkzeug's proxies every time, and a list page shows some 400
    labels. This reads the locale Flask-Babel chose for the request straight from its state on ``g``
    (``force_locale`` swaps that same attribute) and keeps one catalog per language.
    """
    if _cv_request.get(None) is None:
        return None
    locale = _request_locale()
    language = locale.language if locale is not None else "zh"
    if language == "zh":  # the messages are Chinese: nothing to look up
        return None
    catalog = _CATALOGS.get(language)
    if catalog is None:
        catalog = _CATALOGS[language] = get_translations()
    return catalog


_WTFORMS: dict[str, Translations] = {}  # WTForms' own messages, one catalog per locale


def wtforms_catalog() -> Translations:
    """WTForms' built-in messages ("Not a valid integer value.") in the request's locale.

    Flask-WTF reads the catalog's file from disk again for every request that builds a form (a case
    page builds one per step); the file does not change while the process runs.
    """
    locale = _request_locale()
    key = str(locale)
    catalog = _WTFORMS.get(key)
    if catalog is None:
        catalog = _WTFORMS[key] = Translations.load(messages_path(), [locale], domain="wtforms")
    return catalog


def request_gettext(msgid: str) -> str:
    """``msgid`` in the request's language; outside a request (commands, jobs) the Chinese itself."""
    catalog = _catalog()
    return msgid if catalog is None else str(catalog.ugettext(msgid))


def request_pgettext(context: str, msgid: str) -> str:
    """As ``request_gettext``, for a label translated in a context."""
    catalog = _catalog()
    return msgid if catalog is None else str(catalog.upgettext(context, msgid))


def request_ngettext(singular: str, plural: str, num: int) -> str:
    """As ``request_gettext``, for a message whose words follow a number (formatted by the caller)."""
    catalog = _catalog()
    if catalog is None:
        return singular if num == 1 else plural
    return str(catalog.ungettext(singular, plural, num))


def request_npgettext(context: str, singular: str, plural: str, num: int) -> str:
    catalog = _catalog()
    if catalog is None:
        return singular if num == 1 else plural
    return str(catalog.unpgettext(context, singular, plural, num))


def template_gettext(msgid: str, **params: Any) -> Markup:
    """The templates' ``_()``: what Jinja's i18n extension does with it in an autoescaped template (every
    one of ours: the text as markup, the values put in escaped, ``%%`` read as ``%``), without the copy
    of the template's context the extension makes for each call inside a loop (a list page makes 200)."""
    return Markup(request_gettext(msgid)) % params


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
    for name, template_filter in FILTERS.items():
        app.add_template_filter(template_filter, name)
    app.add_template_global(current_locale_code, "locale_code")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(LOCALE_NAMES, "LOCALE_NAMES")
    app.add_template_global(in_chinese, "in_chinese")
    app.add_template_global(keep, "keep")
    app.register_blueprint(bp)
