"""The case page: header, parties, timeline, and one working form per trigger the user may fire."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from models import Case, CaseEvent, User
from services.validation import mask_id_number, mask_phone
from tests.factories import trigger_data
from tests.web.case_helpers import fresh, login, post_action, snapshot, text, token_in

# (state the case is in, trigger, who fires it, state afterwards)
ACTIONS: list[tuple[str, str, str, str]] = [
    ("registered", "accept", "staff", "accepted"),
    ("registered", "reject", "staff", "not_accepted"),
    ("registered", "withdraw", "staff", "withdrawn"),
    ("registered", "flag_risk", "staff", "registered"),
    ("accepted", "assign", "staff", "assigned"),
    ("accepted", "extend_deadline", "staff", "accepted"),
    ("assigned", "reassign", "staff", "assigned"),
    ("assigned", "notify_rights", "assignee", "assigned"),
    ("assigned", "record_refusal", "assignee", "assigned"),
    ("assigned", "escalate", "assignee", "accepted"),
    ("mediating", "record_session", "assignee", "mediating"),
    ("mediating", "record_agreement", "assignee", "agreed"),
    ("mediating", "terminate", "assignee", "terminated"),
    ("mediating", "withdraw", "assignee", "withdrawn"),
    ("agreed", "record_judicial_confirmation", "assignee", "agreed"),
    ("agreed", "follow_up", "staff", "closed"),
    ("defaulted", "remediate", "assignee", "mediating"),
]


def _who(factory: Any, case: Case, kind: str) -> User:
    if kind == "staff":
        return factory.staff()
    user = factory.session.get(User, case.assignee_id)
    assert user is not None
    return user


def _data(factory: Any, case: Case, trigger: str) -> dict[str, Any]:
    data = trigger_data(trigger)
    if trigger in ("assign", "reassign"):
        other = factory.user(case.tier or "volunteer")
        data["assignee_id"] = other.id
    return data


@pytest.mark.parametrize(("state", "trigger", "who", "after"), ACTIONS)
def test_every_action_form_works(client, factory, session, state, trigger, who, after):
    case = factory.case(state)
    events_before, version_before = _events(session, case.id), case.version
    login(client, _who(factory, case, who))

    resp = post_action(client, case.id, trigger, _data(factory, case, trigger))

    assert resp.status_code == 303, text(resp)[:2000]
    assert resp.headers["Location"].endswith(f"/cases/{case.id}")
    saved = fresh(session, Case, case.id)
    assert saved.state == after
    assert saved.version == version_before + 1
    assert _events(session, case.id) == events_before + 1
    page = text(client.get(f"/cases/{case.id}"))
    assert 'class="flash success"' in page


def test_start_mediation_after_rights_notice(client, factory, session):
    case = factory.fire(factory.case("assigned"), "notify_rights")
    login(client, _who(factory, case, "assignee"))
    resp = post_action(client, case.id, "start_mediation", {})
    assert resp.status_code == 303
    assert fresh(session, Case, case.id).state == "mediating"


def test_judge_delegates_a_major_case(client, factory, session):
    case = factory.case("accepted", claimed_amount=Decimal("30000"))
    assert case.tier == "judge"
    login(client, factory.member("judge"))
    resp = post_action(client, case.id, "delegate", {"reason": "案情清楚，交社区调解员"})
    assert resp.status_code == 303
    assert fresh(session, Case, case.id).tier == "mediator"


def _events(session, case_id: int) -> int:
    session.rollback()
    return len(session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)).all())


def test_header_parties_and_timeline(client, factory):
    case = factory.case("mediating")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert re.search(r'data-testid="case-number">（\d{4}）幸福人调字第\d{4}号<', page)
    assert 'data-testid="state">调解中<' in page
    assert 'data-testid="severity">轻微<' in page
    assert 'data-testid="tier">调解志愿者<' in page
    assert 'data-testid="risk">无<' in page
    assert "还剩 30 天" in page
    timeline = page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    assert timeline.count("<li>") == 5  # register, accept, assign, notify_rights, start_mediation
    for label in ("登记", "受理", "指派", "告知权利义务", "开始调解"):
        assert label in timeline
    assert "年" in timeline and "月" in timeline
    assert "张三" in page and "李四" in page


def test_registered_case_shows_triage_and_accept_reject(client, factory):
    case = factory.case("registered", claimed_amount=Decimal("5000"))
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert 'data-testid="case-number">待受理<' in page
    assert 'data-testid="severity">一般<' in page
    assert 'data-testid="tier">社区调解员<' in page
    assert "争议金额 ≥ 1,000 元" in page
    assert 'data-trigger="accept"' in page and 'data-trigger="reject"' in page
    assert f'action="/cases/{case.id}"' in page
    assert 'name="trigger" value="accept"' in page


def test_accept_with_override_keeps_reason(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    resp = post_action(
        client, case.id, "accept", {"severity": "general", "override_reason": "双方矛盾较深，需调解员介入"}
    )
    assert resp.status_code == 303
    saved = fresh(session, Case, case.id)
    assert (saved.severity, saved.tier, saved.severity_overridden) == ("general", "mediator", True)
    page = text(client.get(f"/cases/{case.id}"))
    assert "已调整" in page and 'data-testid="severity">一般<' in page


def test_override_without_reason_is_refused_beside_the_field(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    before = snapshot(session)
    resp = post_action(client, case.id, "accept", {"severity": "major", "note": "已电话联系双方"})
    assert resp.status_code == 422
    assert snapshot(session) == before
    page = text(resp)
    reason = page.split('id="accept-override_reason"', 1)[1].split("</div>", 1)[0]
    assert "调整严重程度须填写理由" in reason
    assert 'data-testid="error-summary"' in page and "调整严重程度须填写理由" in page
    assert "已电话联系双方" in page  # the note typed is still there


def test_overdue_case_shows_days_overdue(client, factory):
    from datetime import UTC, datetime, timedelta

    case = factory.case("assigned", now=datetime.now(UTC) - timedelta(days=40))
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert "已超期 10 天" in page


# --- bad input: nothing changes, the user reads why --------------------------------------------


BAD_FORMS = [
    ("registered", "reject", "staff", {"reason_code": "other", "route_told": ""}, "请填写：告知的解决途径"),
    ("registered", "reject", "staff", {"reason_code": "forged", "route_told": "x"}, "选项无效"),
    (
        "registered",
        "reject",
        "staff",
        {"reason_code": "other", "route_told": "长" * 1001},
        "不能超过 1000 个字",
    ),
    (
        "mediating",
        "record_session",
        "assignee",
        {**trigger_data("record_session"), "held_on": "2026-13-45"},
        "日期格式不正确",
    ),
    (
        "mediating",
        "record_session",
        "assignee",
        {**trigger_data("record_session"), "place": ""},
        "请填写：调解地点",
    ),
    (
        "mediating",
        "record_agreement",
        "assignee",
        {**trigger_data("record_agreement"), "amount": "-5"},
        "0 至 10 亿元",
    ),
    (
        "mediating",
        "record_agreement",
        "assignee",
        {**trigger_data("record_agreement"), "amount": "abc"},
        "有效的数字金额",
    ),
    ("mediating", "terminate", "assignee", {"reason": "分歧大", "route_told": "起诉"}, "请确认"),
    ("accepted", "assign", "staff", {"assignee_id": "999999"}, "选项无效"),
    ("accepted", "assign", "staff", {"assignee_id": "abc"}, "选项无效"),
    ("accepted", "assign", "staff", {}, "请选择：承办人"),
]


@pytest.mark.parametrize(("state", "trigger", "who", "data", "message"), BAD_FORMS)
def test_bad_form_input_is_422_and_changes_nothing(
    client, factory, session, state, trigger, who, data, message
):
    case = factory.case(state)
    login(client, _who(factory, case, who))
    before = snapshot(session)
    resp = post_action(client, case.id, trigger, data)
    assert resp.status_code == 422
    body = text(resp)
    assert 'class="field-error"' in body and message in body
    assert f'data-trigger="{trigger}" open' in body
    assert snapshot(session) == before


def test_script_in_note_is_escaped(client, factory, session):
    case = factory.case("mediating")
    login(client, _who(factory, case, "assignee"))
    data = {**trigger_data("record_session"), "summary": "<script>alert(1)</script>"}
    assert post_action(client, case.id, "record_session", data).status_code == 303
    page = text(client.get(f"/cases/{case.id}"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_script_in_invalid_form_is_escaped_on_rerender(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    resp = post_action(
        client, case.id, "reject", {"reason_code": "x", "route_told": "<script>alert(1)</script>"}
    )
    assert resp.status_code == 422
    assert "&lt;script&gt;" in text(resp) and "<script>alert" not in text(resp)


def test_forged_trigger_name_is_404(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    token = token_in(text(client.get(f"/cases/{case.id}")))
    before = snapshot(session)
    for name in ("hack", "__init__", "register", "to_closed", ""):
        resp = client.post(f"/cases/{case.id}", data={"csrf_token": token, "version": "1", "trigger": name})
        assert resp.status_code == 404
        assert "找不到" in text(resp)
    assert snapshot(session) == before


def _registered_case_open_as_staff(client, factory):
    """A registered case and the CSRF token of its page, opened by a staff member of its community."""
    case = factory.case("registered")
    login(client, factory.staff())
    return case, token_in(text(client.get(f"/cases/{case.id}")))


def _refused(client, session, case_id, data) -> str:
    """POST a step that must be refused as not possible now (409) with nothing written; the page."""
    before = snapshot(session)
    resp = client.post(f"/cases/{case_id}", data=data)
    assert resp.status_code == 409
    assert snapshot(session) == before
    return text(resp)


def test_trigger_not_available_now_is_refused_and_what_was_typed_stays(client, factory, session):
    case, token = _registered_case_open_as_staff(client, factory)
    data = {**trigger_data("follow_up"), "performed": "y", "csrf_token": token, "version": "1"}
    page = _refused(client, session, case.id, {**data, "trigger": "follow_up", "notes": "回访记录原文"})
    assert 'data-testid="error-summary"' in page and "不能回访" in page
    assert 'data-testid="unsent"' in page and "回访记录原文" in page


def test_a_step_not_allowed_says_so_first_even_with_fields_missing(client, factory, session):
    """The step's refusal (409) comes before the form's: the user learns the step cannot be taken now,
    not that a field of it is missing; what was typed stays."""
    case, token = _registered_case_open_as_staff(client, factory)
    data = {"csrf_token": token, "version": "1", "trigger": "follow_up", "notes": "只填了回访记录"}
    page = _refused(client, session, case.id, data)
    assert 'data-testid="error-summary"' in page and "不能回访" in page
    assert "只填了回访记录" in page


def test_member_who_is_not_assignee_cannot_fire(client, factory, session):
    case = factory.case("mediating")
    other = factory.user("volunteer")
    login(client, other)
    page = text(client.get(f"/cases/{case.id}"))
    assert 'data-trigger="record_session"' not in page
    assert "只有本案承办人可以执行此操作" in page  # the muted list says why
    before = snapshot(session)
    data = {**trigger_data("record_session"), "csrf_token": token_in(page), "version": str(case.version)}
    resp = client.post(f"/cases/{case.id}", data={**data, "trigger": "record_session"})
    assert resp.status_code == 409
    assert snapshot(session) == before
    assert "只有本案承办人" in text(resp)


def test_a_step_taken_meanwhile_by_someone_else_is_refused_with_why(client, factory, session):
    """The case moved on since the page was opened and the step is gone: the user is told why the step
    cannot be taken (not only that the case changed); what was typed stays."""
    case, token = _registered_case_open_as_staff(client, factory)
    factory.fire(case, "accept", actor=factory.staff())
    data = {"csrf_token": token, "version": "1", "trigger": "accept", "note": "已与双方电话核实"}
    page = _refused(client, session, case.id, data)
    assert 'data-testid="error-summary"' in page and "不能受理" in page and "已与双方电话核实" in page


def test_stale_version_writes_nothing_and_keeps_what_was_typed(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    token, seen_version = token_in(page), case.version
    # someone else changes the case meanwhile
    changed = factory.fire(case, "flag_risk", level="yellow", actor=factory.staff())
    before = snapshot(session)
    data = {"csrf_token": token, "version": str(seen_version), "trigger": "accept", "note": "双方均同意调解"}
    resp = client.post(f"/cases/{case.id}", data=data)
    assert resp.status_code == 409
    assert snapshot(session) == before
    assert fresh(session, Case, case.id).state == "registered"
    after = text(resp)
    assert "此案件已被他人修改" in after and 'data-testid="error-summary"' in after
    assert 'data-testid="risk">黄色<' in after  # the page shows what changed
    assert "双方均同意调解" in after  # and the note the user typed
    assert f'name="version" type="hidden" value="{changed.version}"' in after


def test_missing_version_is_422(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    token = token_in(text(client.get(f"/cases/{case.id}")))
    before = snapshot(session)
    resp = client.post(f"/cases/{case.id}", data={"csrf_token": token, "trigger": "accept"})
    assert resp.status_code == 422
    assert "表单已过期" in text(resp)
    assert snapshot(session) == before


def test_post_without_csrf_token_is_400_and_changes_nothing(client, factory, session):
    case = factory.case("registered")
    login(client, factory.staff())
    before = snapshot(session)
    resp = client.post(f"/cases/{case.id}", data={"version": str(case.version), "trigger": "accept"})
    assert resp.status_code == 400
    assert "安全令牌" in text(resp)
    assert snapshot(session) == before


def test_other_communitys_case_is_404_and_unchanged(client, factory, session):
    mine, theirs = factory.community(), factory.community()
    case = factory.case("registered", community=theirs)
    login(client, factory.staff(mine))
    token = token_in(text(client.get("/cases/")))
    before = snapshot(session)
    assert client.get(f"/cases/{case.id}").status_code == 404
    resp = client.post(f"/cases/{case.id}", data={"csrf_token": token, "version": "1", "trigger": "accept"})
    assert resp.status_code == 404
    assert client.get("/cases/999999").status_code == 404
    assert snapshot(session) == before


def test_assign_offers_only_eligible_members(client, factory):
    case = factory.case("accepted")
    fits = factory.member("volunteer")
    wrong_tier = factory.user("mediator")
    other_place = factory.user("volunteer", communities=[factory.community()])
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    form = page.split('data-trigger="assign"', 1)[1].split("</details>", 1)[0]
    assert f'value="{fits.id}"' in form and fits.display_name in form
    assert f'value="{wrong_tier.id}"' not in form
    assert f'value="{other_place.id}"' not in form


# --- privacy ------------------------------------------------------------------------------------


def _party_phone(factory, case) -> tuple[str, str]:
    from models import Party

    party = factory.session.exec(
        select(Party).where(Party.case_id == case.id, Party.role == "applicant")
    ).one()
    return party.phone, party.id_number


@pytest.mark.parametrize("who", ["volunteer_other", "leader"])
def test_pii_masked_for_volunteers_and_leaders(client, factory, who):
    case = factory.case("assigned")
    phone, id_number = _party_phone(factory, case)
    user = factory.user("leader") if who == "leader" else factory.user("volunteer")
    login(client, user)
    page = text(client.get(f"/cases/{case.id}"))
    assert mask_phone(phone) in page and phone not in page
    assert mask_id_number(id_number) in page and id_number not in page


@pytest.mark.parametrize("who", ["staff", "assignee"])
def test_pii_whole_for_staff_and_assignee(client, factory, who):
    case = factory.case("assigned")
    phone, id_number = _party_phone(factory, case)
    login(client, _who(factory, case, who))
    page = text(client.get(f"/cases/{case.id}"))
    assert phone in page and id_number in page


def test_admin_sees_numbers_masked_on_the_case_and_its_papers(client, factory):
    """domain.md: only staff of the case's community and the assignee see them whole (not admins)."""
    case = factory.case("agreed")
    phone, id_number = _party_phone(factory, case)
    login(client, factory.user("admin", communities=[]))
    for path in (f"/cases/{case.id}", f"/cases/{case.id}/agreement"):
        page = text(client.get(path))
        assert mask_phone(phone) in page and phone not in page, path
        assert mask_id_number(id_number) in page and id_number not in page, path


