"""Journey 1: a neighbour-noise complaint from intake to a closed case, by staff and a volunteer."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from models import CaseEvent
from services import clock
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI, ByLabel, PartyRow, fill_intake, id_number, submit_intake

STEPS = [
    ("登记", "staff"),
    ("受理", "staff"),
    ("指派", "staff"),
    ("告知权利义务", "volunteer"),
    ("开始调解", "volunteer"),
    ("记录调解", "volunteer"),
    ("记录调解协议", "volunteer"),
    ("回访", "staff"),
]
FACTS = "楼上住户夜间搬动家具、播放音乐，噪音扰民，申请人要求赔偿耳塞及误工损失500元。"
AGREED_FACTS = "被申请人夜间噪音影响申请人休息，被申请人负主要责任。"
AGREED_TERMS = "被申请人于晚十时后不再播放音乐，并赔偿申请人500元。"
PERFORMANCE = "现金一次性支付，在社区调解室当面交付，三日内履行完毕。"


SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    # A volunteer recording an agreement on a phone (390 px), as real use does.
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_minor_case_from_intake_to_closed(
    open_ui: Callable[..., UI], cast: Cast, session: Session, screen: str
) -> None:
    ui = open_ui(**SCREENS[screen])
    page = ui.page
    today = clock.local_date()
    year = today.year

    # --- staff registers the complaint -------------------------------------------------------
    ui.login(cast.staff)
    ui.shot("staff-queue")
    ui.nav("登记纠纷")
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    fill_intake(
        ui,
        community="幸福社区",
        facts=FACTS,
        amount="500",
        parties=[
            PartyRow("applicant", "张桂兰", "13912345678", id_number("19650312", 24)),
            PartyRow("respondent", "王海涛", "13698765432", id_number("19880907", 37), room="602"),
        ],
    )
    ui.shot("intake-filled")
    submit_intake(ui)
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    case_path = ui.path()
    expect(ui.testid("case-number")).to_have_text("待受理")
    expect(ui.testid("state")).to_have_text("已登记")
    expect(ui.testid("severity")).to_have_text("轻微")
    expect(ui.testid("tier")).to_have_text("调解志愿者")
    expect(ui.testid("parties")).to_contain_text("张桂兰")
    expect(ui.testid("parties")).to_contain_text("王海涛")
    ui.shot("registered")

    # --- accept and assign -------------------------------------------------------------------
    ui.fire("accept")
    number = f"（{year}）幸福人调字第0001号"
    expect(ui.testid("case-number")).to_have_text(number)
    expect(ui.testid("state")).to_have_text("已受理")
    expect(ui.testid("tier")).to_have_text("调解志愿者")
    ui.shot("accepted")

    ui.fire("assign", {"assignee_id": ByLabel(cast.volunteer.display_name)})
    expect(ui.testid("state")).to_have_text("已指派")
    ui.shot("assigned")
    ui.logout()

    # --- the volunteer mediates --------------------------------------------------------------
    ui.login(cast.volunteer)
    ui.nav("我的案件")  # the desk, where login lands, shows deadlines; the new case waits in the queue
    queue_link = page.get_by_role("link", name=number, exact=True)
    expect(queue_link).to_be_visible()
    ui.shot("volunteer-queue")
    queue_link.click()
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    expect(ui.testid("state")).to_have_text("已指派")

    ui.fire("notify_rights", {"method": "written", "notified_on": today.isoformat()})
    ui.fire("start_mediation", {"note": "双方同意调解"})
    expect(ui.testid("state")).to_have_text("调解中")
    ui.fire(
        "record_session",
        {
            "held_on": today.isoformat(),
            "place": "幸福社区调解室",
            "attendees": "张桂兰、王海涛、调解志愿者陈建国",
            "summary": "双方陈述了噪音发生的时间和影响，经疏导，被申请人同意改正并赔偿。",
            "kind": "public",
        },
    )
    ui.shot("session-recorded")
    ui.fire(
        "record_agreement",
        {
            "kind": "written",
            "effective_on": today.isoformat(),
            "facts": AGREED_FACTS,
            "terms": AGREED_TERMS,
            "performance": PERFORMANCE,
            "performance_due": (today + timedelta(days=3)).isoformat(),
            "amount": "500",
        },
    )
    expect(ui.testid("state")).to_have_text("已达成协议")
    ui.shot("agreed")
    ui.logout()

    # --- staff follows up --------------------------------------------------------------------
    ui.login(cast.staff)
    ui.nav("案件列表")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    ui.fire(
        "follow_up",
        {
            "visited_on": today.isoformat(),
            "method": "visit",
            "performed": True,
            "satisfaction": "satisfied",
            "notes": "被申请人已按协议赔偿，夜间未再出现噪音。",
        },
    )
    expect(ui.testid("state")).to_have_text("已结案")
    check_timeline(ui, cast, session, int(case_path.rsplit("/", 1)[1]))
    ui.shot("closed")

    # --- the printable documents -------------------------------------------------------------
    check_case_file(ui, case_path, number)
    check_agreement(ui, case_path)


def check_case_file(ui: UI, case_path: str, number: str) -> None:
    """卷宗封面及目录 of a closed case: the cover names the case; every required paper is in the file."""
    page = ui.page
    page.locator("main").get_by_role("link", name="卷宗封面及目录").click()
    expect(page).to_have_url(re.compile(rf"{case_path}/file$"))
    body = page.locator("body")
    expect(body).to_contain_text("卷宗")
    expect(body).to_contain_text(number)
    expect(body).to_contain_text("张桂兰")
    expect(body).to_contain_text("目录")
    for paper in (r"权利义务告知", r"调解笔录|调解记录", r"调解协议", r"回访"):
        expect(page.locator("tr, li").filter(has_text=re.compile(paper)).first).to_be_visible()
    expect(page.locator("tr.missing")).to_have_count(0)
    ui.shot("case-file")


def check_timeline(ui: UI, cast: Cast, session: Session, case_id: int) -> None:
    """Eight entries, one per step, each with its Chinese label, the actor's name and the Beijing time."""
    entries = ui.timeline()
    expect(entries).to_have_count(len(STEPS))
    names = {"staff": cast.staff.display_name, "volunteer": cast.volunteer.display_name}
    texts = [t.strip() for t in entries.all_inner_texts()]
    by_length = sorted({label for label, _ in STEPS}, key=len, reverse=True)
    labels = [next((label for label in by_length if t.startswith(label)), t) for t in texts]
    expected = [label for label, _ in STEPS]
    assert labels in (expected, expected[::-1]), f"timeline order: {labels}"
    ordered = texts if labels == expected else texts[::-1]
    session.rollback()
    session.expire_all()
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))
    ).all()
    assert len(events) == len(STEPS)
    for (label, who), text, event in zip(STEPS, ordered, events, strict=True):
        head = text.splitlines()[0]
        assert names[who] in head, f"timeline entry {label!r} lacks the actor {names[who]}: {head!r}"
        beijing = clock.local(event.at)
        when = f"{beijing.year}年{beijing.month:02d}月{beijing.day:02d}日 {beijing:%H:%M}"
        assert when in head.replace(f"{beijing.month}月", f"{beijing.month:02d}月").replace(
            f"月{beijing.day}日", f"月{beijing.day:02d}日"
        ), f"timeline entry {label!r} should show Beijing time {when}: {head!r}"


def check_agreement(ui: UI, case_path: str) -> None:
    """The 调解协议书 carries the §29 contents and the signature lines, and its print button works."""
    page = ui.page
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    ui.goto(f"{case_path}/agreement")
    paper = page.locator("body")
    expect(paper).to_contain_text("人民调解协议书")
    # 法 §29: the parties' details; the facts, the points in dispute and each side's responsibility;
    # the agreed terms; how, where and by when they are performed.
    for heading in (
        re.compile(r"主要事实.*争议事项.*责任"),
        re.compile(r"协议"),
        re.compile(r"履行.*方式.*地点.*期限"),
    ):
        expect(page.locator("h2, h3").filter(has_text=heading).first).to_be_visible()
    for text in ("张桂兰", "王海涛", "13912345678", AGREED_FACTS, AGREED_TERMS, PERFORMANCE):
        expect(paper).to_contain_text(text)
    expect(page.get_by_text(re.compile(r"申请人（签名）"))).to_have_count(2)  # 申请人 + 被申请人
    expect(page.get_by_text(re.compile(r"^被申请人（签名）"))).to_have_count(1)
    expect(page.get_by_text(re.compile(r"调解员（签名）"))).to_have_count(1)
    expect(paper).to_contain_text("盖章")
    ui.shot("agreement-print")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") == 1, "the 打印 button did not call window.print()"
    ui.problems.check("print button")
    page.emulate_media(media="print")
    expect(page.locator(".no-print").first).to_be_hidden()
    ui.shot("agreement-print-media")
