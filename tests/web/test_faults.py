"""The site when its database is in trouble: 503 with ``Retry-After`` and a page of ours that is drawn
without the database, the form again with what was typed where one was posted, static files and the
login page answering all the while, and the next request after the fault working without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from sqlmodel import select

from app import create_app
from models import Community, User
from services.db import make_engine, session_factory
from tests.conftest import BACKEND, FAST_HASH
from tests.dbfaults import (
    Proxy,
    SilentServer,
    SqliteFaults,
    returns,
    sqlite_template,
    sqlite_url,
    unwritable,
    write_lock,
)
from tests.factories import Factory, trigger_data
from tests.web.case_helpers import form_encode, login, text, token_from
from tests.web.test_intake import valid as valid_intake

__all__ = ["sqlite_template", "sqlite_url"]  # fixtures

AWAY = "数据库暂时无法访问，您的操作没有保存"
BUSY = "系统繁忙，请稍后再试"


def make_app(url: str, **config: Any) -> Flask:
    """The app on ``url`` with short timeouts (the tests' faults never end by themselves)."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "SERVER_NAME": None,
        "DB_CONNECT_TIMEOUT": 2,
        "DB_STATEMENT_TIMEOUT": 2,
        "DB_POOL_TIMEOUT": 1,
        "SQLITE_BUSY_TIMEOUT": 0.2,
    }
    return create_app({**settings, **config})


@contextmanager
def site(url: str, **config: Any) -> Iterator[tuple[Flask, Factory]]:
    app = make_app(url, **config)
    session = session_factory(app.extensions["db_engine"])()
    try:
        yield app, Factory(session)
    finally:
        session.close()
        app.extensions["db_engine"].dispose()


def static_answers(client: FlaskClient) -> bool:
    with client.get("/static/css/app.css") as resp:
        return resp.status_code == 200 and b"{" in resp.get_data()


def is_unavailable_page(resp: Any, message: str, retry_after: str) -> None:
    page = text(resp)
    assert resp.status_code == 503, page[:300]
    assert resp.headers["Retry-After"] == retry_after
    assert message in page
    assert '<a class="brand"' in page  # our page, not the server's bare one


# --- the database away ----------------------------------------------------------------------------------
@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_database_away_503_pages_while_static_files_and_login_answer(client, factory, silent):
    login(client, factory.staff())  # on the real database; the same browser session then meets the fault
    cookie = client.get_cookie("session")
    assert cookie is not None
    away = make_app(silent.url(), CHECK_SCHEMA=False)
    browser, anonymous = away.test_client(), away.test_client()
    browser.set_cookie("session", cookie.value)
    try:
        assert static_answers(browser) and static_answers(anonymous)
        assert ">登录</button>" in text(anonymous.get("/login"))
        assert not silent.accepted, "static files and the login page must not touch the database"

        is_unavailable_page(returns(lambda: browser.get("/cases/")), AWAY, "30")
        missing = returns(lambda: browser.get("/no-such-page"))  # the frame needs the user: drawn without
        assert missing.status_code == 404 and "找不到该页面" in text(missing)
        token = token_from(anonymous, "/login")
        data = {"username": "staff", "password": "secret-pass-1", "csrf_token": token}
        is_unavailable_page(returns(lambda: anonymous.post("/login", data=data)), AWAY, "30")
    finally:
        away.extensions["db_engine"].dispose()


def test_the_503_page_is_in_the_language_of_the_browser_session(client, silent):
    away = make_app(silent.url(), CHECK_SCHEMA=False)
    browser = away.test_client()
    try:
        browser.get("/locale/en")
        token = token_from(browser, "/login")
        resp = returns(
            lambda: browser.post("/login", data={"username": "a", "password": "b", "csrf_token": token})
        )
        assert resp.status_code == 503 and '<html lang="en">' in text(resp)
    finally:
        away.extensions["db_engine"].dispose()


