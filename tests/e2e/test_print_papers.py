"""Every printable paper of the file, printed by Chromium to A4: one sheet for a normal case; each also
fits a 390px phone's screen and prints from the phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from models import Case
from tests.e2e.conftest import Cast
from tests.e2e.test_phone_layout import PHONE, check_phone_page
from tests.e2e.test_print import NORMAL_FACTS, NORMAL_TERMS, PERFORMANCE, _agreed, _pages, fold
from tests.e2e.ui import UI
from tests.factories import Factory

SUMMARY = (
    "申请人陈述：被申请人家卫生间漏水已近两个月，天花板发霉。\n"
    "被申请人陈述：愿意维修，但对赔偿金额有异议。\n"
    "调解员释明相关法律规定，双方就维修期限和赔偿金额初步达成一致。"
)


def _closed(seed: Factory, cast: Cast) -> Case:
    case = _agreed(seed, cast, facts=NORMAL_FACTS, terms=NORMAL_TERMS, performance=PERFORMANCE, amount="3000")
    case = seed.fire(case, "record_judicial_confirmation")
    return seed.fire(case, "follow_up")


def _print(ui: UI, path: str, heading: str) -> list[str]:
    ui.goto(path)
    expect(ui.page.locator(".paper")).to_contain_text(heading)
    return _pages(ui.page.pdf(format="A4"))


PAPERS = [
    ("register", "纠纷受理登记表"),
    ("rights", "权利义务告知书"),
    ("session", "人民调解笔录"),
    ("agreement", "人民调解协议书"),
    ("follow_up", "人民调解回访记录"),
    ("confirmation", "司法确认申请书"),
]


def _every_paper(seed: Factory, cast: Cast) -> Case:
    """A case closed after a session, a written agreement, its judicial confirmation and a visit."""
    case = seed.case("accepted", community=cast.community)
    case = seed.fire(case, "assign", assignee_id=cast.volunteer.id)
    for trigger in ("notify_rights", "start_mediation"):
        case = seed.fire(case, trigger)
    case = seed.fire(case, "record_session", summary=SUMMARY)
    case = seed.fire(
        case, "record_agreement", facts=NORMAL_FACTS, terms=NORMAL_TERMS, performance=PERFORMANCE
    )
    case = seed.fire(case, "record_judicial_confirmation")
    return seed.fire(case, "follow_up")


def _terminated(seed: Factory, cast: Cast, *, assign_volunteer: bool = True) -> Case:
    """A case terminated after one session (assigned to the cast's volunteer, or to whoever its tier
    wants: a second case of the same parties is triaged up)."""
    case = seed.case("accepted", community=cast.community)
    case = seed.fire(case, "assign", **({"assignee_id": cast.volunteer.id} if assign_volunteer else {}))
    for trigger in ("notify_rights", "start_mediation"):
        case = seed.fire(case, trigger)
    case = seed.fire(case, "record_session", summary=SUMMARY)
    return seed.fire(case, "terminate")


@pytest.mark.parametrize(("key", "heading"), PAPERS)
def test_each_paper_prints_on_one_a4_sheet(ui: UI, cast: Cast, seed: Factory, key: str, heading: str) -> None:
    case = _every_paper(seed, cast)
    ui.login(cast.staff)
    pages = _print(ui, f"/cases/{case.id}/papers/{key}", heading)
    assert len(pages) == 1, f"{key}: {len(pages)} pages"
    assert fold(heading) in pages[0]


def test_every_paper_fits_a_phone_and_prints_from_it(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory
) -> None:
    """On a 390px phone each paper reads without sideways scrolling, offers its print button, and what
    the phone prints is still one A4 sheet (the cover and its contents: a sheet each)."""
    closed, ended = _every_paper(seed, cast), _terminated(seed, cast, assign_volunteer=False)
    ui = open_ui(**PHONE)
    ui.login(cast.staff)
    papers = [(f"/cases/{closed.id}/papers/{key}", heading, 1) for key, heading in PAPERS]
    papers += [
        (f"/cases/{ended.id}/papers/termination", "终止人民调解告知书", 1),
        (f"/cases/{closed.id}/file", "人民调解卷宗", 2),
    ]
    for path, heading, sheets in papers:
        pages = _print(ui, path, heading)
        expect(ui.page.locator("button[data-print]")).to_be_visible()
        check_phone_page(ui, path.rsplit("/", 1)[-1])
        assert len(pages) == sheets, f"{path}: {len(pages)} pages printed from a phone"
        assert fold(heading) in pages[0]


def test_a_terminated_cases_session_record_and_notice_print_on_one_sheet(
    ui: UI, cast: Cast, seed: Factory
) -> None:
    case = _terminated(seed, cast)
    ui.login(cast.staff)
    session = _print(ui, f"/cases/{case.id}/papers/session/1", "人民调解笔录")  # one sheet a session
    assert len(session) == 1 and fold("双方就维修期限和赔偿金额初步达成一致") in session[0]
    assert fold("人民调解员（签名）：陈建国（调解志愿者）") in session[0]
    notice = _print(ui, f"/cases/{case.id}/papers/termination", "终止人民调解告知书")
    assert len(notice) == 1 and fold("第二十六条") in notice[0]


def test_the_file_cover_and_its_contents_print_on_a_sheet_each(ui: UI, cast: Cast, seed: Factory) -> None:
    case = _closed(seed, cast)
    ui.login(cast.staff)
    pages = _print(ui, f"/cases/{case.id}/file", "人民调解卷宗")
    assert len(pages) == 2, f"{len(pages)} pages"
    assert fold("人民调解卷宗") in pages[0] and fold("卷内目录") not in pages[0]
    assert fold("卷内目录") in pages[1] and fold("未附（结案须附）") in pages[1]
