"""The request's message catalog, read fast: what ``_()``, ``say()`` and the forms' lazy labels look up.

Flask-Babel's ``gettext`` finds its domain, its state, the locale and the cache key again on each call,
some ten microseconds through werkzeug's proxies every time; a case page shows some 300 labels and a
list page 400. These read the locale Flask-Babel chose for the request straight from its state on ``g``
(``force_locale`` swaps that same attribute) and keep one catalog per language. Kept apart from
``web.i18n`` so that the modules it imports (``web.display``, the forms) can use them too.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask.globals import _cv_app, _cv_request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from wtforms.i18n import messages_path

_CATALOGS: dict[str, NullTranslations] = {}  # one per language (the site's locales are languages)


def request_locale() -> Locale | None:
    """The locale Flask-Babel chose for this request (or the one ``force_locale`` put in force)."""
    state = _cv_app.get().g.__dict__.get("_flask_babel")
    return getattr(state, "babel_locale", None) or get_locale()


def _catalog() -> NullTranslations | None:
    """The catalog of the request's language; None where the Chinese itself is said: outside a request,
    and on a Chinese page (the messages are Chinese: nothing to look up)."""
    if _cv_request.get(None) is None:
        return None
    locale = request_locale()
    language = locale.language if locale is not None else "zh"
    if language == "zh":
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
    locale = request_locale()
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


def _filled(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


def _gettext_now(msgid: str, **variables: Any) -> str:
    return _filled(request_gettext(msgid), variables)


def _pgettext_now(context: str, msgid: str, **variables: Any) -> str:
    return _filled(request_pgettext(context, msgid), variables)


def lazy_gettext(msgid: str, **variables: Any) -> LazyString:
    """Flask-Babel's ``lazy_gettext`` (the same lazy string: formatting, joining, ``__html__``), looked
    up through ``request_gettext``: a form's labels and messages are read on every page that shows it."""
    return LazyString(_gettext_now, msgid, **variables)


def lazy_pgettext(context: str, msgid: str, **variables: Any) -> LazyString:
    """As ``lazy_gettext``, for a label translated in a context."""
    return LazyString(_pgettext_now, context, msgid, **variables)