def test_list_search_hint_names_only_what_the_user_may_search(client, factory):
    login(client, factory.user("volunteer"))
    assert "搜索（案号或当事人姓名）" in text(client.get("/cases/"))
    client.post("/logout", data={"csrf_token": token_in(text(client.get("/cases/")))})
    login(client, factory.staff())
    assert "手机号或身份证号" in text(client.get("/cases/"))


def _section(page: str, testid_or_class: str) -> str:
    return page.split(testid_or_class, 1)[1].split("</section>", 1)[0]


def test_next_steps_come_first_and_a_blocked_one_says_why_right_there(client, factory):
    case = factory.case("assigned")
    login(client, _who(factory, case, "assignee"))
    page = text(client.get(f"/cases/{case.id}"))
    nxt = _section(page, 'data-testid="next-steps"')
    assert page.index('data-testid="next-steps"') < page.index('id="actions-h"')
    assert 'class="action primary" data-trigger="notify_rights" open' in nxt
    blocked = nxt.split('data-blocked="start_mediation"', 1)[1].split("</div>", 1)[0]
    assert "先告知当事人权利义务" in blocked  # why, beside the step, not in a collapsed list
    ending = _section(page, 'id="ending-h"')
    for trigger in ("terminate", "withdraw"):
        assert f'class="action secondary" data-trigger="{trigger}"' in ending
    assert ending.count("data-confirm=") == 2 and "此操作会结束本案" in ending
    assert 'data-trigger="terminate"' not in nxt


