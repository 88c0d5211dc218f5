"""Configuration: defaults, then environment overrides, then a test mapping."""

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
        "REMEMBER_COOKIE_DURATION": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LOGIN_LIMIT_PER_MINUTE": 5,
        "PAGE_SIZE": 20,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # How long a request waits for the database before it answers 503 (README: database timeouts).
        "DB_CONNECT_TIMEOUT": seconds("DB_CONNECT_TIMEOUT", 3),
        "DB_STATEMENT_TIMEOUT": seconds("DB_STATEMENT_TIMEOUT", 10),
        "DB_POOL_TIMEOUT": seconds("DB_POOL_TIMEOUT", 3),
        "SQLITE_BUSY_TIMEOUT": seconds("SQLITE_BUSY_TIMEOUT", 5),
    }
