"""Words the workflow shows to people, in Chinese, translated when shown.

``workflow/`` may not import Flask, so it cannot call Flask-Babel itself. Its labels are written with
``_()`` (a ``Text`` translated each time it is turned into a string) and its messages with ``say()``
(translated and formatted at once). Both go through one translator, the identity until the web layer
installs Flask-Babel's ``gettext`` (``install``). ``pybabel extract`` finds both by their names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Translator = Callable[[str], str]


def _identity(msgid: str) -> str:
    return msgid


_translator: list[Translator] = [_identity]


def install(translator: Translator) -> None:
    """Route every label and message of workflow/ and services/ through ``translator``."""
    _translator[0] = translator


def translate(msgid: str) -> str:
    return _translator[0](msgid)


class Text:
    """A label whose Chinese text is its message id; ``str()`` gives it in the current language."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict[str, Any] | None = None) -> None:
        self.msgid = msgid
        self.params = params or {}

    def of(self, **params: Any) -> Text:
        """The same label with its ``%(name)s`` placeholders filled in (still translated when shown)."""
        return Text(self.msgid, params)

    def __str__(self) -> str:
        text = translate(self.msgid)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text

    def __html__(self) -> str:
        from html import escape

        return escape(str(self), quote=True)

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


def say(msgid: str, **params: Any) -> str:
    """A message in the current language, with ``%(name)s`` placeholders filled in."""
    text = translate(msgid)
    return text % {k: str(v) for k, v in params.items()} if params else text
