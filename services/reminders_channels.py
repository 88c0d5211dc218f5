"""Delivery channels of the daily digest besides the inbox: email over SMTP, and a signed webhook.

The webhook POSTs JSON (``msgtype``/``text`` as WeCom and DingTalk group robots read it, and the digest
itself under ``tiaojie`` for an SMS gateway), signed with HMAC-SHA256 over ``<timestamp>.<body>`` with a
shared secret (``X-Tiaojie-Timestamp``, ``X-Tiaojie-Signature: sha256=<hex>``); ``X-Tiaojie-Delivery``
names the delivery, so a receiver can drop a retry it already took. A 5xx, a 429 or no answer is tried
again after a growing pause; any other refusal is not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Tiaojie-Signature"
TIMESTAMP_HEADER = "X-Tiaojie-Timestamp"
DELIVERY_HEADER = "X-Tiaojie-Delivery"


class DeliveryFailed(Exception):
    """A channel could not deliver: why (a key of services.reminders.FAILURES) and the technical detail,
    kept in the delivery log as ``<why>: <detail>`` and put in words when shown."""

    def __init__(self, why: str, detail: str, attempts: int = 1) -> None:
        super().__init__(f"{why}: {detail}")
        self.why, self.detail, self.attempts = why, detail, attempts


@dataclass(frozen=True)
class Outgoing:
    """One digest on its way to one person through one channel."""

    delivery_id: int
    to: str  # the email address; for the webhook, the host it posts to
    username: str
    display_name: str
    phone: str
    day: str  # ISO date of the digest
    subject: str
    body: str
    data: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    name: str

    def target(self, email: str) -> str:
        """Where this channel sends a user's digest (their address, or the webhook's host)."""
        ...

    def send(self, out: Outgoing) -> int:
        """Deliver; returns the attempts it took, or raises DeliveryFailed."""
        ...

    def close(self) -> None: ...


class EmailChannel:
    """SMTP, one connection for the whole run (opened on the first message, opened again after an
    error)."""

    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str = "",
        password: str = "",
        security: str = "",
        timeout: float = 10,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.security, self.timeout = username, password, security, timeout
        self._smtp: smtplib.SMTP | None = None

    def target(self, email: str) -> str:
        return email

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
            self._smtp = smtp
        return self._smtp

    def send(self, out: Outgoing) -> int:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = out.to
        message["Subject"] = out.subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="tiaojie")
        message.set_content(out.body)
        try:
            refused = self._connect().send_message(message)
        except (OSError, smtplib.SMTPException) as err:
            self.close()
            raise DeliveryFailed("smtp_unreachable", f"{self.host}:{self.port} {err}") from None
        if refused:
            raise DeliveryFailed("smtp_refused", str(refused))
        return 1

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookChannel:
    """A JSON POST, signed, tried up to ``tries`` times with pauses of ``backoff``, 2×, 4× … seconds."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        tries: int = 3,
        backoff: float = 2.0,
        timeout: float = 10,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url, self.secret, self.tries, self.backoff = url, secret, max(1, tries), backoff
        self.timeout, self.sleep = timeout, sleep

    def target(self, email: str) -> str:
        """The host posted to, for the delivery log: never the URL's user, password or query (a robot's
        key travels in the query)."""
        parts = urlsplit(self.url)
        return f"{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"

    def payload(self, out: Outgoing) -> bytes:
        document = {
            "msgtype": "text",
            "text": {"content": f"{out.subject}\n\n{out.body}"},
            "tiaojie": {
                "day": out.day,
                "user": {"username": out.username, "display_name": out.display_name, "phone": out.phone},
                "subject": out.subject,
                "digest": out.data,
            },
        }
        return json.dumps(document, ensure_ascii=False).encode()

    def send(self, out: Outgoing) -> int:
        body = self.payload(out)
        problem = ""
        for attempt in range(1, self.tries + 1):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            stamp = str(int(time.time()))
            request = urllib.request.Request(
                self.url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    TIMESTAMP_HEADER: stamp,
                    SIGNATURE_HEADER: sign(self.secret, stamp, body),
                    DELIVERY_HEADER: str(out.delivery_id),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                return attempt
            except urllib.error.HTTPError as err:
                problem = f"HTTP {err.code}"
                if err.code < 500 and err.code != 429:
                    raise DeliveryFailed("webhook_refused", problem, attempt) from None
            except (OSError, urllib.error.URLError) as err:
                problem = str(getattr(err, "reason", err))
        raise DeliveryFailed("webhook_failed", f"{self.tries} × {problem}", self.tries)

    def close(self) -> None:
        return None


def channels_from(config: Mapping[str, Any]) -> dict[str, Channel]:
    """The channels the settings configure (MAIL_SERVER for email, REMINDER_WEBHOOK_URL for the
    webhook); a channel left unset is not offered and not sent."""
    out: dict[str, Channel] = {}
    if config.get("MAIL_SERVER"):
        out["email"] = EmailChannel(
            str(config["MAIL_SERVER"]),
            int(config.get("MAIL_PORT") or 25),
            str(config.get("MAIL_FROM") or "noreply@localhost"),
            username=str(config.get("MAIL_USERNAME") or ""),
            password=str(config.get("MAIL_PASSWORD") or ""),
            security=str(config.get("MAIL_SECURITY") or ""),
            timeout=float(config.get("MAIL_TIMEOUT") or 10),
        )
    if config.get("REMINDER_WEBHOOK_URL"):
        out["webhook"] = WebhookChannel(
            str(config["REMINDER_WEBHOOK_URL"]),
            str(config.get("REMINDER_WEBHOOK_SECRET") or ""),
            tries=int(config.get("REMINDER_WEBHOOK_TRIES") or 3),
            backoff=float(config.get("REMINDER_WEBHOOK_BACKOFF", 2.0)),
            timeout=float(config.get("REMINDER_WEBHOOK_TIMEOUT") or 10),
        )
    return out
