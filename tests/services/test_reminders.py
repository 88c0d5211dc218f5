"""Daily reminders: one digest per person per day in the inbox, by email to a real SMTP server and by a
signed webhook to a real HTTP receiver; idempotent runs, retries, and a channel down that stops nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from models import Delivery, ReminderPreference, User
from services import clock
from services.permissions import actor_for
from services.policy import update_policy
from services.reminders import STALE_SENDING, Report, inbox, mark_read, remind, set_channels, unread_count
from services.reminders_channels import Channel, EmailChannel, Outgoing, WebhookChannel, channels_from
from tests.factories import Factory
from tests.receivers import WEBHOOK_SECRET, free_port, smtp_server, webhook_receiver
from tests.services.test_desk import TODAY, at, case_with_deadline

SENDER = "人民调解 <noreply@tiaojie.test>"


def email(port: int) -> EmailChannel:
    return EmailChannel("127.0.0.1", port, SENDER, timeout=5)


def webhook(url: str, pauses: list[float] | None = None) -> WebhookChannel:
    recorded = pauses if pauses is not None else []
    return WebhookChannel(url, WEBHOOK_SECRET, tries=3, backoff=0.5, timeout=5, sleep=recorded.append)


def run(session: Session, channels: dict[str, Channel], day: date = TODAY):  # type: ignore[no-untyped-def]
    session.rollback()
    return remind(
        session=session, channels=channels, day=day, now=at(day, 7), site_url="https://tiaojie.test"
    )


def volunteer_with_work(
    factory: Factory, session: Session, *, by_email: bool = True, by_webhook: bool = True
) -> User:
    case_with_deadline(factory, TODAY - timedelta(days=2))
    case_with_deadline(factory, TODAY + timedelta(days=1))
    volunteer = factory.member("volunteer")
    set_channels(
        session=session,
        user_id=volunteer.id or 0,
        email="xiaozhang@example.cn",
        by_email=by_email,
        by_webhook=by_webhook,
    )
    return volunteer


def deliveries(session: Session) -> dict[str, Delivery]:
    session.rollback()
    return {d.channel: d for d in session.exec(select(Delivery).order_by(col(Delivery.id)))}


def test_one_digest_per_person_and_a_second_run_sends_nothing_new(session: Session, factory: Factory) -> None:
    volunteer = volunteer_with_work(factory, session)
    staff = factory.staff()
    with smtp_server() as box, webhook_receiver() as hook:
        channels: dict[str, Channel] = {"email": email(box.port), "webhook": webhook(hook.url)}
        first = run(session, channels)
        assert first.ok and first.digests == 2  # the volunteer's and the staff member's (overdue case)
        assert first.sent == {"email": 1, "webhook": 1}
        again = run(session, channels)
        assert again.ok and again.digests == 0 and not again.sent
        assert len(box.mails) == 1 and len(hook.hooks) == 1
    session.rollback()
    assert [m.day for m in inbox(session, volunteer.id or 0)] == [TODAY]
    assert len(inbox(session, staff.id or 0)) == 1
    assert {d.status for d in deliveries(session).values()} == {"sent"}


def test_email_reaches_the_chosen_address_with_a_chinese_subject_and_no_personal_data(
    session: Session, factory: Factory
) -> None:
    volunteer = volunteer_with_work(factory, session, by_webhook=False)
    with smtp_server() as box:
        assert run(session, {"email": email(box.port)}).ok
    [mail] = box.mails
    assert mail.recipients == ["xiaozhang@example.cn"]
    message = mail.message
    assert message["To"] == "xiaozhang@example.cn"
    assert message["Subject"] == "【人民调解】2026年11月20日 待办提醒（2 件）"
    assert "人民调解" in str(message["From"])
    body = message.get_content()
    assert body.startswith(f"{volunteer.display_name}，您好：")
    assert "【我承办的超期案件】1 件" in body and "已超期 2 天" in body
    assert "【我承办的 3 日内到期案件】1 件" in body and "还剩 1 天" in body
    assert "https://tiaojie.test/" in body
    assert "张三" not in body and not re.search(
        r"13\d{9}", body
    )  # parties' names and numbers stay in the site


def test_the_webhook_is_signed_and_retried_after_a_500(session: Session, factory: Factory) -> None:
    volunteer = volunteer_with_work(factory, session, by_email=False)
    pauses: list[float] = []
    with webhook_receiver([500, 200]) as hook:
        report = run(session, {"webhook": webhook(hook.url, pauses)})
    assert report.ok and report.sent == {"webhook": 1}
    assert [h.signature_ok for h in hook.hooks] == [True, True]
    assert pauses == [0.5]  # one pause before the second try
    first, second = hook.hooks
    assert first.headers["X-Tiaojie-Delivery"] == second.headers["X-Tiaojie-Delivery"]
    body = second.body
    assert body["msgtype"] == "text" and body["text"]["content"].startswith("【人民调解】")
    assert body["tiaojie"]["user"]["username"] == volunteer.username
    assert body["tiaojie"]["day"] == TODAY.isoformat()
    assert [s["key"] for s in body["tiaojie"]["digest"]["sections"]] == ["overdue", "due_soon"]
    sent = deliveries(session)["webhook"]
    assert (sent.status, sent.attempts, sent.target) == ("sent", 2, hook.url.split("/")[2])


def test_a_webhook_that_keeps_failing_is_tried_three_times_then_reported(
    session: Session, factory: Factory
) -> None:
    volunteer_with_work(factory, session, by_email=False)
    pauses: list[float] = []
    with webhook_receiver([503]) as hook:
        report = run(session, {"webhook": webhook(hook.url, pauses)})
    assert len(hook.hooks) == 3 and pauses == [0.5, 1.0]
    assert not report.ok and report.failed[0][1] == "webhook" and "HTTP 503" in report.failed[0][2]
    failed = deliveries(session)["webhook"]
    assert (failed.status, failed.attempts) == ("failed", 3)


def test_a_refusal_that_is_not_a_server_error_is_not_retried(session: Session, factory: Factory) -> None:
    volunteer_with_work(factory, session, by_email=False)
    with webhook_receiver() as hook:
        wrong_secret = WebhookChannel(hook.url, "not-the-secret", tries=3, backoff=0, sleep=lambda s: None)
        report = run(session, {"webhook": wrong_secret})
    assert [h.signature_ok for h in hook.hooks] == [False]  # the receiver refused it (401): no retry
    assert "HTTP 401" in report.failed[0][2]


def test_one_channel_down_does_not_stop_the_others_and_is_retried_next_run(
    session: Session, factory: Factory
) -> None:
    volunteer = volunteer_with_work(factory, session)
    port = free_port()  # nothing listens there yet
    with webhook_receiver() as hook:
        channels: dict[str, Channel] = {"email": email(port), "webhook": webhook(hook.url)}
        down = run(session, channels)
        assert down.sent == {"webhook": 1}
        assert [(who, channel) for who, channel, _ in down.failed] == [(volunteer.username, "email")]
        assert "127.0.0.1" in down.failed[0][2]
        log = deliveries(session)
        assert (log["email"].status, log["webhook"].status) == ("failed", "sent")
        assert log["email"].error
        session.rollback()
        assert unread_count(session, volunteer.id or 0) == 1  # the inbox has it regardless
        with smtp_server(port) as box:
            retried = run(session, channels)
        assert retried.ok and retried.digests == 0 and retried.sent == {"email": 1}
        assert len(box.mails) == 1 and len(hook.hooks) == 1  # the webhook is not sent twice
    log = deliveries(session)
    assert (log["email"].status, log["email"].attempts) == ("sent", 2)


class SecondRunWhileSending:
    """An email channel that lets a second run start while it sends (cron and a run by hand, say)."""

    name = "email"

    def __init__(self, inner: EmailChannel, other: Session) -> None:
        self.inner, self.other = inner, other
        self.second: object = None

    def target(self, address: str) -> str:
        return self.inner.target(address)

    def send(self, out: Outgoing) -> int:
        self.second = run(self.other, {"email": self.inner})
        return self.inner.send(out)

    def close(self) -> None:
        self.inner.close()


def test_two_runs_at_once_send_a_delivery_once(session: Session, factory: Factory) -> None:
    volunteer_with_work(factory, session, by_webhook=False)
    with smtp_server() as box, Session(session.get_bind()) as other:
        channel = SecondRunWhileSending(email(box.port), other)
        first = run(session, {"email": channel})
    assert first.sent == {"email": 1} and len(box.mails) == 1
    second = channel.second
    assert isinstance(second, Report) and second.ok and second.digests == 0 and not second.sent


def test_a_delivery_left_sending_by_a_run_that_died_is_sent_by_the_next(
    session: Session, factory: Factory
) -> None:
    volunteer_with_work(factory, session, by_webhook=False)
    port = free_port()
    assert not run(session, {"email": email(port)}).ok  # the digest is stored, its email failed
    session.rollback()
    session.execute(update(Delivery).values(status="sending", updated_at=clock.now()))
    session.commit()
    with smtp_server(port) as box:
        assert not run(session, {"email": email(port)}).sent  # maybe still sending: left alone
        session.execute(
            update(Delivery).values(updated_at=clock.now() - STALE_SENDING - timedelta(minutes=1))
        )
        session.commit()
        again = run(session, {"email": email(port)})
    assert again.sent == {"email": 1} and len(box.mails) == 1
    assert deliveries(session)["email"].status == "sent"


def test_a_new_day_supersedes_an_older_digest_that_never_got_through(
    session: Session, factory: Factory
) -> None:
    volunteer_with_work(factory, session, by_webhook=False)
    port = free_port()
    assert not run(session, {"email": email(port)}).ok
    with smtp_server(port) as box:
        assert run(session, {"email": email(port)}, TODAY + timedelta(days=1)).ok
    assert len(box.mails) == 1 and "2026年11月21日" in str(box.mails[0].message["Subject"])
    session.rollback()
    statuses = [d.status for d in session.exec(select(Delivery).order_by(col(Delivery.id)))]
    assert statuses == ["superseded", "sent"]


def test_nobody_with_an_empty_desk_gets_a_digest_and_the_inbox_is_always_on(
    session: Session, factory: Factory
) -> None:
    idle = factory.member("mediator")
    case_with_deadline(factory, TODAY - timedelta(days=1))
    volunteer = factory.member("volunteer")  # no channel chosen: the inbox only
    with smtp_server() as box:
        report = run(session, {"email": email(box.port)})
    assert report.ok and not box.mails and not deliveries(session)
    session.rollback()
    assert inbox(session, idle.id or 0) == []
    [message] = inbox(session, volunteer.id or 0)
    assert message.subject.startswith("【人民调解】") and message.data["sections"][0]["key"] == "overdue"


def test_an_unconfigured_channel_is_not_used(session: Session, factory: Factory) -> None:
    volunteer_with_work(factory, session)
    report = run(session, {})
    assert report.ok and report.digests == 2 and not deliveries(session)
    assert set(channels_from({"MAIL_SERVER": "", "REMINDER_WEBHOOK_URL": ""})) == set()
    configured = channels_from(
        {"MAIL_SERVER": "smtp.example.cn", "REMINDER_WEBHOOK_URL": "https://gw.example.cn/x"}
    )
    assert set(configured) == {"email", "webhook"}


def test_the_delivery_log_names_the_webhooks_host_and_not_its_secrets() -> None:
    robot = WebhookChannel("https://bot:pass@qyapi.example.cn:8443/send?key=SECRET-KEY", "s")
    assert robot.target("") == "qyapi.example.cn:8443"
    assert (
        WebhookChannel("https://oapi.example.cn/robot/send?access_token=T", "s").target("")
        == "oapi.example.cn"
    )


def test_mark_read_is_per_user(session: Session, factory: Factory) -> None:
    volunteer = volunteer_with_work(factory, session, by_email=False, by_webhook=False)
    other = factory.staff()
    run(session, {})
    run(session, {}, TODAY + timedelta(days=1))
    session.rollback()
    mine = inbox(session, volunteer.id or 0)
    assert [m.day for m in mine] == [TODAY + timedelta(days=1), TODAY]
    assert mark_read(session=session, user_id=other.id or 0, message_id=mine[0].id) == 0
    assert mark_read(session=session, user_id=volunteer.id or 0, message_id=mine[0].id) == 1
    assert unread_count(session, volunteer.id or 0) == 1
    assert mark_read(session=session, user_id=volunteer.id or 0) == 1
    assert unread_count(session, volunteer.id or 0) == 0


@pytest.mark.parametrize(
    ("address", "by_email", "message"),
    [
        ("not-an-address", False, "格式不正确"),
        ("", True, "须填写电子邮箱"),
        ("a@b.cn" * 50, True, "格式不正确"),
    ],
)
def test_channel_choices_are_checked(
    session: Session, factory: Factory, address: str, by_email: bool, message: str
) -> None:
    from services.errors import Invalid

    user = factory.staff()
    with pytest.raises(Invalid) as err:
        set_channels(
            session=session, user_id=user.id or 0, email=address, by_email=by_email, by_webhook=False
        )
    assert message in err.value.message and err.value.field == "email"
    session.rollback()
    assert session.get(ReminderPreference, user.id) is None


def test_leaders_get_the_counts_and_administrators_only_see_them(session: Session, factory: Factory) -> None:
    case_with_deadline(factory, TODAY - timedelta(days=1))
    leader = factory.user("leader")
    admin = factory.user("admin", communities=[])
    run(session, {})
    session.rollback()
    [message] = inbox(session, leader.id or 0)
    assert "超期 1 件" in message.body and message.data["communities"][0]["overdue"] == 1
    assert inbox(session, admin.id or 0) == []


def test_escalation_by_time_reaches_the_leaders_digest(session: Session, factory: Factory) -> None:
    case_with_deadline(factory, TODAY - timedelta(days=3))
    case_with_deadline(factory, TODAY - timedelta(days=2))
    leader = factory.user("leader")
    admin = factory.user("admin", communities=[])
    update_policy(
        session=session, actor=actor_for(session, admin), values={"escalate_overdue_days": 3}, reason="测试"
    )
    run(session, {})
    session.rollback()
    [message] = inbox(session, leader.id or 0)
    assert "【超期 3 天以上的案件】1 件" in message.body and "已超期 3 天" in message.body
    assert "已超期 2 天" not in message.body
