"""English, switched to in the browser: every page each role can open speaks English.

After switching, a page may show Chinese only where it shows what people typed or what the law writes in
Chinese: parties' data and the other words people typed (names of users, communities, categories and
sources, facts, notes, places), case numbers, the legal papers (调解协议书 and the file cover), and the
name of the language one can switch back to ("中文"). The templates mark those with ``data-i18n-keep``.
The scan below fails on any CJK character in a text node, a label-like attribute or the title outside
such a mark, and on any Chinese inside a mark (outside the papers) that is not one of those words, read
from the database: so a mark cannot hide words of ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from models import (
    AdminEvent,
    Agreement,
    Attachment,
    Case,
    CaseEvent,
    Category,
    Community,
    FollowUp,
    HolidayOverride,
    JudicialConfirmation,
    LedgerUpload,
    Party,
    SessionRecord,
    User,
    UserCommunity,
)
from services import attachments, clock
from services.attachments_content import Limits
from services.attachments_files import FileStore
from services.ledger.cells import text_of
from services.ledger.columns import FIELDS
from services.ledger.reading import sheets
from services.permissions import actor_for
from services.policy import current_policy, update_policy
from services.reminders import remind, set_channels
from services.reminders_channels import EmailChannel
from services.workdays import set_override
from tests import samples
from tests.e2e.conftest import LiveServer
from tests.e2e.ui import UI, PartyRow, fill_intake
from tests.factories import Factory
from tests.ledger_files import LedgerRow as L
from tests.ledger_files import ledger_xlsx
from tests.receivers import free_port
from tests.web.case_helpers import distinct_parties

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LANGUAGE_NAME = "中文"  # the switch back to Chinese, in its own words

# Everything a person sees of a page: text nodes, the attributes that are read out or shown as text,
# the title; each piece with whether it sits inside a data-i18n-keep mark (and inside a legal paper).
SCAN = r"""
() => {
  const cjk = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const cls = typeof e.className === "string" ? e.className.trim().split(/\s+/).join(".") : "";
      parts.unshift(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (cls ? "." + cls : ""));
    }
    return parts.join(" > ");
  };
  const pieces = [];
  const add = (el, text) => {
    if (!cjk.test(text)) return;
    pieces.push({text: text.trim(), where: where(el), kept: !!el.closest("[data-i18n-keep]"),
                 paper: !!el.closest(".paper")});
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    // A textarea's text is what the person typed into it.
    if (el && !["SCRIPT", "STYLE", "TEXTAREA"].includes(el.tagName)) add(el, node.nodeValue);
  }
  const attributes = ["title", "placeholder", "aria-label", "data-label", "alt", "data-confirm", "data-text"];
  for (const el of document.querySelectorAll("*")) {
    for (const name of attributes) {
      if (el.hasAttribute(name)) add(el, el.getAttribute(name));
    }
    if (el.matches("input[type=submit], input[type=button]")) add(el, el.value);
  }
  return {pieces: pieces, title: document.title};
}
"""


@dataclass
class World:
    """The people and cases of the walk, and the words people typed (read back from the database)."""

    community: Community
    cases: dict[str, Case]
    users: dict[str, User]


# The columns that hold what people typed (and the case numbers); triage_reasons is ours, not in it.
TYPED = {
    Community: ("name", "short_name", "street"),
    User: ("display_name",),
    Party: ("name", "address_xiaoqu", "address_building", "address_room"),
    Case: ("number", "category", "source", "facts", "place_xiaoqu", "place_building", "reported_to"),
    Agreement: ("facts", "terms", "performance", "content"),
    SessionRecord: ("place", "attendees", "summary"),
    FollowUp: ("notes",),
    JudicialConfirmation: ("court",),
    CaseEvent: ("note",),
    Category: ("name",),
    AdminEvent: ("target", "reason"),
    Attachment: ("original_name", "note", "withdrawn_reason"),
    HolidayOverride: ("note",),
}


def _people_words(session: Session) -> set[str]:
    """Every text people typed that the pages may show, and every case number."""
    words: set[str] = {LANGUAGE_NAME}
    for model, columns in TYPED.items():
        for row in session.exec(select(model)):
            words.update(str(getattr(row, c)) for c in columns if getattr(row, c))
    for event in session.exec(select(CaseEvent)):
        words.update(_typed_values(event.data))
    for admin_event in session.exec(select(AdminEvent)):
        words.update(_typed_values(admin_event.data))
    policy = current_policy(session)
    words.update(policy.categories, policy.sources)
    words.update(_ledger_words(session))
    return words


def _ledger_words(session: Session) -> Iterator[str]:
    """What the uploaded ledgers hold (files people wrote): their names, their sheets' names and cells."""
    for upload in session.exec(select(LedgerUpload)):
        yield upload.filename
        for sheet in sheets(upload.content, upload.filename):
            yield sheet.name
            for _number, cells in sheet.rows:
                yield from (text_of(c) for c in cells)


