"""Login, logout, the rate limit, session expiry and the user's own settings, through the real forms."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import select

from models import LoginAttempt, User
from tests.factories import PASSWORD
from tests.web.case_helpers import login, text, token_from, token_in


def _post_login(client, username: str, password: str, address: str = "10.0.0.1"):
    token = token_from(client, "/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def _fresh(app_session, user: User) -> User:
    app_session.rollback()
    row = app_session.get(User, user.id)
    assert row is not None
    return row


def test_login_page_is_the_contract_form(client):
    resp = client.get("/login")
    html = text(resp)
    assert resp.status_code == 200
    assert 'name="username"' in html and 'name="password"' in html
    assert ">登录</button>" in html


def test_login_lands_on_my_cases_with_a_permanent_session(client, factory):
    user = factory.staff()
    resp = _post_login(client, user.username, PASSWORD)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/cases/mine")
    with client.session_transaction() as sess:
        assert sess.permanent
        assert sess["_user_id"] == str(user.id)
    cookie = resp.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie
    assert client.get("/cases/mine").status_code == 200


def test_login_follows_a_local_next_but_not_another_site(client, factory):
    user = factory.staff()
    token = token_from(client, "/login")
    resp = client.post(
        "/login?next=//evil.example/x",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"].endswith("/cases/mine")
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    token = token_from(client, "/login")
    resp = client.post(
        "/login?next=/workflow", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.headers["Location"].endswith("/workflow")


def test_bad_password_is_401_with_a_message(client, factory):
    user = factory.staff()
    resp = _post_login(client, user.username, "wrong-password")
    assert resp.status_code == 401
    assert "用户名或密码错误" in text(resp)
    assert 'class="flash error" role="alert"' in text(resp)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_unknown_user_is_401_like_a_bad_password(client, factory):
    resp = _post_login(client, "nobody", "whatever-pass")
    assert resp.status_code == 401
    assert "用户名或密码错误" in text(resp)


def test_empty_fields_are_422_with_field_messages(client):
    resp = _post_login(client, "", "")
    assert resp.status_code == 422
    assert "请输入用户名" in text(resp) and "请输入密码" in text(resp)


def test_inactive_user_is_refused(client, factory, app_session):
    from services.users import update_user

    user = factory.staff()
    update_user(session=app_session, user_id=user.id, actor_id=None, active=False)
    resp = _post_login(client, user.username, PASSWORD)
    assert resp.status_code == 403
    assert "已停用" in text(resp)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_deactivated_user_loses_an_existing_session(client, factory, app_session):
    from services.users import update_user

    user = factory.staff()
    login(client, user)
    assert client.get("/cases/mine").status_code == 200
    update_user(session=app_session, user_id=user.id, actor_id=None, active=False)
    resp = client.get("/cases/mine")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_sixth_try_in_a_minute_is_refused_per_account(client, factory, app_session):
    user = factory.staff()
    for n in range(5):
        resp = _post_login(client, user.username, "wrong-password", address=f"10.0.1.{n}")
        assert resp.status_code == 401
    # the right password from yet another address: still refused, the account is throttled
    resp = _post_login(client, user.username, PASSWORD, address="10.0.1.99")
    assert resp.status_code == 429
    assert "过于频繁" in text(resp)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    attempts = app_session.exec(select(LoginAttempt).where(LoginAttempt.username == user.username)).all()
    assert len(attempts) == 6


def test_sixth_try_in_a_minute_is_refused_per_address(client, factory):
    victim = factory.staff()
    for n in range(5):
        assert _post_login(client, f"guess{n}", "wrong-password", address="10.9.9.9").status_code == 401
    resp = _post_login(client, victim.username, PASSWORD, address="10.9.9.9")
    assert resp.status_code == 429
    assert "过于频繁" in text(resp)
    # another address is not throttled
    assert _post_login(client, victim.username, PASSWORD, address="10.9.9.10").status_code == 302


def test_login_without_csrf_token_is_400(client, factory):
    user = factory.staff()
    resp = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert resp.status_code == 400
    assert "安全令牌" in text(resp)


def test_logout_needs_post_and_csrf(client, factory):
    login(client, factory.staff())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/cases/mine").status_code == 200  # still logged in
    token = token_from(client, "/settings")
    resp = client.post("/logout", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert client.get("/cases/mine").status_code == 302
    assert "已退出登录" in text(client.get("/login"))


@pytest.mark.parametrize(
    "url", ["/", "/cases/mine", "/cases/", "/workflow", "/admin/", "/admin/users", "/settings", "/stats/"]
)
def test_pages_require_login(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_login_page_and_static_files_are_public(client):
    assert client.get("/login").status_code == 200
    with client.get("/static/css/layout.css") as resp:
        assert resp.status_code == 200


def test_session_cookie_lasts_the_configured_lifetime(client, factory, app):
    login(client, factory.staff())
    resp = client.get("/cases/mine")
    assert resp.status_code == 200
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime.total_seconds() == 8 * 3600
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    remaining = cookie.expires.timestamp() - time.time()
    assert lifetime.total_seconds() - 120 < remaining <= lifetime.total_seconds() + 5


def test_an_expired_session_is_logged_out(client, factory, app, monkeypatch):
    login(client, factory.staff())
    assert client.get("/cases/mine").status_code == 200
    later = time.time() + app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    resp = client.get("/cases/mine")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


# --- settings: password and language ------------------------------------------------------------------
def _change_password(client, current: str, new: str, confirm: str):
    token = token_from(client, "/settings")
    return client.post(
        "/settings/password", data={"current": current, "new": new, "confirm": confirm, "csrf_token": token}
    )


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong-one", "new-pass-123", "new-pass-123", "当前密码不正确"),
        (PASSWORD, "short", "short", "新密码须为 8–200 个字符"),
        (PASSWORD, "new-pass-123", "new-pass-124", "两次输入的新密码不一致"),
        ("", "", "", "请输入当前密码"),
        (PASSWORD, "x" * 201, "x" * 201, "新密码须为 8–200 个字符"),
    ],
)
def test_change_password_refuses_bad_input(client, factory, app_session, current, new, confirm, message):
    user = factory.staff()
    before = _fresh(app_session, user).password_hash
    login(client, user)
    resp = _change_password(client, current, new, confirm)
    assert resp.status_code == 422
    assert message in text(resp)
    assert _fresh(app_session, user).password_hash == before


def test_change_password_then_log_in_with_the_new_one(client, factory):
    user = factory.staff()
    login(client, user)
    resp = _change_password(client, PASSWORD, "brand-new-pass", "brand-new-pass")
    assert resp.status_code == 303
    assert "密码已修改" in text(client.get("/settings"))
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    assert _post_login(client, user.username, PASSWORD).status_code == 401
    assert _post_login(client, user.username, "brand-new-pass", address="10.0.0.2").status_code == 302


def test_language_setting_is_saved_on_the_user(client, factory, app_session):
    user = factory.staff()
    login(client, user)
    token = token_from(client, "/settings")
    resp = client.post("/settings/locale", data={"locale": "en", "csrf_token": token})
    assert resp.status_code == 303
    assert _fresh(app_session, user).locale == "en"
    page = text(client.get("/settings"))
    assert "Log out" in page and "Change password" in page
    assert '<html lang="en">' in page


def test_language_setting_refuses_an_unknown_language(client, factory, app_session):
    user = factory.staff()
    login(client, user)
    token = token_in(text(client.get("/settings")))
    resp = client.post("/settings/locale", data={"locale": "fr", "csrf_token": token})
    assert resp.status_code == 422
    assert _fresh(app_session, user).locale == "zh"
