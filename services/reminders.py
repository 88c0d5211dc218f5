"""Daily reminders (``flask remind``): each person's desk as one digest a day, in the inbox and through
the channels they chose; the inbox itself; the channel choices.

A run has two steps. First, for every active user who has something on their desk and no digest for
the day yet: the digest goes into their inbox, with one delivery row per channel they chose (an older
undelivered digest of theirs on that channel is superseded: it would only repeat an older day).
Second, every delivery not yet sent is sent, each on its own: one that fails is marked failed and
tried again by the next run, and never stops the others. Running it again the same day therefore
sends nothing new, and only retries what failed. Each delivery is claimed (marked sending) before it is
sent, so two runs at once never send it twice; one left sending by a run that died is tried again after
``STALE_SENDING``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Delivery, InboxMessage, ReminderPreference, User
from services import clock
from services.db import writing
from services.desk import DATE_LABELS, Desk, desk_for, section_title, when
from services.errors import Invalid
from services.permissions import actor_for
from services.reminders_channels import Channel, DeliveryFailed, Outgoing
from workflow import Role
from workflow.text import _, say, say_n
from workflow.text import day as text_day

CHANNEL_LABELS = {"inbox": _("站内消息"), "email": _("电子邮件"), "webhook": _("短信/工作群")}
PENDING, SENDING, SENT, FAILED, SUPERSEDED = "pending", "sending", "sent", "failed", "superseded"
STATUS_LABELS = {
    PENDING: _("待发送"),
    SENDING: _("发送中"),
    SENT: _("已送达"),
    FAILED: _("失败"),
    SUPERSEDED: _("已被新提醒取代"),
}
# Why a delivery failed, as the log keeps it (``<why>: <detail>``); failure_text puts it in words.
FAILURES = {
    "smtp_unreachable": _("邮件未送出"),
    "smtp_refused": _("邮件服务器拒收"),
    "webhook_refused": _("webhook 拒绝"),
    "webhook_failed": _("webhook 多次尝试未送达"),
    "not_configured": _("未配置此渠道"),
}
STALE_SENDING = timedelta(hours=1)  # longer than any send takes: the run that claimed it has died
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254


# --- the digest ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    data: dict[str, Any]


@dataclass(frozen=True)
class DigestLine:
    case_id: int
    number: str | None
    category: str
    date_label: str
    when: str  # 2026年11月30日（还剩 3 天）


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    total: int
    lines: list[DigestLine]

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass(frozen=True)
class DigestCount:
    name: str
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class DigestView:
    """A stored digest in the current language: the inbox shows it, the email and the webhook send it."""

    day: date
    subject: str
    total: int
    sections: list[DigestSection]
    counts: list[DigestCount]
    counts_title: str


def read_digest(data: Mapping[str, Any]) -> DigestView:
    """The digest stored in ``InboxMessage.data``, in words of the current language."""
    day = date.fromisoformat(data["day"])
    sections = []
    for s in data["sections"]:
        lines = []
        for i in s["items"]:
            when_day = date.fromisoformat(i["day"])
            lines.append(
                DigestLine(
                    i["case_id"],
                    i["number"],
                    i["category"],
                    str(DATE_LABELS[s["key"]]),
                    when(s["key"], when_day, (when_day - day).days),
                )
            )
        sections.append(DigestSection(s["key"], section_title(s["key"], s["days"]), s["total"], lines))
    counts = [DigestCount(c["name"], c["overdue"], c["due_soon"]) for c in data["communities"]]
    subject = say_n(
        "【人民调解】%(day)s 待办提醒（%(num)s 件）",
        "【人民调解】%(day)s 待办提醒（%(num)s 件）",
        data["total"],
        day=text_day(day),
    )
    days = data["due_soon_days"]
    counts_title = say_n("【各社区超期及 %(num)s 日内到期】", "【各社区超期及 %(num)s 日内到期】", days)
    return DigestView(day, subject, data["total"], sections, counts, counts_title)


def _text(view: DigestView, display_name: str, site_url: str) -> str:
    """The digest as plain text (email, webhook): case numbers only, no parties' names or numbers."""
    lines = [say("%(name)s，您好：", name=display_name), "", say("%(day)s 的待办：", day=text_day(view.day))]
    for s in view.sections:
        lines += ["", say_n("【%(title)s】%(num)s 件", "【%(title)s】%(num)s 件", s.total, title=s.title)]
        for i in s.lines:
            lines.append(f"- {i.number or say('待受理')} · {i.category} · {i.date_label} {i.when}")
        if s.more:
            lines.append(say_n("  另有 %(num)s 件，请登录查看。", "  另有 %(num)s 件，请登录查看。", s.more))
    if view.counts:
        lines += ["", view.counts_title]
        for c in view.counts:
            counted = say(
                "%(name)s：超期 %(overdue)s 件，即将到期 %(soon)s 件",
                name=c.name,
                overdue=c.overdue,
                soon=c.due_soon,
            )
            lines.append(f"- {counted}")
    if site_url:
        lines += ["", say("打开工作台：%(url)s", url=site_url.rstrip("/") + "/")]
    return "\n".join(lines) + "\n"


