"""The database for the web app: one engine per app, one session per request on ``g``."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlmodel import Session

from services.db import make_engine, session_factory
from services.schema import ensure_migrated


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
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
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
