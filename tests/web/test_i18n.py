"""Language: Chinese by default, English through Flask-Babel; dates the way Chinese offices write them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from models import User
from tests.web.case_helpers import login, text, token_from
from web.display import cn_date, cn_datetime


def test_cn_date_of_a_date_and_of_a_moment_in_beijing_time():
    assert cn_date(date(2026, 11, 23)) == "2026年11月23日"
    assert cn_date(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == "2026年11月24日"  # 01:00 in Beijing
    assert cn_date(None) == "—"


def test_cn_datetime_is_beijing_time_and_reads_naive_values_as_utc():
    assert cn_datetime(datetime(2026, 1, 5, 2, 7, tzinfo=UTC)) == "2026年1月5日 10:07"
    assert cn_datetime(datetime(2026, 12, 31, 16, 30)) == "2027年1月1日 00:30"
    assert cn_datetime(None) == "—"


def test_filters_are_registered_on_the_app(app):
    env = app.jinja_env
    assert env.from_string("{{ d|cn_date }}").render(d=date(2026, 3, 8)) == "2026年3月8日"
    moment = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)
    assert env.from_string("{{ d|cn_datetime }}").render(d=moment) == "2026年3月8日 08:00"


def test_chinese_is_the_default(client):
    page = text(client.get("/login"))
    assert '<html lang="zh-CN">' in page
    assert ">登录</button>" in page


def test_anonymous_visitor_switches_to_english_and_back(client):
    resp = client.get("/locale/en?next=/login")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    page = text(client.get("/login"))
    assert '<html lang="en">' in page
    assert ">Log in</button>" in page and "Username" in page and "Password" in page
    client.get("/locale/zh")
    assert ">登录</button>" in text(client.get("/login"))


def test_unknown_language_is_404_and_other_sites_are_not_followed(client):
    assert client.get("/locale/fr").status_code == 404
    resp = client.get("/locale/en?next=https://evil.example/")
    assert resp.headers["Location"] == "/"


def test_english_error_messages_for_login(client):
    client.get("/locale/en")
    token = token_from(client, "/login")
    resp = client.post("/login", data={"username": "", "password": "", "csrf_token": token})
    assert resp.status_code == 422
    assert "Please enter your username." in text(resp)


def test_logged_in_switch_is_a_post_that_saves_the_setting(client, factory, app_session):
    user = factory.user("admin")
    login(client, user)
    assert client.post("/locale/en").status_code == 400  # no CSRF token
    token = token_from(client, "/settings")
    resp = client.post("/locale/en", data={"csrf_token": token, "next": "/admin/"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/")
    app_session.rollback()
    assert app_session.exec(select(User.locale).where(User.id == user.id)).one() == "en"
    page = text(client.get("/admin/"))
    assert "Users" in page and "Triage policy" in page and "Log out" in page
    assert "Workflow" in page and "Settings" in page
    page = text(client.get("/workflow"))
    assert "Case workflow" in page and "Who may do it" in page


def test_the_user_setting_wins_over_the_session(client, factory, app_session):
    user = factory.staff()
    client.get("/locale/en")
    login(client, user)
    assert "退出" in text(client.get("/settings"))  # the user's own setting (zh) applies after login
