"""The database for the web app: one engine per app (with its timeouts), one session per request on ``g``,
and the guards that keep what a column cannot hold (NUL characters, ids beyond INTEGER) out of requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlmodel import Session

from services.db import DatabaseTrouble, Timeouts, make_engine, session_factory
from services.schema import ensure_migrated
from web import converters, input_guard


def timeouts(config: Mapping[str, Any]) -> Timeouts:
    return Timeouts(
        connect=float(config["DB_CONNECT_TIMEOUT"]),
        statement=float(config["DB_STATEMENT_TIMEOUT"]),
        pool=float(config["DB_POOL_TIMEOUT"]),
        busy=float(config["SQLITE_BUSY_TIMEOUT"]),
    )


def init_app(app: Flask) -> None:
    converters.init_app(app)
    input_guard.init_app(app)
    engine = make_engine(app.config["DATABASE_URL"], timeouts=timeouts(app.config))
    if app.config.get("CHECK_SCHEMA", True):
        ensure_migrated(engine)
    app.extensions["db_engine"] = engine
    app.extensions["db_sessions"] = session_factory(engine)
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]  # type: ignore[no-any-return]


def db() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessions"]()
    return g.db_session  # type: ignore[no-any-return]


def close_session(_exc: BaseException | None = None) -> None:
    """End the request's session; one whose connection the database dropped is let go all the same."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DatabaseTrouble as trouble:
        current_app.logger.warning("closing a session: %s", trouble.detail)
