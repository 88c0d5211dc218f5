"""The hostile-value corpus and the machinery that posts it (used by test_hostile*.py).

The kinds: empty, 100,000 characters, NUL, emoji, invalid UTF-8, SQL and HTML payloads, NaN/sNaN/±inf,
2³¹, 2⁶³, 10²⁰ and the years 0001 and 9999. A form is posted once per kind with every field hostile (so
every field meets every kind), then each field alone with the kinds that may pass its own check, the
others valid, so that such a value goes on to the services and the database. Values are sent as raw
bytes, percent-encoded, so invalid UTF-8 reaches the server as it would from a hostile client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_from_bytes

from flask.testing import FlaskClient
from sqlmodel import Session

from models import Community, User
from tests.factories import Factory
from tests.web.case_helpers import login, token_in

KINDS: dict[str, bytes] = {
    "empty": b"",
    "long": b"x" * 100_000,
    "nul": b"a\x00b",
    "nul_only": b"\x00",
    "emoji": "😀👨‍👩‍👧‍👦🇨🇳".encode(),
    "bad_utf8": b"\xff\xfe\xc3(\xed\xa0\x80",
    "sql": b"' OR '1'='1'; DROP TABLE \"case\"; --",
    "html": b"<script>alert(1)</script>",
    "nan": b"NaN",
    "snan": b"sNaN",
    "inf": b"Infinity",
    "-inf": b"-inf",
    "2^31": b"2147483648",
    "2^63": b"9223372036854775808",
    "-2^63-1": b"-9223372036854775809",
    "1e20": b"100000000000000000000",
    "year0001": b"0001-01-01",
    "year9999": b"9999-12-31",
}
SCRIPT = b"<script>alert(1)</script>"

# The kinds each type of field is also given alone; every field gets every kind in the all-hostile posts.
ALONE: dict[str, tuple[str, ...]] = {
    "text": ("empty", "long", "nul", "emoji", "html"),
    "date": ("empty", "nul", "2^63", "year0001", "year9999"),
    "money": ("empty", "nul", "nan", "snan", "inf", "-inf", "2^31", "2^63", "-2^63-1", "1e20"),
    "int": ("empty", "nul", "nan", "2^31", "2^63", "-2^63-1", "1e20"),
    "choice": ("empty", "nul", "sql", "2^63"),
    "bool": ("empty", "nul", "emoji"),
    "token": ("empty", "nul", "long", "bad_utf8"),
}

Pairs = list[tuple[str, bytes]]


def encode(pairs: Pairs) -> str:
    """A form body or query string, percent-encoded from raw bytes."""
    return "&".join(f"{quote_from_bytes(k.encode())}={quote_from_bytes(v)}" for k, v in pairs)


def as_pairs(data: dict[str, Any]) -> Pairs:
    """Form values as (name, bytes) pairs; a list gives the name once per value (checkboxes)."""
    out: Pairs = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            out.append((key, str(one).encode()))
    return out


@dataclass
class Probe:
    """Counts requests and keeps every answer that is a 5xx or shows the script unescaped."""

    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self, label: str, resp: Any) -> None:
        self.requests += 1
        if resp.status_code >= 500:
            self.failures.append(f"{label}: {resp.status_code}")
        elif SCRIPT in resp.get_data():
            self.failures.append(f"{label}: the script is shown unescaped")

    def verdict(self) -> None:
        assert self.requests > 0
        assert not self.failures, f"{len(self.failures)} of {self.requests}:\n" + "\n".join(self.failures)


def token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form's page, taken once per browser (it stays valid for the session)."""
    found = getattr(client, "corpus_token", None)
    if found is None:
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        found = client.corpus_token = token_in(resp.get_data(as_text=True))  # type: ignore[attr-defined]
    return str(found)


Prepared = tuple[FlaskClient, str, dict[str, Any]]


@dataclass
class Form:
    """One form: ``prepare`` gives the browser, the URL and valid values (CSRF token included), fresh
    for each post; ``types`` names each field's type (``ALONE``), text when not named."""

    name: str
    prepare: Callable[[], Prepared]
    types: dict[str, str] = field(default_factory=dict)
    csrf: bool = False  # also give the CSRF token hostile values (one check guards every form)
    keep: tuple[str, ...] = ()  # fields that stay valid throughout

    def run(self, probe: Probe) -> None:
        _, _, base = self.prepare()
        fixed = {"csrf_token", *self.keep}
        names = [k for k in base if k not in fixed] + [k for k in self.types if k not in base]
        for kind, value in KINDS.items():
            client, url, base = self.prepare()
            kept = [(k, v) for k, v in as_pairs(base) if k in fixed]
            post(probe, f"{self.name} all={kind}", client, url, [(k, value) for k in names] + kept)
        for name in [*names, "csrf_token"] if self.csrf else names:
            type_ = "token" if name == "csrf_token" else self.types.get(name, "text")
            for kind in ALONE[type_]:
                client, url, base = self.prepare()
                pairs = [(k, v) for k, v in as_pairs(base) if k != name] + [(name, KINDS[kind])]
                post(probe, f"{self.name} {name}={kind}", client, url, pairs)


def post(probe: Probe, label: str, client: FlaskClient, url: str, pairs: Pairs) -> None:
    """Post the pairs; when the script was sent and saved, the page that follows must show it escaped."""
    follow = any(value == SCRIPT for _, value in pairs)
    resp = client.post(
        url, data=encode(pairs), content_type="application/x-www-form-urlencoded", follow_redirects=follow
    )
    probe.check(label, resp)


@dataclass
class World:
    """Two communities, a user of each role, and one logged-in browser per user."""

    app: Any
    factory: Factory
    session: Session
    community: Community
    users: dict[str, User]
    clients: dict[int, FlaskClient] = field(default_factory=dict)

    def client_of(self, user: User) -> FlaskClient:
        assert user.id is not None
        if user.id not in self.clients:
            client = self.app.test_client()
            login(client, user)
            self.clients[user.id] = client
        return self.clients[user.id]


def make_world(app: Any, factory: Factory, session: Session) -> World:
    app.config["LOGIN_LIMIT_PER_MINUTE"] = 10**6  # the corpus logs in wrongly hundreds of times
    community = factory.default_community()
    other = factory.community("东湖社区", "东湖", street="东湖街道")
    users = {
        "staff": factory.staff(community),
        "volunteer": factory.member("volunteer", community),
        "mediator": factory.member("mediator", community),
        "judge": factory.member("judge", community),
        "leader": factory.user("leader", communities=[community]),
        "admin": factory.user("admin", communities=[]),
        "other_staff": factory.staff(other),
    }
    return World(app, factory, session, community, users)
