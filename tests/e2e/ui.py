"""The browser side of the journeys: one page per test, problem watching, screenshots, contract helpers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Error, Page, Response, expect

from models import User
from services.validation import id_check_digit
from tests.factories import PASSWORD
from workflow.triggers import TRIGGERS

SHOTS = Path(__file__).parent / "screenshots"
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class ByLabel:
    """Pick a select option by its visible text (e.g. a user's display name)."""

    text: str


@dataclass
class Problems:
    """Everything the browser or server reported as wrong: console errors, JS errors, 5xx responses."""

    found: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def console(self, msg: ConsoleMessage) -> None:
        where = msg.location.get("url", "") if msg.location else ""
        # The browser's own favicon probe is not a page's doing (no page links /favicon.ico).
        if msg.type != "error" or where.endswith("/favicon.ico"):
            return
        if not any(p.search(msg.text) for p in self.allowed):
            self.found.append(f"console error: {msg.text} ({where})")

    def page_error(self, err: Error) -> None:
        self.found.append(f"page error: {err.message}")

    def response(self, resp: Response) -> None:
        if resp.status >= 500:
            self.found.append(f"server error {resp.status} on {resp.request.method} {resp.url}")

    def allow(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` from now on (e.g. an expected 422 page load)."""
        self.allowed.append(re.compile(pattern))

    def check(self, step: str) -> None:
        if self.found:
            lines = "\n  ".join(self.found)
            self.found.clear()
            raise AssertionError(f"browser problems by step {step!r}:\n  {lines}")


class UI:
    """A page plus the habits every journey shares (log in/out, fire a trigger, screenshot)."""

    def __init__(self, page: Page, base_url: str, shot_dir: Path) -> None:
        self.page = page
        self.base_url = base_url
        self.shot_dir = shot_dir
        self.problems = Problems()
        self._shots = 0
        page.on("console", self.problems.console)
        page.on("pageerror", self.problems.page_error)
        page.on("response", self.problems.response)

    # --- bookkeeping ---------------------------------------------------------------------------
    def shot(self, name: str) -> Path:
        """Full-page screenshot NN-name.png; also fails the step if the browser reported problems."""
        self._shots += 1
        path = self.shot_dir / f"{self._shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.problems.check(name)
        return path

    def goto(self, path: str, status: int = 200) -> Response:
        resp = self.page.goto(self.base_url + path)
        assert resp is not None, f"no response for {path}"
        assert resp.status == status, f"GET {path}: status {resp.status}, expected {status}"
        return resp

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    # --- the contract's moves ------------------------------------------------------------------
    def login(self, user: User, password: str = PASSWORD, lands: str = r"/$") -> None:
        self.goto("/login")
        self.page.locator('input[name="username"]').fill(user.username)
        self.page.locator('input[name="password"]').fill(password)
        self.page.get_by_role("button", name="登录", exact=True).click()
        expect(self.page).to_have_url(re.compile(lands))
        expect(self.page.locator("header, nav").first).to_contain_text(user.display_name)

    def logout(self) -> None:
        button = self.page.locator("form[method=post] button").filter(has_text=re.compile(r"^\s*退出"))
        expect(button).to_have_count(1)
        button.click()
        expect(self.page).to_have_url(re.compile(r"/login"))
        expect(self.page.locator('input[name="username"]')).to_be_visible()

    def nav(self, text: str) -> None:
        """Follow a nav link by its text."""
        self.page.locator("nav").get_by_role("link", name=text, exact=True).click()

    def action(self, trigger: str) -> Any:
        return self.page.locator(f'details.action[data-trigger="{trigger}"]')

    def fire(self, trigger: str, values: Mapping[str, str | bool | ByLabel] | None = None) -> None:
        """Open the trigger's <details>, fill its fields, submit (confirming a step that ends the case),
        and expect a success flash."""
        label = str(TRIGGERS[trigger].label)
        case_path = self.path()
        assert re.fullmatch(r"/cases/\d+", case_path), f"fire({trigger}) off a case page: {case_path}"
        action = self.action(trigger)
        expect(action, f"no action form for {trigger} ({label})").to_have_count(1)
        expect(action.locator("summary")).to_have_text(label)
        if not action.evaluate("details => details.open"):  # the case's next step comes open
            action.locator("summary").click()
        form = action.locator("form")
        expect(form).to_have_attribute("action", re.compile(rf"{case_path}$"))
        expect(form.locator('input[name="csrf_token"]')).to_have_count(1)
        expect(form.locator('input[type="hidden"][name="version"]')).to_have_count(1)
        expect(form.locator('input[type="hidden"][name="trigger"]')).to_have_value(trigger)
        for spec_field in TRIGGERS[trigger].fields:
            expect(form.locator(f'[name="{spec_field.name}"]'), spec_field.name).to_have_count(1)
        for name, value in (values or {}).items():
            self._fill(form, trigger, name, value)
        submit = form.locator('button[type="submit"]')
        expect(submit).to_have_text(label)
        if form.get_attribute("data-confirm"):
            self.page.once("dialog", lambda dialog: dialog.accept())
        submit.click()
        expect(self.page).to_have_url(re.compile(rf"{case_path}$"))
        errors = self.page.locator("p.flash.error, .field-error")
        expect(errors, f"{trigger} was refused").to_have_count(0)
        expect(self.page.locator("p.flash[role=alert]").first).to_be_visible()

    def _fill(self, form: Any, trigger: str, name: str, value: str | bool | ByLabel) -> None:
        el = form.locator(f'[name="{name}"]')
        kind = TRIGGERS[trigger].field(name).kind
        if kind == "bool":
            expect(el).to_have_attribute("type", "checkbox")
            expect(el).to_have_attribute("value", "y")
            el.set_checked(bool(value))
        elif kind in ("choice", "user"):
            expect(el).to_have_js_property("tagName", "SELECT")
            if isinstance(value, ByLabel):
                el.select_option(label=value.text)
            else:
                el.select_option(value=str(value))
        elif kind == "date":
            expect(el).to_have_attribute("type", "date")
            el.fill(str(value))
        else:
            el.fill(str(value))

    def testid(self, name: str) -> Any:
        return self.page.locator(f'[data-testid="{name}"]')

    def timeline(self) -> Any:
        return self.page.locator('[data-testid="timeline"] > li')


def shot_dir_for(test_name: str) -> Path:
    """A clean screenshot folder for one test."""
    path = SHOTS / re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class PartyRow:
    role: str
    name: str
    phone: str = ""
    id_number: str = ""
    xiaoqu: str = "幸福小区"
    building: str = "3栋"
    room: str = "502"


def fill_intake(
    ui: UI,
    *,
    community: str,
    facts: str,
    parties: list[PartyRow],
    category: str = "邻里",
    source: str = "当事人申请",
    amount: str = "0",
    people: str = "2",
) -> None:
    """Fill /cases/new as the contract names its inputs (adds party rows with 添加当事人 as needed)."""
    page = ui.page
    for extra in range(2, len(parties)):
        add = page.locator('button[name="add_party"]')
        expect(add).to_have_text("添加当事人")
        add.click()
        expect(page.locator(f'[name="parties-{extra}-name"]')).to_have_count(1)
    page.locator('select[name="community_id"]').select_option(label=community)
    page.locator('select[name="category"]').select_option(label=category)
    page.locator('select[name="source"]').select_option(label=source)
    page.locator('textarea[name="facts"]').fill(facts)
    page.locator('[name="claimed_amount"]').fill(amount)
    page.locator('[name="people_involved"]').fill(people)
    page.locator('select[name="risk_level"]').select_option(value="none")
    page.locator('[name="place_xiaoqu"]').fill(parties[0].xiaoqu)
    page.locator('[name="place_building"]').fill(parties[0].building)
    for i, p in enumerate(parties):
        page.locator(f'select[name="parties-{i}-role"]').select_option(value=p.role)
        page.locator(f'[name="parties-{i}-name"]').fill(p.name)
        page.locator(f'[name="parties-{i}-phone"]').fill(p.phone)
        page.locator(f'[name="parties-{i}-id_number"]').fill(p.id_number)
        page.locator(f'[name="parties-{i}-address_xiaoqu"]').fill(p.xiaoqu)
        page.locator(f'[name="parties-{i}-address_building"]').fill(p.building)
        page.locator(f'[name="parties-{i}-address_room"]').fill(p.room)


def submit_intake(ui: UI) -> None:
    ui.page.get_by_role("button", name="登记", exact=True).click()


def id_number(birth: str, serial: int, area: str = "110105") -> str:
    """A valid 18-digit resident ID number (check digit per GB 11643)."""
    first = f"{area}{birth}{serial:03d}"
    return first + id_check_digit(first)


def bad_check_digit(number: str) -> str:
    """The same number with a wrong check digit."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong
