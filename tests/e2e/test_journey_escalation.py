"""Journey 2: a minor case climbs volunteer → mediator → judge, and the judge terminates it (法 §26)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from models import User
from services import clock
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI, ByLabel, PartyRow, fill_intake, id_number, submit_intake

VOLUNTEER_REASON = "双方对赔偿数额分歧较大，志愿者调解未果，需社区调解员调解。"
MEDIATOR_REASON = "申请人坚持索赔，涉及房屋损害责任认定，需社区法官指导调解。"
TERMINATE_REASON = "经多次调解，双方仍不能达成一致意见。"
ROUTE = "已告知双方可向人民法院提起民事诉讼。"


def test_minor_case_escalates_to_the_judge_who_terminates(ui: UI, cast: Cast) -> None:
    page = ui.page
    today = clock.local_date().isoformat()

    # --- staff registers, accepts and assigns a volunteer ------------------------------------
    ui.login(cast.staff)
    ui.nav("登记纠纷")
    fill_intake(
        ui,
        community="幸福社区",
        facts="楼上阳台花盆滴水，弄脏楼下晾晒的衣物，双方争吵。",
        amount="200",
        parties=[
            PartyRow("applicant", "李淑芬", "13511112222", id_number("19700101", 11)),
            PartyRow("respondent", "赵国庆", "13733334444", id_number("19751001", 52), room="702"),
        ],
    )
    submit_intake(ui)
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    case_path = ui.path()
    expect(ui.testid("severity")).to_have_text("轻微")
    expect(ui.testid("tier")).to_have_text("调解志愿者")
    ui.fire("accept")
    number = ui.testid("case-number").inner_text()
    assert re.fullmatch(r"（\d{4}）幸福人调字第0001号", number), number
    assign_to(ui, cast.volunteer, not_offered=[cast.mediator, cast.judge])
    ui.shot("assigned-volunteer")
    ui.logout()

    # --- the volunteer tries, then escalates -------------------------------------------------
    mediate_then(ui, cast.volunteer, case_path, "escalate", {"reason": VOLUNTEER_REASON})
    expect(ui.testid("state")).to_have_text("已受理")
    expect(ui.testid("tier")).to_have_text("社区调解员")
    expect(ui.testid("case-number")).to_have_text(number)
    ui.shot("escalated-to-mediator")
    ui.logout()

    # --- staff assigns the community mediator ------------------------------------------------
    ui.login(cast.staff)
    ui.goto(case_path)
    assign_to(ui, cast.mediator, not_offered=[cast.volunteer, cast.other_volunteer, cast.judge])
    ui.logout()

    # --- the mediator tries, then escalates --------------------------------------------------
    mediate_then(ui, cast.mediator, case_path, "escalate", {"reason": MEDIATOR_REASON})
    expect(ui.testid("state")).to_have_text("已受理")
    expect(ui.testid("tier")).to_have_text("社区法官")
    ui.shot("escalated-to-judge")
    ui.logout()

    # --- staff assigns the community judge ---------------------------------------------------
    ui.login(cast.staff)
    ui.goto(case_path)
    assign_to(ui, cast.judge, not_offered=[cast.volunteer, cast.mediator])
    ui.logout()

    # --- the judge cannot escalate; mediation fails and is terminated ------------------------
    ui.login(cast.judge)
    ui.goto(case_path)
    expect(ui.action("notify_rights")).to_have_count(1)
    expect(ui.action("escalate")).to_have_count(0)
    ui.fire("notify_rights", {"method": "oral", "notified_on": today})
    ui.fire("start_mediation")
    expect(ui.testid("state")).to_have_text("调解中")
    expect(ui.action("record_session")).to_have_count(1)
    expect(ui.action("escalate")).to_have_count(0)
    expect(page.locator("details.action > summary").filter(has_text="上报上一级")).to_have_count(0)
    ui.shot("judge-mediating-no-escalate")
    ui.fire("terminate", {"reason": TERMINATE_REASON, "notice_given": True, "route_told": ROUTE})
    expect(ui.testid("state")).to_have_text("终止调解")
    expect(page.locator("details.action")).to_have_count(0)  # a terminal state offers nothing
    check_timeline(ui, cast)
    ui.shot("terminated")


def assign_to(ui: UI, user: User, not_offered: list[User]) -> None:
    """Assign by display name; people of another tier are not in the select."""
    options = ui.action("assign").locator('select[name="assignee_id"] option')
    for other in not_offered:
        expect(options.filter(has_text=other.display_name)).to_have_count(0)
    ui.fire("assign", {"assignee_id": ByLabel(user.display_name)})
    expect(ui.testid("state")).to_have_text("已指派")
    expect(ui.page.locator("article, main").first).to_contain_text(user.display_name)


def mediate_then(ui: UI, user: User, case_path: str, trigger: str, values: dict[str, str | bool]) -> None:
    """The assignee finds the case in 我的案件, notifies rights, starts mediation, then fires ``trigger``."""
    ui.login(user)
    ui.nav("我的案件")
    ui.page.locator(f'main a[href$="{case_path}"]').first.click()
    expect(ui.page).to_have_url(re.compile(rf"{case_path}$"))
    ui.fire("notify_rights", {"method": "written", "notified_on": clock.local_date().isoformat()})
    ui.fire("start_mediation")
    expect(ui.testid("state")).to_have_text("调解中")
    ui.fire(trigger, values)


def check_timeline(ui: UI, cast: Cast) -> None:
    """Every step in order, with both escalations (and reasons) and the termination with its route."""
    entries = ui.timeline()
    work = ["告知权利义务", "开始调解"]
    steps = [
        ("登记", cast.staff),
        ("受理", cast.staff),
        ("指派", cast.staff),
        *[(s, cast.volunteer) for s in work],
        ("上报上一级", cast.volunteer),
        ("指派", cast.staff),
        *[(s, cast.mediator) for s in work],
        ("上报上一级", cast.mediator),
        ("指派", cast.staff),
        *[(s, cast.judge) for s in work],
        ("终止调解", cast.judge),
    ]
    expect(entries).to_have_count(len(steps))
    texts = [t.strip() for t in entries.all_inner_texts()]
    if texts[0].startswith("终止调解"):
        texts.reverse()
    for (label, who), text in zip(steps, texts, strict=True):
        head = text.splitlines()[0]
        assert head.startswith(label), f"expected a {label!r} entry, got {head!r}"
        assert who.display_name in head, f"{label!r} entry should name {who.display_name}: {head!r}"
    escalations = [t for t in texts if t.startswith("上报上一级")]
    assert VOLUNTEER_REASON in escalations[0], escalations[0]
    assert MEDIATOR_REASON in escalations[1], escalations[1]
    assert TERMINATE_REASON in texts[-1] and ROUTE in texts[-1], texts[-1]
