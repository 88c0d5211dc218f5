"""The one boundary every value of a request passes: NUL characters are taken out of query strings and
form fields (no one types them, PostgreSQL cannot store them), and the user is told."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, Request, flash, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

NUL = "\x00"


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return ((k, v) for k, vs in mapping.items() for v in (vs if isinstance(vs, list) else [vs]))
    return mapping  # type: ignore[no-any-return]


class CleanParams(ImmutableMultiDict[str, Any]):
    """Query or form values without NUL; ``had_nul`` says whether any were taken out."""

    def __init__(self, mapping: Any = None) -> None:
        self.had_nul = False
        if mapping is None:
            super().__init__()
            return
        clean = []
        for key, value in _pairs(mapping):
            if isinstance(key, str) and NUL in key:
                key, self.had_nul = key.replace(NUL, ""), True
            if isinstance(value, str) and NUL in value:
                value, self.had_nul = value.replace(NUL, ""), True
            clean.append((key, value))
        super().__init__(clean)


class GuardedRequest(Request):
    parameter_storage_class = CleanParams


def tell_about_nul() -> None:
    """Say so when NUL characters were taken out of what was typed (the form shows what remains)."""
    if request.endpoint == "static":
        return
    stripped = getattr(request.args, "had_nul", False)
    if request.method == "POST":
        stripped = stripped or getattr(request.form, "had_nul", False)
    if stripped:
        flash(_("输入中含有无法保存的空字符（NUL），已将其删除，请核对。"), "info")


def init_app(app: Flask) -> None:
    app.request_class = GuardedRequest
    app.before_request(tell_about_nul)