def digest_of(desk: Desk, display_name: str, site_url: str = "") -> Digest | None:
    """The desk as a message (no parties' names or numbers: it may leave the site); None when empty."""
    if desk.empty:
        return None
    counts = [c for c in desk.communities or [] if c.overdue or c.due_soon]
    data = {
        "day": desk.today.isoformat(),
        "due_soon_days": desk.due_soon_days,
        "total": sum(s.total for s in desk.waiting) + sum(c.overdue + c.due_soon for c in counts),
        "sections": [
            {
                "key": s.key,
                "days": s.days,
                "total": s.total,
                "items": [
                    {
                        "case_id": i.case_id,
                        "number": i.number,
                        "category": i.category,
                        "day": i.day.isoformat(),
                    }
                    for i in s.items
                ],
            }
            for s in desk.waiting
        ],
        "communities": [
            {"id": c.community_id, "name": c.name, "overdue": c.overdue, "due_soon": c.due_soon}
            for c in counts
        ],
    }
    view = read_digest(data)
    return Digest(view.subject, _text(view, display_name, site_url), data)


# --- the run ------------------------------------------------------------------------------------------
@dataclass
class Report:
    """What a run did: digests written, deliveries sent and failed per channel, and the failures."""

    day: date
    digests: int = 0
    sent: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (username, channel, why)

    @property
    def ok(self) -> bool:
        return not self.failed


def remind(
    *,
    session: Session,
    channels: Mapping[str, Channel],
    day: date | None = None,
    now: datetime | None = None,
    site_url: str = "",
) -> Report:
    """Write the day's digests and send every delivery not yet sent (see the module's doc)."""
    now = now or clock.now()
    day = day or clock.local_date(now)
    report = Report(day)
    for user in _users_without_digest(session, day):
        actor = actor_for(session, user)
        desk = desk_for(session, actor, today=day, now=now)
        if not actor.has(Role.LEADER):
            desk.communities = None  # an administrator sees the counts on the desk; leaders are sent them
        digest = digest_of(desk, user.display_name, site_url)
        if digest is not None and _store(session, user, day, digest, channels, now):
            report.digests += 1
    try:
        _deliver_all(session, channels, report)
    finally:
        for channel in channels.values():
            channel.close()
    return report


def _users_without_digest(session: Session, day: date) -> list[User]:
    """Active users with no digest for ``day`` (one row a person: a few hundred at most)."""
    done = select(InboxMessage.user_id).where(InboxMessage.day == day)
    return list(
        session.exec(
            select(User).where(col(User.active).is_(True), col(User.id).not_in(done)).order_by(col(User.id))
        )
    )


def _store(
    session: Session, user: User, day: date, digest: Digest, channels: Mapping[str, Channel], now: datetime
) -> bool:
    """The digest in the inbox and a delivery per chosen channel, in one transaction; False when a
    concurrent run stored the day's digest first."""
    chosen = preference(session, user.id or 0)
    wanted = [name for name in chosen_channels(chosen) if name in channels]
    try:
        with writing(session):
            message = InboxMessage(
                user_id=user.id or 0,
                day=day,
                subject=digest.subject,
                body=digest.body,
                data=digest.data,
                created_at=now,
            )
            session.add(message)
            session.flush()
            for name in wanted:
                session.execute(
                    update(Delivery)
                    .where(
                        col(Delivery.user_id) == user.id,
                        col(Delivery.channel) == name,
                        col(Delivery.status).in_((PENDING, FAILED)),
                    )
                    .values(status=SUPERSEDED, updated_at=now)
                )
                target = channels[name].target(chosen.email)
                session.add(
                    Delivery(
                        message_id=message.id or 0,
                        user_id=user.id or 0,
                        channel=name,
                        target=target,
                        created_at=now,
                        updated_at=now,
                    )
                )
    except IntegrityError:
        return False
    return True


def _to_send(moment: datetime) -> ColumnElement[bool]:
    """Deliveries a run may take at ``moment``: not sent yet, failed, or left sending by a run that died."""
    return or_(
        col(Delivery.status).in_((PENDING, FAILED)),
        and_(col(Delivery.status) == SENDING, col(Delivery.updated_at) < moment - STALE_SENDING),
    )


def _deliver_all(session: Session, channels: Mapping[str, Channel], report: Report) -> None:
    waiting = session.exec(
        select(col(Delivery.id)).where(_to_send(clock.now())).order_by(col(Delivery.id))
    ).all()
    session.rollback()
    for delivery_id in waiting:
        _deliver(session, int(delivery_id or 0), channels, report)


def _claim(session: Session, delivery_id: int) -> bool:
    """Mark a delivery sending, unless another run took it since it was listed."""
    moment = clock.now()
    with writing(session):
        claimed = session.execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery_id, _to_send(moment))
            .values(status=SENDING, updated_at=moment)
        ).rowcount  # type: ignore[attr-defined]
    return bool(claimed)