def test_once_rights_are_told_starting_mediation_is_the_next_step(client, factory):
    case = factory.fire(factory.case("assigned"), "notify_rights")
    login(client, _who(factory, case, "assignee"))
    nxt = _section(text(client.get(f"/cases/{case.id}")), 'data-testid="next-steps"')
    assert 'data-trigger="start_mediation" open' in nxt and 'data-trigger="notify_rights"' not in nxt


def test_written_agreement_marks_its_article_29_fields_before_submitting(client, factory, session):
    case = factory.case("mediating")
    login(client, _who(factory, case, "assignee"))
    form = text(client.get(f"/cases/{case.id}")).split('data-trigger="record_agreement"', 1)[1]
    form = form.split("</details>", 1)[0]
    for name in ("facts", "terms", "performance", "performance_due"):
        tag = re.search(rf'<(?:textarea|input)[^>]*id="record_agreement-{name}"[^>]*>', form)
        assert tag and 'data-required-when="record_agreement-kind=written"' in tag.group(0), name
        label = form.split(f'for="record_agreement-{name}"', 1)[1].split("</label>", 1)[0]
        assert "（书面协议必填）" in label, name
    content = form.split('for="record_agreement-content"', 1)[1].split("</label>", 1)[0]
    assert "（口头协议必填）" in content
    before = snapshot(session)
    data = {
        "kind": "written",
        "effective_on": trigger_data("record_agreement")["effective_on"],
        "terms": "赔偿",
    }
    resp = post_action(client, case.id, "record_agreement", data)
    assert resp.status_code == 422 and snapshot(session) == before
    body = text(resp)
    for label in ("纠纷主要事实、争议事项及各方责任", "履行方式、地点、期限", "履行期限"):
        assert f"书面协议须填写：{label}" in body
    assert "赔偿</textarea>" in body  # what was typed stays