# --- a lock held by another writer past the wait ----------------------------------------------------------
@contextmanager
def lock_held(url: str, tables: str = 'login_attempt, community, "case"') -> Iterator[None]:
    """Another connection holds what the site's writes need, reads still go on (SQLite: a write
    transaction; PostgreSQL: the written ``tables`` locked against writers)."""
    if url.startswith("sqlite"):
        with write_lock(url):
            yield
        return
    holder = make_engine(url)
    try:
        with holder.begin() as conn:
            conn.exec_driver_sql(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
            yield
    finally:
        holder.dispose()


def test_a_lock_held_past_the_wait_is_503_busy_with_the_input_kept_and_then_writes_work(db_url):
    with site(db_url) as (app, factory):
        staff, admin = factory.staff(), factory.user("admin")
        cid = factory.default_community().id
        clerk, boss, visitor = app.test_client(), app.test_client(), app.test_client()
        login(clerk, staff)
        login(boss, admin)
        mediating = factory.case("mediating")
        mediator = app.test_client()
        login(mediator, factory.session.get(User, mediating.assignee_id))
        intake = {**valid_intake(cid), "facts": "楼上漏水", "csrf_token": token_from(clerk, "/cases/new")}
        community = {"name": "锁期间社区", "short_name": "锁期", "street": "",
                     "csrf_token": token_from(boss, "/admin/communities/new")}  # fmt: skip
        login_data = {"username": staff.username, "password": "secret-pass-1",
                      "csrf_token": token_from(visitor, "/login")}  # fmt: skip

        with lock_held(db_url):
            assert clerk.get("/cases/").status_code == 200  # reading goes on
            refused = returns(lambda: clerk.post("/cases/new", data=intake))
            is_unavailable_page(refused, BUSY, "5")
            assert "楼上漏水" in text(refused)  # the intake form again, with what was typed
            assert visitor.post("/login", data=login_data).status_code == 302  # a login writes nothing
            kept = returns(lambda: boss.post("/admin/communities/new", data=community))
            is_unavailable_page(kept, BUSY, "5")
            assert 'value="锁期间社区"' in text(kept)  # the form again, with what was typed
            session_form = {**form_encode(trigger_data("record_session")), "summary": "锁期间的笔录",
                            "trigger": "record_session", "version": str(mediating.version),
                            "csrf_token": token_from(mediator, f"/cases/{mediating.id}")}  # fmt: skip
            kept = returns(lambda: mediator.post(f"/cases/{mediating.id}", data=session_form))
            is_unavailable_page(kept, BUSY, "5")
            assert "锁期间的笔录" in text(kept)  # the case page with the session record as typed

        assert clerk.post("/cases/new", data=intake).status_code == 303
        assert boss.post("/admin/communities/new", data=community).status_code == 303
        assert mediator.post(f"/cases/{mediating.id}", data=session_form).status_code == 303
        factory.session.rollback()
        names = factory.session.exec(select(Community.name)).all()
        assert names.count("锁期间社区") == 1


# --- SQLite: a read-only moment, a full disk ---------------------------------------------------------------
def registers(clerk: FlaskClient, factory: Factory) -> Any:
    """A case registered by the logged-in clerk (a write; logging in writes nothing)."""
    intake = {**valid_intake(factory.default_community().id), "csrf_token": token_from(clerk, "/cases/new")}
    return clerk.post("/cases/new", data=intake)


def test_after_the_file_was_read_only_for_a_moment_the_first_write_works(sqlite_url):
    with site(sqlite_url) as (app, factory):
        clerk, reader = app.test_client(), app.test_client()
        login(clerk, factory.staff())
        login(reader, factory.user("leader"))
        with unwritable(sqlite_url):
            app.extensions["db_engine"].dispose()  # the site's connections are opened during the moment
            is_unavailable_page(returns(lambda: registers(clerk, factory)), "只能读取", "30")
            assert reader.get("/cases/").status_code == 200  # reading goes on (a connection opened now)
        assert registers(clerk, factory).status_code == 303


def test_connections_that_could_not_write_are_not_kept_after_a_failed_write(sqlite_url):
    """Whatever made them read-only (the check when a connection opens sees only what the OS refuses)."""
    with site(sqlite_url) as (app, factory):
        faults = SqliteFaults(app.extensions["db_engine"])
        clerk, visitor = app.test_client(), app.test_client()
        login(clerk, factory.staff())
        wrong = {"username": "staff", "password": "wrong-pass", "csrf_token": token_from(visitor, "/login")}
        with faults.moment(read_only=True):
            # a failed login writes its attempt: the only connection of the moment fails that write
            is_unavailable_page(returns(lambda: visitor.post("/login", data=wrong)), "只能读取", "30")
        assert registers(clerk, factory).status_code == 303


def test_a_full_disk_says_so_and_writing_resumes_when_there_is_room(sqlite_url):
    with site(sqlite_url) as (app, factory):
        clerk = app.test_client()
        login(clerk, factory.staff())
        faults = SqliteFaults(app.extensions["db_engine"])
        data = {**valid_intake(factory.default_community().id), "facts": "漏水" * 2000}
        data["csrf_token"] = token_from(clerk, "/cases/new")
        with faults.moment(full=True):
            is_unavailable_page(returns(lambda: clerk.post("/cases/new", data=data)), "磁盘已满", "300")
        assert clerk.post("/cases/new", data=data).status_code == 303


# --- PostgreSQL gone silent (frozen, or its network cut) and back ------------------------------------------
if BACKEND == "postgresql":

    def test_a_silent_server_gives_503_within_the_timeouts_and_the_site_recovers(db_url):
        url = make_url(db_url)
        proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            with site(through) as (app, factory):
                clerk: FlaskClient = app.test_client()
                login(clerk, factory.staff())
                assert clerk.get("/cases/").status_code == 200
                with proxy.silent():
                    is_unavailable_page(returns(lambda: clerk.get("/cases/")), AWAY, "30")
                    assert static_answers(clerk)
                assert clerk.get("/cases/").status_code == 200
        finally:
            proxy.close()