def _deliver(session: Session, delivery_id: int, channels: Mapping[str, Channel], report: Report) -> None:
    """Send one delivery and record how it went (its own transaction: a failure stops nothing else)."""
    if not _claim(session, delivery_id):
        return
    delivery = session.get(Delivery, delivery_id)
    assert delivery is not None
    message = session.get(InboxMessage, delivery.message_id)
    user = session.get(User, delivery.user_id)
    assert message is not None and user is not None
    name, username = delivery.channel, user.username
    out = Outgoing(
        delivery_id,
        delivery.target,
        username,
        user.display_name,
        user.phone,
        message.day.isoformat(),
        message.subject,
        message.body,
        message.data,
    )
    session.rollback()  # no transaction stays open while the channel talks to the network
    channel = channels.get(name)
    attempts, problem = 1, ""
    if channel is None:
        problem = f"not_configured: {name}"
    else:
        try:
            attempts = channel.send(out)
        except DeliveryFailed as failed:
            attempts, problem = failed.attempts, str(failed)
    with writing(session):
        row = session.get(Delivery, delivery_id, populate_existing=True)
        assert row is not None
        row.attempts += attempts
        row.updated_at = clock.now()
        row.status, row.error = (FAILED, problem[:500]) if problem else (SENT, "")
        if not problem:
            row.sent_at = row.updated_at
        session.add(row)
    if problem:
        report.failed.append((username, name, failure_text(problem)))
    else:
        report.sent[name] += 1


def failure_text(error: str) -> str:
    """A delivery log's ``<why>: <detail>`` in words of the current language."""
    why, _sep, detail = error.partition(": ")
    return say("%(why)s：%(detail)s", why=FAILURES[why], detail=detail) if why in FAILURES else error


# --- the inbox ----------------------------------------------------------------------------------------
_UNREAD = (
    select(func.count())
    .select_from(InboxMessage)
    .where(col(InboxMessage.user_id) == bindparam("user_id"), col(InboxMessage.read_at).is_(None))
)  # built once: every page's header asks


def unread_count(session: Session, user_id: int) -> int:
    return int(session.exec(_UNREAD, params={"user_id": user_id}).one())


def inbox(session: Session, user_id: int, limit: int = 60) -> list[InboxMessage]:
    """The user's digests, newest first."""
    return list(
        session.exec(
            select(InboxMessage)
            .where(col(InboxMessage.user_id) == user_id)
            .order_by(col(InboxMessage.day).desc(), col(InboxMessage.id).desc())
            .limit(limit)
        )
    )


def mark_read(*, session: Session, user_id: int, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all of them) read; returns how many changed."""
    with writing(session):
        query = update(InboxMessage).where(
            col(InboxMessage.user_id) == user_id, col(InboxMessage.read_at).is_(None)
        )
        if message_id is not None:
            query = query.where(col(InboxMessage.id) == message_id)
        changed = session.execute(query.values(read_at=clock.now())).rowcount  # type: ignore[attr-defined]
    return int(changed or 0)


# --- channel choices (设置) ----------------------------------------------------------------------------
def preference(session: Session, user_id: int) -> ReminderPreference:
    """The user's channel choices (inbox only, when never saved)."""
    return session.get(ReminderPreference, user_id) or ReminderPreference(user_id=user_id)


def chosen_channels(choice: ReminderPreference) -> list[str]:
    """The channels besides the inbox this choice asks for."""
    return [
        name
        for name, on in (("email", choice.by_email and bool(choice.email)), ("webhook", choice.by_webhook))
        if on
    ]


def set_channels(
    *, session: Session, user_id: int, email: str, by_email: bool, by_webhook: bool
) -> ReminderPreference:
    """Save the user's channels; email needs a valid address."""
    email = email.strip()
    if len(email) > EMAIL_MAX or (email and not _EMAIL.match(email)):
        raise Invalid(say("电子邮箱地址格式不正确。"), field="email")
    if by_email and not email:
        raise Invalid(say("选择邮件提醒须填写电子邮箱地址。"), field="email")
    with writing(session):
        row = session.get(ReminderPreference, user_id) or ReminderPreference(user_id=user_id)
        row.email, row.by_email, row.by_webhook, row.updated_at = email, by_email, by_webhook, clock.now()
        session.add(row)
    return row


# --- the delivery log (admin) -----------------------------------------------------------------------
@dataclass(frozen=True)
class LogRow:
    delivery: Delivery
    username: str
    display_name: str
    day: date


def delivery_log(session: Session, *, status: str | None = None, limit: int = 200) -> list[LogRow]:
    """The newest deliveries (optionally of one status), with whom and which day's digest."""
    query = (
        select(Delivery, col(User.username), col(User.display_name), col(InboxMessage.day))
        .join(User, col(User.id) == col(Delivery.user_id))
        .join(InboxMessage, col(InboxMessage.id) == col(Delivery.message_id))
        .order_by(col(Delivery.id).desc())
        .limit(limit)
    )
    if status:
        query = query.where(col(Delivery.status) == status)
    return [LogRow(d, str(u), str(n), day) for d, u, n, day in session.exec(query)]
