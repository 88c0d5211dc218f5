"""Safe redirects, no caching of pages, HSTS and Secure cookies on https, the client behind a proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlmodel import select

from models import LoginAttempt
from tests.conftest import FAST_HASH
from tests.factories import PASSWORD
from tests.web.case_helpers import login, text, token_from, token_in
from web.security import safe_next

EVIL_NEXT = [
    "/%09/evil.example",  # tab: browsers drop it and go to //evil.example
    "/%0D%0Ax",  # a newline cannot go into a header
    "/%0A/evil.example",
    "//evil.example/x",
    "///evil.example",
    "/%5Cevil.example",  # backslash
    "%2F%2Fevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "%20/evil.example",
]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases/", "/cases/"),
        ("/cases/?state=closed&page=2", "/cases/?state=closed&page=2"),
        ("/案件", "/案件"),
        (None, "/"),
        ("", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil", "/"),
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("/\x7f/evil", "/"),
        (" /evil", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_safe_next_keeps_only_paths_on_this_site(target, expected):
    assert safe_next(target, "/") == expected


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_the_language_switch_never_sends_anyone_to_another_site(client, evil):
    resp = client.get(f"/locale/en?next={evil}")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_login_never_sends_anyone_to_another_site(client, factory, evil):
    user = factory.staff()
    token = token_from(client, "/login")
    resp = client.post(
        f"/login?next={evil}", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    assert client.get("/cases/mine").status_code == 200


def test_login_follows_a_path_on_this_site_with_its_query(client, factory):
    user = factory.staff()
    token = token_from(client, "/login")
    resp = client.post(
        "/login?next=/cases/%3Fstate%3Dclosed",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"] == "/cases/?state=closed"


# --- no copies of pages in browsers or proxies ---------------------------------------------------------
def test_every_page_of_a_logged_in_user_is_no_store_but_static_files_are_cacheable(client, factory):
    user = factory.user("staff", "admin")
    case = factory.case("closed")
    login(client, user)
    for url in [
        "/cases/mine",
        "/cases/",
        f"/cases/{case.id}",
        f"/cases/{case.id}/file",
        f"/cases/{case.id}/agreement",
        "/stats/",
        "/stats/export.csv",
        "/stats/cases.xlsx",
        "/settings",
        "/admin/users",
        "/workflow",
    ]:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "no-store", url
    missing = client.get("/cases/999999")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    with client.get("/static/css/layout.css") as resp:
        assert resp.status_code == 200
        assert "no-store" not in resp.headers.get("Cache-Control", "")


def test_the_login_page_is_no_store(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


# --- https: HSTS and Secure cookies; the client address behind a proxy -------------------------------
@pytest.fixture
def make_app(db_url: str) -> Iterator[Callable[..., Flask]]:
    """The app with extra settings (PROXY_HOPS, SESSION_COOKIE_SECURE…) on the test database."""
    from app import create_app

    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE_URL": db_url,
                "PASSWORD_HASH_METHOD": FAST_HASH,
                "SERVER_NAME": None,
                **settings,
            }
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["db_engine"].dispose()


def _login_via(client, username: str, password: str, headers: dict[str, str], base: str = "http://localhost"):
    """Log in as a browser behind ``headers`` would (the Referer is what Flask-WTF checks on https)."""
    token = token_in(text(client.get("/login", headers=headers, base_url=base)))
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers={**headers, "Referer": f"{base}/login"},
        base_url=base,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )


def _addresses(app_session) -> list[str]:
    app_session.rollback()
    out = list(app_session.exec(select(LoginAttempt.address).order_by(LoginAttempt.id)).all())
    app_session.rollback()
    return out


def test_behind_one_proxy_the_forwarded_client_address_is_the_one_counted(make_app, factory, app_session):
    user = factory.staff()
    client = make_app(PROXY_HOPS=1).test_client()
    forwarded = {"X-Forwarded-For": "198.51.100.7"}
    assert _login_via(client, user.username, "wrong-password", forwarded).status_code == 401
    # a client's own X-Forwarded-For comes first; the proxy appends the real address, which is the one taken
    spoofed = {"X-Forwarded-For": "10.1.1.1, 198.51.100.8"}
    assert _login_via(client, user.username, "wrong-password", spoofed).status_code == 401
    assert _addresses(app_session) == ["198.51.100.7", "198.51.100.8"]


def test_without_a_proxy_setting_x_forwarded_for_is_ignored(make_app, factory, app_session):
    user = factory.staff()
    client = make_app().test_client()
    assert client.application.config["PROXY_HOPS"] == 0
    for n in range(3):
        resp = _login_via(client, user.username, "wrong-password", {"X-Forwarded-For": f"198.51.100.{n}"})
        assert resp.status_code == 401
    assert _addresses(app_session) == ["127.0.0.1"] * 3


def _session_cookie(resp) -> str:
    cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, resp.headers
    return cookies[0]


def test_over_plain_http_no_hsts_and_no_secure_cookie(make_app, factory):
    user = factory.staff()
    resp = _login_via(make_app().test_client(), user.username, PASSWORD, {})
    assert resp.status_code == 302
    assert "Strict-Transport-Security" not in resp.headers
    assert "; Secure" not in _session_cookie(resp)


def test_over_https_hsts_and_a_secure_cookie(make_app, factory):
    user = factory.staff()
    client = make_app().test_client()
    resp = _login_via(client, user.username, PASSWORD, {}, base="https://localhost")
    assert resp.status_code == 302
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "; Secure" in _session_cookie(resp)
    page = client.get("/cases/mine", base_url="https://localhost")
    assert page.status_code == 200 and "Strict-Transport-Security" in page.headers


def test_https_seen_by_a_trusted_proxy_counts_as_https(make_app, factory):
    user = factory.staff()
    client = make_app(PROXY_HOPS=1).test_client()
    proxy = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
    resp = _login_via(client, user.username, PASSWORD, proxy, base="https://localhost")
    assert resp.status_code == 302
    assert "; Secure" in _session_cookie(resp) and "Strict-Transport-Security" in resp.headers


def test_x_forwarded_proto_from_an_untrusted_client_is_ignored(make_app, factory):
    user = factory.staff()
    resp = _login_via(make_app().test_client(), user.username, PASSWORD, {"X-Forwarded-Proto": "https"})
    assert resp.status_code == 302
    assert "; Secure" not in _session_cookie(resp) and "Strict-Transport-Security" not in resp.headers


def test_secure_cookies_can_be_forced_when_the_app_cannot_see_https(make_app, factory):
    user = factory.staff()
    resp = _login_via(make_app(SESSION_COOKIE_SECURE=True).test_client(), user.username, PASSWORD, {})
    assert resp.status_code == 302
    assert "; Secure" in _session_cookie(resp)
