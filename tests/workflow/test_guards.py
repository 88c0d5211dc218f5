"""Guards: each rule of domain.md that can refuse a trigger."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.factories import trigger_data
from workflow import ENGINE, Actor, CaseFacts, Refused, Role, Severity, State, Tier

TODAY = date(2026, 10, 15)
STAFF = Actor(1, frozenset({Role.STAFF}), frozenset({7}))
VOLUNTEER = Actor(2, frozenset({Role.VOLUNTEER}), frozenset({7}))
MEDIATOR = Actor(3, frozenset({Role.MEDIATOR}), frozenset({7}))
JUDGE = Actor(4, frozenset({Role.JUDGE}), frozenset({7}))

ASSIGNED = CaseFacts(
    State.ASSIGNED, 7, tier=Tier.VOLUNTEER, severity=Severity.MINOR, assignee_id=VOLUNTEER.id
)


def fire(facts: CaseFacts, actor: Actor, trigger: str, data: dict | None = None, **kw):  # type: ignore[no-untyped-def]
    return ENGINE.fire(
        facts,
        actor,
        trigger,
        data if data is not None else trigger_data(trigger, today=TODAY),
        today=TODAY,
        **kw,
    )


def refused(facts: CaseFacts, actor: Actor, trigger: str, data: dict | None = None, **kw) -> Refused:  # type: ignore
    with pytest.raises(Refused) as err:
        fire(facts, actor, trigger, data, **kw)
    return err.value


def test_no_mediation_before_the_rights_notice() -> None:
    why = refused(ASSIGNED, VOLUNTEER, "start_mediation")
    assert "权利义务" in why.message
    notified = fire(ASSIGNED, VOLUNTEER, "notify_rights")
    assert notified.changes == {"rights_notified": True}
    assert (
        fire(replace(ASSIGNED, rights_notified=True), VOLUNTEER, "start_mediation").to_state
        is State.MEDIATING
    )


def test_no_mediation_after_a_recorded_refusal() -> None:
    facts = replace(ASSIGNED, rights_notified=True, refusal_recorded=True)
    assert "拒绝调解" in refused(facts, VOLUNTEER, "start_mediation").message
    assert fire(facts, VOLUNTEER, "withdraw").to_state is State.WITHDRAWN


MEDIATING = replace(ASSIGNED, state=State.MEDIATING, rights_notified=True)


@pytest.mark.parametrize("missing", ["facts", "terms", "performance", "performance_due"])
def test_no_written_agreement_without_article_29_contents(missing: str) -> None:
    data = trigger_data("record_agreement", today=TODAY)
    data[missing] = ""
    assert "法 §29" in refused(MEDIATING, VOLUNTEER, "record_agreement", data).message


def test_oral_agreement_needs_its_content() -> None:
    data = {"kind": "oral", "effective_on": TODAY.isoformat(), "content": ""}
    assert "口头协议" in refused(MEDIATING, VOLUNTEER, "record_agreement", data).message
    data["content"] = "双方同意当场赔偿 200 元"
    assert fire(MEDIATING, VOLUNTEER, "record_agreement", data).to_state is State.AGREED


AGREED = replace(
    MEDIATING, state=State.AGREED, agreement_kind="written", agreement_effective_on=date(2026, 9, 1)
)


def confirmation(applied: date, joint: bool = True) -> dict[str, object]:
    return {"joint": joint, "applied_on": applied.isoformat(), "court": "区人民法院", "result": "valid"}


def test_judicial_confirmation_within_30_days_only() -> None:
    effective = date(2026, 9, 8)
    agreed = replace(AGREED, agreement_effective_on=effective)
    last_day = effective + timedelta(days=30)  # 2026-10-08, a working day
    assert (
        fire(agreed, STAFF, "record_judicial_confirmation", confirmation(last_day)).to_state is State.AGREED
    )
    why = refused(agreed, STAFF, "record_judicial_confirmation", confirmation(last_day + timedelta(days=1)))
    assert "30 日" in why.message


def test_a_confirmation_window_ending_in_the_national_day_holiday_runs_to_the_first_working_day() -> None:
    # 2026-09-01 + 30 days = 2026-10-01; 10-01..10-07 are the holiday, so the window closes on 10-08.
    assert AGREED.agreement_effective_on == date(2026, 9, 1)
    applied = confirmation(date(2026, 10, 8))
    assert fire(AGREED, STAFF, "record_judicial_confirmation", applied).to_state is State.AGREED
    why = refused(AGREED, STAFF, "record_judicial_confirmation", confirmation(date(2026, 10, 9)))
    assert "2026年10月8日" in why.message


def test_judicial_confirmation_needs_a_joint_application_and_happens_once() -> None:
    assert (
        "共同申请"
        in refused(AGREED, STAFF, "record_judicial_confirmation", confirmation(TODAY, False)).message
    )
    done = replace(AGREED, confirmation_recorded=True)
    assert (
        "已记录"
        in refused(done, STAFF, "record_judicial_confirmation", confirmation(date(2026, 9, 5))).message
    )


def test_red_risk_needs_the_reported_to_record() -> None:
    why = refused(ASSIGNED, STAFF, "flag_risk", {"level": "red"})
    assert "法 §25" in why.message
    outcome = fire(ASSIGNED, STAFF, "flag_risk", {"level": "red", "reported_to": "辖区派出所"})
    assert outcome.changes["risk_level"].value == "red"


def test_risk_flag_must_change_the_level() -> None:
    assert "没有变化" in refused(ASSIGNED, STAFF, "flag_risk", {"level": "none"}).message


ACCEPTED = CaseFacts(State.ACCEPTED, 7, tier=Tier.MEDIATOR, severity=Severity.GENERAL)


def test_assignee_must_hold_the_cases_tier() -> None:
    why = refused(ACCEPTED, STAFF, "assign", {"assignee_id": VOLUNTEER.id}, candidate=VOLUNTEER)
    assert "社区调解员" in why.message
    assert fire(ACCEPTED, STAFF, "assign", {"assignee_id": MEDIATOR.id}, candidate=MEDIATOR).changes == {
        "assignee_id": MEDIATOR.id
    }


def test_assignee_must_belong_to_the_cases_community() -> None:
    outsider = Actor(9, frozenset({Role.MEDIATOR}), frozenset({8}))
    assert "社区" in refused(ACCEPTED, STAFF, "assign", {"assignee_id": 9}, candidate=outsider).message


def test_inactive_or_missing_assignee_is_refused() -> None:
    gone = Actor(9, frozenset({Role.MEDIATOR}), frozenset({7}), active=False)
    assert "停用" in refused(ACCEPTED, STAFF, "assign", {"assignee_id": 9}, candidate=gone).message
    assert "找不到" in refused(ACCEPTED, STAFF, "assign", {"assignee_id": 99}, candidate=None).message


def test_escalation_moves_one_tier_up_and_not_beyond_judge() -> None:
    up = fire(ASSIGNED, VOLUNTEER, "escalate")
    assert up.to_state is State.ACCEPTED
    assert up.changes == {"tier": Tier.MEDIATOR, "assignee_id": None, "escalations": 1}
    at_judge = replace(MEDIATING, tier=Tier.JUDGE, assignee_id=JUDGE.id)
    assert "社区法官" in refused(at_judge, JUDGE, "escalate").message


def test_judge_delegates_one_tier_down_only_from_judge_tier() -> None:
    judge_case = CaseFacts(State.ACCEPTED, 7, tier=Tier.JUDGE, severity=Severity.MAJOR)
    down = fire(judge_case, JUDGE, "delegate", {"reason": "案情简单"})
    assert down.changes == {"tier": Tier.MEDIATOR, "assignee_id": None}
    assert refused(ACCEPTED, JUDGE, "delegate", {"reason": "x"}).code == "forbidden"


def test_escalation_and_termination_need_reasons() -> None:
    assert refused(ASSIGNED, VOLUNTEER, "escalate", {"reason": " "}).field == "reason"
    no_notice = {"reason": "分歧大", "notice_given": False, "route_told": "起诉"}
    assert refused(MEDIATING, VOLUNTEER, "terminate", no_notice).field == "notice_given"
    no_route = {"reason": "分歧大", "notice_given": True, "route_told": ""}
    assert refused(MEDIATING, VOLUNTEER, "terminate", no_route).field == "route_told"


def test_accept_override_needs_a_reason() -> None:
    registered = CaseFacts(State.REGISTERED, 7, severity=Severity.MINOR)
    assert "理由" in refused(registered, STAFF, "accept", {"severity": "major"}).message
    out = fire(registered, STAFF, "accept", {"severity": "major", "override_reason": "可能激化"})
    deadline = TODAY + timedelta(days=30)
    assert out.changes == {
        "severity": Severity.MAJOR,
        "tier": Tier.JUDGE,
        "severity_overridden": True,
        "deadline": deadline,
    }
    plain = fire(registered, STAFF, "accept", {})
    assert plain.changes == {
        "severity": Severity.MINOR,
        "tier": Tier.VOLUNTEER,
        "severity_overridden": False,
        "deadline": deadline,
    }


def test_remediation_and_extension_need_both_parties_consent() -> None:
    defaulted = replace(AGREED, state=State.DEFAULTED)
    assert "同意" in refused(defaulted, VOLUNTEER, "remediate", {"consent": False}).message
    assert fire(defaulted, VOLUNTEER, "remediate", {"consent": "y"}).to_state is State.MEDIATING
    assert fire(ASSIGNED, VOLUNTEER, "extend_deadline", {"consent": True}).changes == {"extensions": 1}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("held_on", "2026-13-01", "bad_field"),
        ("kind", "secret", "bad_choice"),
        ("place", "x" * 201, "too_long"),
        ("summary", "", "missing_field"),
    ],
)
def test_trigger_data_is_validated(field: str, value: str, code: str) -> None:
    data = trigger_data("record_session", today=TODAY)
    data[field] = value
    why = refused(MEDIATING, VOLUNTEER, "record_session", data)
    assert (why.code, why.field) == (code, field)


# --- dates of things that already happened (issue: 30 days in the future were accepted) -----------
REGISTERED_ON = TODAY - timedelta(days=5)
DATED = [
    ("notify_rights", "notified_on", replace(ASSIGNED, registered_on=REGISTERED_ON), "告知日期"),
    ("record_session", "held_on", replace(MEDIATING, registered_on=REGISTERED_ON), "调解日期"),
    ("record_agreement", "effective_on", replace(MEDIATING, registered_on=REGISTERED_ON), "生效日期"),
    (
        "follow_up",
        "visited_on",
        replace(
            MEDIATING, state=State.AGREED, registered_on=REGISTERED_ON, agreement_effective_on=REGISTERED_ON
        ),
        "回访日期",
    ),
    (
        "record_judicial_confirmation",
        "applied_on",
        replace(
            MEDIATING, state=State.AGREED, registered_on=REGISTERED_ON, agreement_effective_on=REGISTERED_ON
        ),
        "申请日期",
    ),
]


@pytest.mark.parametrize(("trigger", "name", "facts", "label"), DATED, ids=[d[0] for d in DATED])
def test_a_date_that_happened_is_not_in_the_future_nor_before_registration(trigger, name, facts, label):
    who = VOLUNTEER if trigger != "follow_up" else STAFF
    data = trigger_data(trigger, today=TODAY)
    for day in (TODAY, REGISTERED_ON):
        assert fire(facts, who, trigger, {**data, name: day.isoformat()}) is not None
    future = refused(facts, who, trigger, {**data, name: (TODAY + timedelta(days=1)).isoformat()})
    assert (future.field, future.code) == (name, f"{name}_happened")
    assert f"{label}不能晚于今天" in future.message and "2026年10月15日" in future.message
    early = refused(facts, who, trigger, {**data, name: (REGISTERED_ON - timedelta(days=1)).isoformat()})
    assert early.field == name and f"{label}不能早于案件登记日期（2026年10月10日）" in early.message


def test_performance_deadline_not_before_the_agreement_takes_effect() -> None:
    data = {**trigger_data("record_agreement", today=TODAY), "performance_due": "2026-10-14"}
    why = refused(MEDIATING, VOLUNTEER, "record_agreement", data)
    assert why.field == "performance_due" and "履行期限不能早于协议生效日期" in why.message
    same_day = {**data, "performance_due": TODAY.isoformat()}
    assert fire(MEDIATING, VOLUNTEER, "record_agreement", same_day).to_state is State.AGREED


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_no_one_can_mean_are_refused_as_out_of_range(day: str) -> None:
    data = {**trigger_data("record_session", today=TODAY), "held_on": day}
    why = refused(MEDIATING, VOLUNTEER, "record_session", data)
    assert why.field == "held_on" and "超出范围" in why.message
