"""Real receivers for the reminder channels: an SMTP server (aiosmtpd) and an HTTP webhook receiver, each
on a free port of 127.0.0.1 in a thread of the test process."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from bench.throughput import free_port

WEBHOOK_SECRET = "test-webhook-secret"


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class MailBox:
    port: int
    mails: list[Mail] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[MailBox]:
    """A real SMTP server collecting what it is sent."""
    box = MailBox(port or free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Hook:
    """One request the webhook receiver took, with whether its signature was right."""

    body: dict[str, Any]
    headers: dict[str, str]
    signature_ok: bool


@dataclass
class HookReceiver:
    url: str
    statuses: list[int]  # answered in turn; the last one repeats
    hooks: list[Hook] = field(default_factory=list)


@contextmanager
def webhook_receiver(
    statuses: list[int] | None = None, secret: str = WEBHOOK_SECRET
) -> Iterator[HookReceiver]:
    """An HTTP server that checks each POST's HMAC-SHA256 signature as a gateway would, and answers with
    the given statuses in turn."""
    receiver: HookReceiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers.get("X-Tiaojie-Timestamp", "")
            expected = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
            given = self.headers.get("X-Tiaojie-Signature", "")
            ok = hmac.compare_digest(given, f"sha256={expected}")
            receiver.hooks.append(Hook(json.loads(raw), dict(self.headers.items()), ok))
            status = receiver.statuses[min(len(receiver.hooks), len(receiver.statuses)) - 1]
            self.send_response(status if ok else 401)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = HookReceiver(f"http://127.0.0.1:{server.server_address[1]}/hook", statuses or [200])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
