"""``flask remind`` and 设置's 提醒方式: channels from the settings, exit status, what users may pick."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, select

from models import Delivery, ReminderPreference
from services.reminders import set_channels
from tests.conftest import FAST_HASH
from tests.factories import Factory
from tests.receivers import WEBHOOK_SECRET, free_port, smtp_server, webhook_receiver
from tests.web.case_helpers import distinct_parties, login, text, token_from
from tests.web.test_desk import TODAY, at


@pytest.fixture
def mail_port() -> int:
    return free_port()


@pytest.fixture
def configured_app(db_url: str, mail_port: int) -> Iterator[Flask]:
    """The app with email (a local SMTP port) and the webhook (a local receiver, added by the test)."""
    from app import create_app

    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": db_url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": mail_port,
            "MAIL_FROM": "人民调解 <noreply@tiaojie.test>",
            "REMINDER_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "REMINDER_WEBHOOK_BACKOFF": 0,
            "SITE_URL": "https://tiaojie.test",
        }
    )
    yield application
    application.extensions["db_engine"].dispose()


def tag(page: str, field_id: str) -> str:
    """The <input> tag of one field."""
    found = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def overdue_volunteer(factory: Factory, session: Session) -> int:
    factory.case("assigned", now=at(TODAY - timedelta(days=32)), parties=distinct_parties())
    volunteer = factory.member("volunteer")
    set_channels(
        session=session, user_id=volunteer.id or 0, email="v@example.cn", by_email=True, by_webhook=True
    )
    return volunteer.id or 0


def test_remind_sends_by_every_channel_and_a_second_run_nothing(
    configured_app: Flask, factory: Factory, session: Session, mail_port: int
) -> None:
    overdue_volunteer(factory, session)
    with smtp_server(mail_port) as box, webhook_receiver() as hook:
        configured_app.config["REMINDER_WEBHOOK_URL"] = hook.url
        runner = configured_app.test_cli_runner()
        first = runner.invoke(args=["remind"])
        assert first.exit_code == 0, first.output
        assert "新生成提醒 2 份" in first.output and "电子邮件 1 份" in first.output
        second = runner.invoke(args=["remind"])
        assert (
            second.exit_code == 0 and "新生成提醒 0 份" in second.output and "本次送出：无" in second.output
        )
    assert len(box.mails) == 1 and len(hook.hooks) == 1 and hook.hooks[0].signature_ok
    assert box.mails[0].recipients == ["v@example.cn"]
    assert f"{TODAY.year}年{TODAY.month}月{TODAY.day}日" in str(box.mails[0].message["Subject"])


def test_remind_reports_a_channel_down_and_exits_1(
    configured_app: Flask, factory: Factory, session: Session
) -> None:
    volunteer_id = overdue_volunteer(factory, session)
    with webhook_receiver() as hook:
        configured_app.config["REMINDER_WEBHOOK_URL"] = hook.url
        result = configured_app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 1
    assert "未送达" in result.output and "电子邮件" in result.output and "下次运行时重试" in result.output
    assert len(hook.hooks) == 1
    session.rollback()
    statuses = {
        d.channel: d.status for d in session.exec(select(Delivery).where(Delivery.user_id == volunteer_id))
    }
    assert statuses == {"email": "failed", "webhook": "sent"}


def test_remind_refuses_a_bad_day(configured_app: Flask) -> None:
    result = configured_app.test_cli_runner().invoke(args=["remind", "--day", "2026-13-01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_remind_for_a_given_day(configured_app: Flask, factory: Factory, session: Session) -> None:
    factory.case("assigned", now=at(TODAY - timedelta(days=32)), parties=distinct_parties())
    day = TODAY + timedelta(days=1)
    result = configured_app.test_cli_runner().invoke(args=["remind", "--day", day.isoformat()])
    assert result.exit_code == 0 and result.output.startswith(day.isoformat())


# --- 设置: 提醒方式 ------------------------------------------------------------------------------------
def test_settings_saves_the_channels_the_site_offers(
    configured_app: Flask, factory: Factory, session: Session
) -> None:
    configured_app.config["REMINDER_WEBHOOK_URL"] = "http://127.0.0.1:9/hook"
    user = factory.member("volunteer")
    client = configured_app.test_client()
    login(client, user)
    token = token_from(client, "/settings")
    resp = client.post(
        "/settings/reminders",
        data={"csrf_token": token, "by_email": "y", "email": "xiao@example.cn", "by_webhook": "y"},
    )
    assert resp.status_code == 303
    session.rollback()
    saved = session.get(ReminderPreference, user.id)
    assert saved is not None and (saved.email, saved.by_email, saved.by_webhook) == (
        "xiao@example.cn",
        True,
        True,
    )
    page = text(client.get("/settings"))
    assert 'value="xiao@example.cn"' in page and "checked" in tag(page, "by_email")


def test_settings_refuses_a_bad_address_and_keeps_what_was_typed(
    configured_app: Flask, factory: Factory, session: Session
) -> None:
    user = factory.member("volunteer")
    client = configured_app.test_client()
    login(client, user)
    token = token_from(client, "/settings")
    resp = client.post("/settings/reminders", data={"csrf_token": token, "by_email": "y", "email": "xiao@"})
    page = text(resp)
    assert resp.status_code == 422 and "电子邮箱地址格式不正确" in page and 'value="xiao@"' in page
    session.rollback()
    assert session.get(ReminderPreference, user.id) is None


def test_a_channel_the_site_has_not_set_up_cannot_be_chosen(
    client, factory: Factory, session: Session
) -> None:  # type: ignore[no-untyped-def]
    user = factory.member("volunteer")
    login(client, user)
    page = text(client.get("/settings"))
    assert "本站尚未配置邮件服务器" in page and "disabled" in tag(page, "by_email")
    token = token_from(client, "/settings")
    client.post(
        "/settings/reminders",
        data={"csrf_token": token, "by_email": "y", "email": "a@b.cn", "by_webhook": "y"},
    )
    session.rollback()
    saved = session.get(ReminderPreference, user.id)
    assert saved is not None and not saved.by_email and not saved.by_webhook and saved.email == "a@b.cn"


def test_digest_links_use_the_site_url(
    configured_app: Flask, factory: Factory, session: Session, mail_port: int
) -> None:
    overdue_volunteer(factory, session)
    with smtp_server(mail_port) as box:
        configured_app.test_cli_runner().invoke(args=["remind"])
    assert "https://tiaojie.test/" in box.mails[0].message.get_content()


def test_a_database_fault_gives_the_channels_back_as_typed(db_url: str) -> None:
    from tests.dbfaults import returns
    from tests.web.test_faults import BUSY, is_unavailable_page, lock_held, site

    with site(db_url, MAIL_SERVER="127.0.0.1") as (app, factory):
        client = app.test_client()
        login(client, factory.member("volunteer"))
        chosen = {"csrf_token": token_from(client, "/settings"), "by_email": "y", "email": "lock@example.cn"}
        with lock_held(db_url, "reminder_preference"):
            kept = returns(lambda: client.post("/settings/reminders", data=chosen))
            is_unavailable_page(kept, BUSY, "5")
            assert 'value="lock@example.cn"' in text(kept) and "checked" in tag(text(kept), "by_email")
        assert client.post("/settings/reminders", data=chosen).status_code == 303
