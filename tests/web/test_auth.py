"""Login, logout, the rate limit, session expiry and the user's own settings, through the real forms."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlmodel import select

from models import LoginAttempt, User
from services import clock
from services.auth import LoginLimits, LoginRefused, authenticate
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


def test_login_lands_on_the_desk_with_a_permanent_session(client, factory):
    user = factory.staff()
    resp = _post_login(client, user.username, PASSWORD)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    with client.session_transaction() as sess:
        assert sess.permanent
        assert sess["_user_id"] == f"{user.id}:0"  # the user and their session version
    cookie = resp.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie
    assert client.get("/cases/mine").status_code == 200


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


def test_thirty_colleagues_log_in_from_one_address_within_a_minute(app, factory, app_session):
    """One office behind one address (or a reverse proxy): successes never count; a typo here and there."""
    users = [factory.user("staff") for _ in range(30)]
    for n, user in enumerate(users):
        browser = app.test_client()
        if n % 6 == 0:
            assert _post_login(browser, user.username, "typo-password").status_code == 401
        resp = _post_login(browser, user.username, PASSWORD)
        assert resp.status_code == 302, text(resp)[:300]
        assert browser.get("/cases/mine").status_code == 200
    app_session.rollback()
    assert app_session.exec(select(LoginAttempt)).all() == []  # each success cleared its typo


def test_six_wrong_passwords_lock_only_that_account_and_say_for_how_long(client, app, factory, app_session):
    user, colleague = factory.staff(), factory.user("staff")
    for _ in range(5):
        assert _post_login(client, user.username, "wrong-password").status_code == 401
    resp = _post_login(client, user.username, "wrong-password")
    assert resp.status_code == 429
    page = text(resp)
    assert "此账号从本地址已有 5 次密码错误" in page and "请 15 分钟后再试" in page
    assert 'class="flash error" role="alert"' in page
    assert 14 * 60 < int(resp.headers["Retry-After"]) <= 15 * 60
    # the right password is refused too, and nobody was logged in
    resp = _post_login(client, user.username, PASSWORD)
    assert resp.status_code == 429
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    app_session.rollback()
    failures = app_session.exec(select(LoginAttempt).where(LoginAttempt.username == user.username)).all()
    assert [(f.address, f.username) for f in failures] == [("10.0.0.1", user.username)] * 5
    # a colleague at the same address logs in; so does the owner from their own machine
    assert _post_login(app.test_client(), colleague.username, PASSWORD).status_code == 302
    assert _post_login(app.test_client(), user.username, PASSWORD, address="10.0.0.2").status_code == 302
    app_session.rollback()
    assert app_session.exec(select(LoginAttempt)).all() == []


def test_guessing_from_many_addresses_delays_the_account_and_says_for_how_long(client, factory, app_session):
    user = factory.staff()
    limits = LoginLimits()
    # A stranger's sixteen guesses from sixteen machines, each as soon as allowed, the last one just now.
    waits = [limits.account_delay(n) for n in range(16)]
    at = clock.now() - sum(waits, timedelta(0))
    for n, wait in enumerate(waits):
        at += wait
        with pytest.raises(LoginRefused):
            authenticate(
                session=app_session, username=user.username, password="x", address=f"198.51.100.{n}", now=at
            )
    resp = _post_login(client, user.username, PASSWORD, address="10.0.0.5")
    assert resp.status_code == 429
    page = text(resp)
    assert "此账号近期已有 16 次密码错误，为防止他人猜测密码，请" in page and "后再试" in page
    assert 0 < int(resp.headers["Retry-After"]) <= 60
    app_session.rollback()
    assert len(app_session.exec(select(LoginAttempt)).all()) == 16  # the refused try is not counted


def test_an_address_with_fifty_failures_is_paused_but_others_are_not(client, factory, app_session):
    victim = factory.staff()
    for n in range(50):
        assert _post_login(client, f"guess{n}", "wrong-password", address="10.9.9.9").status_code == 401
    resp = _post_login(client, victim.username, PASSWORD, address="10.9.9.9")
    assert resp.status_code == 429
    assert "本地址登录失败次数过多（50 次）" in text(resp) and "请 15 分钟后再试" in text(resp)
    assert _post_login(client, victim.username, PASSWORD, address="10.9.9.10").status_code == 302
    app_session.rollback()
    assert len(app_session.exec(select(LoginAttempt).where(LoginAttempt.address == "10.9.9.9")).all()) == 50


def test_refusals_are_in_english_for_an_english_visitor(client, factory):
    user = factory.staff()
    client.get("/locale/en")
    for _ in range(5):
        assert "Wrong username or password." in text(_post_login(client, user.username, "wrong-password"))
    resp = _post_login(client, user.username, "wrong-password")
    assert resp.status_code == 429
    assert "5 wrong passwords for this account from this address" in text(resp)
    assert "try again in 15 minutes" in text(resp)


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


# --- every session of a user ends on logout, a new password, a reset or deactivation -------------------
def _version(app_session, user: User) -> int:
    return _fresh(app_session, user).session_version


def _replay(app, cookie: str):
    """Another browser presenting a session cookie saved earlier."""
    browser = app.test_client()
    browser.set_cookie("session", cookie)
    return browser


def test_a_cookie_saved_before_logout_no_longer_works(client, app, factory, app_session):
    user = factory.staff()
    login(client, user)
    saved = client.get_cookie("session").value
    assert _replay(app, saved).get("/cases/mine").status_code == 200
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    assert _version(app_session, user) == 1
    resp = _replay(app, saved).get("/cases/mine")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_logout_ends_the_users_other_sessions_too(client, app, factory):
    user = factory.staff()
    phone = app.test_client()
    login(client, user)
    login(phone, user)
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    assert phone.get("/cases/mine").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, app, factory, app_session):
    user = factory.staff()
    phone = app.test_client()
    login(client, user)
    login(phone, user)
    saved = client.get_cookie("session").value
    assert _change_password(client, PASSWORD, "brand-new-pass", "brand-new-pass").status_code == 303
    assert _version(app_session, user) == 1
    page = client.get("/settings")
    assert page.status_code == 200 and "其他设备上的登录已退出" in text(page)
    assert phone.get("/cases/mine").status_code == 302
    assert _replay(app, saved).get("/cases/mine").status_code == 302  # this browser's old cookie too


def test_an_admin_reset_ends_the_users_sessions(client, app, factory, app_session):
    user, admin = factory.staff(), factory.user("admin")
    login(client, user)
    admin_browser = app.test_client()
    login(admin_browser, admin)
    token = token_from(admin_browser, "/admin/users")
    resp = admin_browser.post(f"/admin/users/{user.id}/password", data={"csrf_token": token})
    assert resp.status_code == 200 and "该用户的所有登录已退出" in text(resp)
    assert _version(app_session, user) == 1
    assert client.get("/cases/mine").status_code == 302
    assert admin_browser.get("/admin/users").status_code == 200  # the admin's own session is untouched


def test_an_admin_resetting_their_own_password_stays_logged_in(client, factory, app_session):
    admin = factory.user("admin")
    login(client, admin)
    token = token_from(client, "/admin/users")
    assert client.post(f"/admin/users/{admin.id}/password", data={"csrf_token": token}).status_code == 200
    assert _version(app_session, admin) == 1
    assert client.get("/admin/users").status_code == 200


def test_a_session_from_before_session_versions_is_logged_out(client, factory):
    user = factory.staff()
    login(client, user)
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)  # the id alone, as sessions were written before
    assert client.get("/cases/mine").status_code == 302


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