def _typed_values(data: Any) -> Iterator[str]:
    """The strings of an event's data, leaving out the triage reasons (ours, stored in Chinese)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "reasons":
                yield from _typed_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _typed_values(value)
    elif data is not None:
        yield str(data)


def check_english(ui: UI, session: Session, what: str, also: Iterable[str] = ()) -> None:
    """The page holds no Chinese of ours (see the module docstring); ``also``: other words the page may
    show as written (the header spellings of Chinese ledgers on the import page)."""
    session.rollback()  # a fresh read: the live server has written since
    typed = "\n".join([*_people_words(session), *also])
    scan = ui.page.evaluate(SCAN)
    loose = [f"{p['text']!r} at {p['where']}" for p in scan["pieces"] if not p["kept"]]
    assert not loose, f"{what} ({ui.path()}): Chinese outside people's data:\n  " + "\n  ".join(loose)
    for piece in (p for p in scan["pieces"] if p["kept"] and not p["paper"]):
        strangers = [run for run in IDEOGRAPHS.findall(piece["text"]) if run not in typed]
        assert not strangers, f"{what}: marked data-i18n-keep but not people's words: {strangers} in {piece}"
    strangers = [run for run in IDEOGRAPHS.findall(scan["title"]) if run not in typed]
    assert not strangers, f"{what}: Chinese in the title: {scan['title']!r}"
    assert ui.page.locator("html").get_attribute("lang") == "en", what


def switch_to_english(ui: UI) -> None:
    ui.page.locator("header form.lang-switch button").click()
    expect(ui.page.locator("html")).to_have_attribute("lang", "en")


def open_everything(ui: UI) -> None:
    """Open every <details> (action forms, filters) so what they hold shows, as a user would."""
    ui.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def _case_file(session: Session, live_server: LiveServer, case: Case, staff: User) -> None:
    """Papers in the case's file: a photo (opened once), a signed agreement (it carries ID numbers), and a
    paper withdrawn with its reason."""
    store = FileStore(live_server.app.config["FILES_DIR"])
    actor = actor_for(session, staff)

    def attach(kind: str, name: str, data: bytes, note: str = "") -> Attachment:
        return attachments.upload(
            session=session, store=store, actor=actor, case_id=case.id or 0, kind=kind, name=name,
            data=data, limits=Limits(min_free_bytes=0), note=note,
        )  # fmt: skip

    photo = attach("evidence", "现场照片.jpg", samples.photo(), note="漏水现场")
    attach("agreement", "签字协议.pdf", samples.pdf())
    wrong = attach("other", "错传.pdf", samples.pdf(2))
    attachments.withdraw(
        session=session, actor=actor, case_id=case.id or 0, attachment_id=wrong.id or 0, reason="传错了案件"
    )
    attachments.open_file(
        session=session, store=store, actor=actor, case_id=case.id or 0, attachment_id=photo.id or 0
    )


@pytest.fixture
def world(seed: Factory, session: Session, live_server: LiveServer) -> World:
    community = seed.default_community()
    staff = seed.staff(community)
    volunteer = seed.member("volunteer", community)
    mediator = seed.member("mediator", community)
    judge = seed.member("judge", community)
    general = {"claimed_amount": Decimal("5000")}
    major = {"claimed_amount": Decimal("50000"), "category": "婚姻家庭"}

    def case(state: str, **overrides: Any) -> Case:
        """A case of parties of their own (no earlier case of theirs makes it 一般 and a mediator's)."""
        return seed.case(state, community, parties=distinct_parties(), **overrides)

    today = clock.local_date()
    days_ago = lambda n: clock.day_start_utc(today - timedelta(days=n)) + timedelta(hours=10)  # noqa: E731
    cases = {
        "registered": case("registered"),
        "registered_major": case("registered", **major),
        "accepted": case("accepted"),
        "assigned": case("assigned"),
        "mediating": case("mediating"),
        "agreed": case("agreed"),
        "defaulted": case("defaulted"),
        "closed": case("closed"),
        "terminated": case("terminated"),
        "not_accepted": case("not_accepted"),
        "withdrawn": case("withdrawn"),
        "mediator_mediating": case("mediating", now=days_ago(28), **general),  # due soon
        "judge_assigned": case("assigned", now=days_ago(31), **major),  # overdue
    }
    seed.fire(cases["agreed"], "record_judicial_confirmation")
    cases["mediating"] = seed.fire(cases["mediating"], "record_session")  # a 调解笔录 to print
    _case_file(session, live_server, cases["mediating"], staff)
    # on the desks' clocks: overdue, due soon, a confirmation window closing, waiting for acceptance
    cases["overdue"] = case("assigned", now=days_ago(33))
    cases["due_soon"] = case("mediating", now=days_ago(28))
    cases["window_closing"] = case("agreed", now=days_ago(29))
    cases["waiting"] = case("registered", now=days_ago(2))
    users = {
        "staff": staff,
        "volunteer": volunteer,
        "mediator": mediator,
        "judge": judge,
        "leader": seed.user("leader", communities=[community]),
        "admin": seed.user("admin", communities=[]),
    }
    admin = actor_for(session, users["admin"])
    update_policy(session=session, actor=admin, values={"escalate_overdue_days": 1}, reason="走查")
    set_override(session=session, actor=admin, day=date(2031, 10, 1), working=False, note="国庆节")
    set_channels(
        session=session, user_id=volunteer.id or 0, email="v@example.cn", by_email=True, by_webhook=False
    )
    session.rollback()
    remind(
        session=session, channels={"email": EmailChannel("127.0.0.1", free_port(), "x@example.cn", timeout=2)}
    )
    session.expire_all()
    fresh = {k: session.get(Case, c.id) for k, c in cases.items()}
    return World(community, {k: c for k, c in fresh.items() if c is not None}, users)


def walk_cases(ui: UI, session: Session, world: World, names: tuple[str, ...]) -> None:
    for name in names:
        ui.goto(f"/cases/{world.cases[name].id}")
        open_everything(ui)
        check_english(ui, session, f"case page, {name}")


DESK_ROWS = {
    "staff": "waiting",
    "volunteer": "overdue",
    "mediator": "due_soon",
    "judge": "overdue",
    "leader": "escalated",
    "admin": "communities",
}


def walk_common(ui: UI, session: Session, role: str) -> None:
    """Pages every role has: the desk, the inbox, the case list (filtered, with a bad month), workflow,
    settings, errors."""
    ui.goto("/")
    if role in DESK_ROWS:  # the walk's world puts cases on this desk: its words are checked too
        expect(ui.page.locator(f'section[data-section="{DESK_ROWS[role]}"] tbody tr').first).to_be_visible()
    check_english(ui, session, "desk")
    ui.goto("/inbox")
    if role != "admin":  # every other role of the walk has something on its desk, so a digest (an
        # administrator sees the communities' counts on the desk only)
        expect(ui.page.locator("li[data-message] h3").first).to_be_visible()
    check_english(ui, session, "inbox")
    ui.goto("/cases/?due_within=3")
    check_english(ui, session, "case list, due soon")
    ui.goto("/cases/")
    check_english(ui, session, "case list")
    ui.goto("/cases/?state=mediating&overdue=1&sort=deadline&month=2026-13")
    expect(ui.page.locator(".field-error")).to_contain_text("year-month")
    check_english(ui, session, "case list, filtered, bad month")
    ui.page.goto(ui.base_url + "/workflow", wait_until="domcontentloaded")  # Mermaid is 3.5 MB to load
    check_english(ui, session, "workflow")
    ui.goto("/settings")
    check_english(ui, session, "settings")
    ui.problems.allow(r"404|NOT FOUND|Failed to load resource")
    ui.goto("/cases/999999", status=404)
    check_english(ui, session, "404")
    if role != "admin":
        ui.problems.allow(r"403|FORBIDDEN")
        ui.goto("/admin/", status=403)
        check_english(ui, session, "403")


def test_login_page_in_english(ui: UI, session: Session) -> None:
    ui.goto("/login")
    with pytest.raises(AssertionError, match="Chinese outside people's data"):
        check_english(ui, session, "login in Chinese")  # the scan sees Chinese where there is some
    ui.page.locator("a[lang=en]").click()
    expect(ui.page.locator("html")).to_have_attribute("lang", "en")
    check_english(ui, session, "login")
    ui.page.locator('input[name="username"]').fill("nobody")
    ui.page.locator('input[name="password"]').fill("wrong password")
    ui.problems.allow(r"401|422|Failed to load resource")
    ui.page.get_by_role("button", name="Log in", exact=True).click()
    expect(ui.page.locator("body")).to_contain_text("Wrong username or password")
    check_english(ui, session, "login refused")


def test_staff_in_english(ui: UI, session: Session, world: World) -> None:
    ui.login(world.users["staff"])
    switch_to_english(ui)
    ui.goto("/cases/mine")
    check_english(ui, session, "my cases")
    walk_cases(ui, session, world, tuple(world.cases))
    # a refused step: a changed severity without a reason, then the page with the form as typed
    ui.goto(f"/cases/{world.cases['registered'].id}")
    accept = ui.action("accept")
    accept.locator("select[name=severity]").select_option("major")
    ui.problems.allow(r"422|Failed to load resource")
    accept.locator("button[type=submit]").click()
    expect(ui.testid("error-summary")).to_contain_text("requires a reason")
    open_everything(ui)
    check_english(ui, session, "case page, refused accept")
    ui.shot("refused-accept")
    accept.locator("textarea[name=override_reason]").fill("涉及家庭暴力")
    accept.locator("button[type=submit]").click()
    expect(ui.page.locator(".flash.success")).to_have_text("Done: Accept.")
    check_english(ui, session, "case page, accepted")
    # intake: the empty form, a refused submit, then a registered dispute with its triage reasons
    ui.goto("/cases/new")
    check_english(ui, session, "intake")
    ui.page.locator("form.intake button[name=submit]").click()
    expect(ui.page.locator(".field-error").first).to_be_visible()
    check_english(ui, session, "intake refused")
    ui.shot("intake-refused")
    fill_intake(
        ui,
        community=world.community.name,
        facts="婚后财产分割纠纷",
        parties=[PartyRow("applicant", "王五"), PartyRow("respondent", "赵六")],
        category="婚姻家庭",
        amount="5000",
    )
    ui.page.locator("form.intake button[name=submit]").click()
    expect(ui.page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(ui.page.locator(".triage")).to_contain_text("claimed amount ≥ 1,000 yuan")
    expect(ui.page.locator(".triage")).to_contain_text("dispute category: 婚姻家庭")
    check_english(ui, session, "new case")
    # the legal papers stay Chinese; the page around them is English
    agreed, closed = world.cases["agreed"].id, world.cases["closed"].id
    papers = [f"/cases/{agreed}/agreement", f"/cases/{agreed}/file", f"/cases/{closed}/file"]
    papers += [f"/cases/{closed}/papers/{key}" for key in ("register", "rights", "follow_up", "confirmation")]
    papers += [f"/cases/{world.cases['mediating'].id}/papers/session"]
    papers += [f"/cases/{world.cases['terminated'].id}/papers/termination"]
    for paper in papers:
        ui.goto(paper)
        expect(ui.page.locator(".paper")).to_contain_text("人民调解")
        expect(ui.page.locator(".doc-tools")).to_contain_text("Print")
        check_english(ui, session, paper)
    # the case file's papers: files chosen, one refused with its reason, a withdrawal without a reason
    ui.goto(f"/cases/{world.cases['mediating'].id}")
    upload = ui.page.locator("form[data-upload]")
    upload.locator("#attach-kind").select_option("evidence")
    with ui.page.expect_file_chooser() as chooser:
        upload.locator(".file-pickers label", has_text="Choose files").click()
    chooser.value.set_files([{"name": "setup.jpg", "mimeType": "image/jpeg", "buffer": b"MZ" + bytes(500)}])
    expect(upload.locator("[data-chosen]")).to_contain_text("1 file(s) chosen")
    check_english(ui, session, "case page, a file chosen")
    upload.get_by_role("button", name="Upload").click()
    expect(ui.testid("upload-failures")).to_contain_text("Unrecognised file type")
    open_everything(ui)
    check_english(ui, session, "case page, upload refused")
    ui.shot("upload-refused")
    withdraw = ui.page.locator("li.attachment", has_text="现场照片.jpg").locator("details.withdraw")
    withdraw.get_by_role("button", name="Withdraw this paper").click()
    expect(ui.testid("error-summary")).to_contain_text("reason")
    open_everything(ui)
    check_english(ui, session, "case page, withdrawal refused")
    ui.goto("/stats/")
    check_english(ui, session, "statistics")
    ui.shot("statistics")
    ui.problems.allow(r"400|BAD REQUEST|Failed to load resource")
    for month in ("2026-13", "1999-01"):  # a malformed month, a month out of range
        ui.goto(f"/stats/?month={month}", status=400)
        check_english(ui, session, f"statistics, month {month}")
    walk_common(ui, session, "staff")


@pytest.mark.parametrize(
    ("role", "cases"),
    [
        ("volunteer", ("assigned", "mediating", "agreed", "defaulted", "closed", "terminated", "withdrawn")),
        ("mediator", ("mediator_mediating", "registered", "closed")),
        ("judge", ("judge_assigned", "registered_major", "agreed")),
    ],
)
def test_mediators_in_english(
    ui: UI, session: Session, world: World, role: str, cases: tuple[str, ...]
) -> None:
    ui.login(world.users[role])
    switch_to_english(ui)
    ui.goto("/cases/mine")
    check_english(ui, session, "my cases")
    walk_cases(ui, session, world, cases)
    first = world.cases[cases[0]]
    ui.goto(f"/cases/{first.id}")
    textarea = ui.page.locator("details.action textarea").first
    open_everything(ui)
    textarea.fill("好" * 3)
    expect(ui.page.locator(".char-count").first).to_contain_text("characters")
    if role == "volunteer":  # a guard's refusal: a session dated tomorrow
        ui.goto(f"/cases/{world.cases['mediating'].id}")
        session_form = ui.action("record_session")
        session_form.evaluate("details => { details.open = true; }")
        session_form.locator("input[name=held_on]").fill("2099-01-01")
        session_form.locator("input[name=place]").fill("调解室")
        session_form.locator("textarea[name=attendees]").fill("张三、李四")
        session_form.locator("textarea[name=summary]").fill("双方陈述")
        ui.problems.allow(r"422|Failed to load resource")
        session_form.locator("button[type=submit]").click()
        expect(ui.testid("error-summary")).to_be_visible()
        open_everything(ui)
        check_english(ui, session, "case page, refused session")
    walk_common(ui, session, role)


def test_leader_in_english(ui: UI, session: Session, world: World) -> None:
    ui.login(world.users["leader"])
    switch_to_english(ui)
    walk_cases(ui, session, world, ("mediating", "closed"))
    ui.goto("/stats/")
    check_english(ui, session, "statistics")
    walk_common(ui, session, "leader")


def test_admin_in_english(ui: UI, session: Session, world: World) -> None:
    ui.login(world.users["admin"])
    switch_to_english(ui)
    staff = world.users["staff"]
    pages = ("/admin/", "/admin/users", "/admin/users/new", f"/admin/users/{staff.id}", "/admin/communities")
    pages += ("/admin/communities/new", f"/admin/communities/{staff_community(session, staff)}")
    pages += ("/admin/categories", "/admin/policy", "/admin/holidays", "/admin/deliveries", "/stats/")
    for path in pages:
        ui.goto(path)
        check_english(ui, session, path)
    # a refused admin form, and the page a password reset shows
    ui.goto("/admin/communities/new")
    ui.problems.allow(r"422|Failed to load resource")
    ui.page.locator("form.card button[type=submit]").click()
    expect(ui.page.locator(".field-error").first).to_be_visible()
    check_english(ui, session, "community refused")
    ui.goto("/admin/users")
    row = ui.page.locator(f'tr[data-username="{staff.username}"]')
    row.get_by_role("button", name="Reset password").click()
    expect(ui.testid("new-password")).to_be_visible()
    check_english(ui, session, "password reset")
    ui.goto("/admin/categories")
    ui.page.get_by_role("button", name="Import the defaults to edit them").click()
    check_english(ui, session, "categories imported")
    walk_common(ui, session, "admin")


def test_ledger_import_in_english(ui: UI, session: Session, seed: Factory, tmp_path: Path) -> None:
    """导入台账 in English: upload (a bad file, then a ledger), mapping, the dry run, the import, a case."""
    community = seed.default_community()
    staff = seed.staff(community)
    mediator = seed.member("mediator", community)
    rows = [
        L(date(2025, 3, 3), closed=date(2025, 3, 10), mediator=mediator.display_name, remark="已付清"),
        L(
            date(2025, 3, 4),
            applicant="赵六",
            respondent="钱七",
            category="楼道纠纷",
            mediator="老赵",
            result="调解中",
        ),
        L("2099.1.1", applicant="孙八", amount="一千二"),  # refused: a future date, an amount in words
    ]
    ledger = tmp_path / "幸福社区台账.xlsx"
    ledger.write_bytes(ledger_xlsx(rows))
    not_a_ledger = tmp_path / "说明.pdf"
    not_a_ledger.write_bytes(b"%PDF-1.4 not a ledger")
    ui.login(staff)
    switch_to_english(ui)
    ui.page.locator("nav").get_by_role("link", name="Import ledger", exact=True).click()
    open_everything(ui)
    spellings = [a for f in FIELDS for a in f.aliases]
    check_english(ui, session, "ledger upload", also=spellings)
    ui.problems.allow(r"422|Failed to load resource")
    ui.page.locator("#file").set_input_files(str(not_a_ledger))
    ui.page.get_by_role("button", name="Upload and check").click()
    expect(ui.testid("upload-error")).to_contain_text("This is a PDF file, not a spreadsheet")
    check_english(ui, session, "ledger upload refused", also=spellings)
    ui.page.locator("#file").set_input_files(str(ledger))
    ui.page.get_by_role("button", name="Upload and check").click()
    expect(ui.page).to_have_url(re.compile(r"/ledger/\d+/mapping$"))
    expect(ui.page.locator("tr.unmapped")).to_contain_text("楼道纠纷")
    check_english(ui, session, "ledger mapping")
    ui.page.locator('select[name="val:category:楼道纠纷"]').select_option("邻里")
    ui.page.get_by_role("button", name="Save the mapping and check").click()
    expect(ui.page).to_have_url(re.compile(r"/ledger/\d+/check$"))
    expect(ui.testid("summary")).to_contain_text("Will be imported: 2 cases")
    expect(ui.page.locator('tr[data-row="6"]')).to_contain_text("is after today")
    check_english(ui, session, "ledger check, the rows refused")
    ui.goto(ui.path() + "?show=new")
    expect(ui.page.locator('tr[data-row="5"]')).to_contain_text("is not a user of this community")
    check_english(ui, session, "ledger check, the rows to import")
    ui.testid("confirm-import").click()
    expect(ui.testid("result")).to_contain_text("New cases: 2")
    check_english(ui, session, "ledger import result")
    imported = session.exec(select(Case).order_by(col(Case.id))).first()
    assert imported is not None
    ui.goto(f"/cases/{imported.id}")
    expect(ui.page.locator("body")).to_contain_text("Imported from a ledger")
    open_everything(ui)
    check_english(ui, session, "imported case page")


def staff_community(session: Session, user: User) -> int:
    link = session.exec(select(UserCommunity).where(UserCommunity.user_id == user.id)).first()
    assert link is not None
    return link.community_id
