"""Ids in URLs and query strings: only values an INTEGER column holds; any other finds nothing (404)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from services.db import INT_MAX


class DbIdConverter(IntegerConverter):
    """``<int:…>`` in every route: a number beyond the column's range does not match the route (404)."""

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def db_id(value: str) -> int:
    """An id from a query string (``request.args.get(name, type=db_id)``): ValueError unless 1…INT_MAX."""
    number = int(value)
    if not 1 <= number <= INT_MAX:
        raise ValueError(value)
    return number


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: their rules take the converter when they are added."""
    app.url_map.converters["int"] = DbIdConverter
