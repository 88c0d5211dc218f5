"""Words the workflow shows to people, in Chinese, translated when shown.

``workflow/`` may not import Flask, so it cannot call Flask-Babel itself. Its labels are written with
``_()`` (a ``Text`` translated each time it is turned into a string) and its messages with ``say()``
(translated and formatted at once; ``say_n`` when its words follow a number). They go through one
translator, the identity until the web layer installs Flask-Babel's ``gettext``, ``pgettext`` and
``ngettext`` (``install``). ``pybabel extract`` finds them by their names (``make translations``).
``_p(context, …)`` is a label whose Chinese means two things in English (不予受理: the state "Not
accepted" and the step "Do not accept").
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

Translator = Callable[[str], str]
ContextTranslator = Callable[[str, str], str]
PluralTranslator = Callable[[str, str, int], str]


def _identity(msgid: str) -> str:
    return msgid


def _identity_in(_context: str, msgid: str) -> str:
    return msgid


def _identity_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_translator: list[Translator] = [_identity]
_context_translator: list[ContextTranslator] = [_identity_in]
_plural_translator: list[PluralTranslator] = [_identity_plural]


def install(
    translator: Translator,
    context_translator: ContextTranslator = _identity_in,
    plural_translator: PluralTranslator = _identity_plural,
) -> None:
    """Route every label and message of workflow/ and services/ through ``translator``."""
    _translator[0] = translator
    _context_translator[0] = context_translator
    _plural_translator[0] = plural_translator


def translate(msgid: str, context: str | None = None) -> str:
    return _translator[0](msgid) if context is None else _context_translator[0](context, msgid)


class Text:
    """A label whose Chinese text is its message id; ``str()`` gives it in the current language."""

    __slots__ = ("context", "msgid", "params")

    def __init__(self, msgid: str, params: dict[str, Any] | None = None, context: str | None = None) -> None:
        self.msgid = msgid
        self.params = params or {}
        self.context = context

    def of(self, **params: Any) -> Text:
        """The same label with its ``%(name)s`` placeholders filled in (still translated when shown)."""
        return Text(self.msgid, params, self.context)

    def __str__(self) -> str:
        text = translate(self.msgid, self.context)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text

    def __html__(self) -> str:
        return html.escape(str(self), quote=True)

    @property
    def source(self) -> str:
        """The Chinese text itself with its placeholders filled in, never translated (what is stored)."""
        return self.msgid % {k: str(v) for k, v in self.params.items()} if self.params else self.msgid

    def __repr__(self) -> str:
        return f"Text({self.msgid!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return (self.msgid, self.params) == (other.msgid, other.params)
        if isinstance(other, str):
            return other == str(self)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __add__(self, other: Any) -> str:
        return str(self) + str(other)

    def __radd__(self, other: Any) -> str:
        return str(other) + str(self)

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __len__(self) -> int:
        return len(str(self))


def _(msgid: str) -> Text:
    """A label, translated whenever it is shown."""
    return Text(msgid)


def _p(context: str, msgid: str) -> Text:
    """A label translated in a context (one Chinese word, two English ones)."""
    return Text(msgid, context=context)


def N_(msgid: str) -> str:
    """Marks a text for the catalog where a plain string must be kept (a pydantic field's title): it
    stays Chinese where it is stored; ``translate`` it when it is shown."""
    return msgid


def say(msgid: str, **params: Any) -> str:
    """A message in the current language, with ``%(name)s`` placeholders filled in."""
    text = translate(msgid)
    return text % {k: str(v) for k, v in params.items()} if params else text


def say_n(singular: str, plural: str, num: int, **params: Any) -> str:
    """A message whose words follow a number, ``%(num)s`` (English: 1 day, 2 days; Chinese has one form)."""
    text = _plural_translator[0](singular, plural, num)
    return text % {"num": str(num), **{k: str(v) for k, v in params.items()}}


# Month names: Chinese writes the number (11月), English a short name (Nov); dates and month titles use them.
MONTHS: tuple[Text, ...] = (
    _("1月"),
    _("2月"),
    _("3月"),
    _("4月"),
    _("5月"),
    _("6月"),
    _("7月"),
    _("8月"),
    _("9月"),
    _("10月"),
    _("11月"),
    _("12月"),
)


_DAY = _("%(year)s年%(month)s%(day)s日")


def day(value: date) -> str:
    """A date as Chinese offices write it (2026年11月29日); on an English page 29 Nov 2026.
    (The numbers go in as they are: a list page writes some forty dates.)"""
    return str(_DAY) % {"year": value.year, "month": str(MONTHS[value.month - 1]), "day": value.day}


def month_title(year: int, month: int) -> str:
    """A calendar month: 2026年11月; on an English page Nov 2026."""
    return say("%(year)s年%(month)s", year=year, month=MONTHS[month - 1])


def listing(items: Iterable[Any]) -> str:
    """Items in a row, separated as the language does (、 in Chinese, a comma in English)."""
    return say("、").join(str(item) for item in items)
