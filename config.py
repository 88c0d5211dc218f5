"""Configuration: defaults, then environment overrides, then a test mapping.

Environment: DATABASE_URL, SECRET_KEY, PROXY_HOPS (reverse proxies in front of the app whose
X-Forwarded-For/-Proto are trusted; 0 = none) and SESSION_COOKIE_SECURE=1 (Secure cookies even when the
app cannot see https); for the reminders SITE_URL, MAIL_* and REMINDER_WEBHOOK_* (see defaults()).
Anything else goes into instance/config.py.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("TIAOJIE_INSTANCE", ROOT / "instance"))


def database_url() -> str:
    """DATABASE_URL, else the SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'tiaojie.sqlite'}"


def secret_key() -> str:
    """SECRET_KEY, else a random key kept in instance/secret_key (never committed)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def env_int(name: str, default: int) -> int:
    """An integer from the environment; a value that is not one stops the start with a clear message."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r} / {name} 须为整数") from None


def seconds(name: str, default: float) -> float:
    """A timeout from the environment (seconds), else ``default``."""
    value = os.environ.get(name)
    return float(value) if value else default


def defaults() -> dict[str, object]:
    return {
        "SECRET_KEY": secret_key(),
        "DATABASE_URL": database_url(),
        "CHECK_SCHEMA": True,
        "PASSWORD_HASH_METHOD": "scrypt",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure is set on every request that came over https (directly or via a trusted proxy);
        # True forces it also when the https is not visible to the app.
        "SESSION_COOKIE_SECURE": env_int("SESSION_COOKIE_SECURE", 0) == 1,
        "PROXY_HOPS": env_int("PROXY_HOPS", 0),
        "HSTS_SECONDS": 365 * 24 * 3600,  # sent on https responses only; 0 turns it off
        "REMEMBER_COOKIE_DURATION": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        # Failed logins only (services.auth); a success never counts and clears its account's failures.
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": 5,  # then that account is locked from that address
        "LOGIN_FAILURES_PER_ADDRESS": 50,  # then that address is paused (an office never gets there)
        "LOGIN_ACCOUNT_DELAY_AFTER_FAILURES": 10,  # from any address: then a delay doubling from 1 s…
        "LOGIN_ACCOUNT_MAX_DELAY": timedelta(minutes=1),  # …up to this, never a lock
        # Daily reminders (flask remind): by email when MAIL_SERVER is set, by a signed webhook when
        # REMINDER_WEBHOOK_URL is set (README.md "Reminders"); SITE_URL puts a link to the site in each.
        "SITE_URL": os.environ.get("SITE_URL", ""),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": env_int("MAIL_PORT", 25),
        "MAIL_SECURITY": os.environ.get("MAIL_SECURITY", ""),  # "", "starttls" or "ssl"
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "人民调解 <noreply@localhost>"),
        "REMINDER_WEBHOOK_URL": os.environ.get("REMINDER_WEBHOOK_URL", ""),
        "REMINDER_WEBHOOK_SECRET": os.environ.get("REMINDER_WEBHOOK_SECRET", ""),
        "REMINDER_WEBHOOK_TRIES": 3,  # a 5xx, a 429 or no answer is tried again, after 2 s, 4 s, ...
        "REMINDER_WEBHOOK_BACKOFF": 2.0,
        "PAGE_SIZE": 20,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Attachments (services.attachments): kept by content hash under FILES_DIR. The upload page alone
        # takes a larger request: ATTACHMENT_MAX_FILES files of ATTACHMENT_MAX_BYTES each.
        "FILES_DIR": str(INSTANCE / "files"),
        "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
        "ATTACHMENT_MAX_FILES": 10,
        "ATTACHMENT_MAX_PIXELS": 100_000_000,  # a 100-megapixel photo decodes to 300 MB
        "ATTACHMENT_MIN_FREE_BYTES": 200 * 1024 * 1024,  # refuse uploads that would leave less free disk
        # How long a request waits for the database before it answers 503 (README: database timeouts).
        "DB_CONNECT_TIMEOUT": seconds("DB_CONNECT_TIMEOUT", 3),
        "DB_STATEMENT_TIMEOUT": seconds("DB_STATEMENT_TIMEOUT", 10),
        "DB_POOL_TIMEOUT": seconds("DB_POOL_TIMEOUT", 3),
        "SQLITE_BUSY_TIMEOUT": seconds("SQLITE_BUSY_TIMEOUT", 5),
    }
