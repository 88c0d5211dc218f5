"""Browser tests: the real app on a live werkzeug server over a fresh SQLite file, driven by real Chromium.

Every test here is marked ``e2e``. Chromium must be installed (never downloaded by Playwright here).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright
from sqlmodel import Session
from werkzeug.serving import make_server

from models import Community, User
from services.users import update_user
from tests.conftest import FAST_HASH
from tests.e2e.ui import TIMEOUT_MS, UI, shot_dir_for
from tests.factories import Factory

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
NO_CHROMIUM = "browser tests need Chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk'"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The real app on 127.0.0.1:<free port>, in a daemon thread, for one test."""
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "e2e-secret",
            "DATABASE_URL": db_url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "SERVER_NAME": None,
            "FILES_DIR": str(tmp_path / "files"),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["db_engine"].dispose()


@pytest.fixture
def seed(session: Session) -> Factory:
    """Communities and users made through the services, on the live server's database."""
    return Factory(session)


@dataclass(frozen=True)
class Cast:
    """The people of one community (display names chosen so none contains another)."""

    community: Community
    staff: User
    volunteer: User
    other_volunteer: User
    mediator: User
    judge: User


@pytest.fixture
def cast(seed: Factory, session: Session) -> Cast:
    community = seed.community("幸福社区", "幸福")

    def person(role: str, name: str) -> User:
        user = seed.user(role, communities=[community])
        assert user.id is not None
        return update_user(session=session, user_id=user.id, actor_id=None, display_name=name)

    return Cast(
        community=community,
        staff=person("staff", "周晓梅"),
        volunteer=person("volunteer", "陈建国"),
        other_volunteer=person("volunteer", "孙志强"),
        mediator=person("mediator", "刘秀英"),
        judge=person("judge", "赵立新"),
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(NO_CHROMIUM, pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as err:  # a broken install is the same instruction
            pytest.fail(f"{NO_CHROMIUM} ({err})", pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def open_ui(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., UI]]:
    """open_ui(**context_options): a UI on a fresh context (zh-CN, Asia/Shanghai) on the live server."""
    contexts: list[BrowserContext] = []
    uis: list[UI] = []
    shots = shot_dir_for(request.node.name)

    def make(**options: Any) -> UI:
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        ui = UI(context.new_page(), live_server.url, shots)
        uis.append(ui)
        return ui

    yield make
    for context in contexts:
        context.close()
    for ui in uis:
        ui.problems.check("end of test")


@pytest.fixture
def ui(open_ui: Callable[..., UI]) -> UI:
    """A desktop-sized page."""
    return open_ui(viewport={"width": 1280, "height": 900})
