"""The completeness rule: the signed papers each way of ending needs, warned about or refused as the
policy says; "warn" fires and keeps the warning in the outcome."""

from __future__ import annotations

from datetime import date

import pytest

from workflow import ENGINE, Actor, CaseFacts, Refused, Role, State, Tier
from workflow.papers import check_kinds, ending_of, missing_papers
from workflow.triage import DEFAULT_POLICY, load_policy

TODAY = date(2026, 11, 20)
STAFF = Actor(1, frozenset({Role.STAFF}), frozenset({1}))
MEDIATOR = Actor(2, frozenset({Role.VOLUNTEER}), frozenset({1}))
VISIT = {
    "visited_on": TODAY,
    "method": "call",
    "performed": True,
    "satisfaction": "satisfied",
    "notes": "已履行",
}
STOP = {"reason": "分歧过大", "notice_given": True, "route_told": "可向人民法院起诉"}
REFUSE = DEFAULT_POLICY.with_values({"file_check": "refuse"})


def _agreed(kind: str = "written", papers: frozenset[str] = frozenset()) -> CaseFacts:
    return CaseFacts(
        State.AGREED,
        1,
        tier=Tier.VOLUNTEER,
        assignee_id=MEDIATOR.id,
        agreement_kind=kind,
        agreement_effective_on=date(2026, 11, 1),
        registered_on=date(2026, 10, 1),
        papers=papers,
    )


def _mediating(papers: frozenset[str] = frozenset()) -> CaseFacts:
    return CaseFacts(State.MEDIATING, 1, tier=Tier.VOLUNTEER, assignee_id=MEDIATOR.id, papers=papers)


def test_closing_without_the_signed_agreement_warns_and_closes() -> None:
    out = ENGINE.fire(_agreed(), STAFF, "follow_up", VISIT, today=TODAY)
    assert out.to_state is State.CLOSED
    assert [w.code for w in out.warnings] == ["file_complete"]
    assert "调解协议书（当事人签字）" in out.warnings[0].message
    assert out.changes["file_incomplete"] is True


def test_closing_without_the_signed_agreement_is_refused_when_the_policy_says_so() -> None:
    with pytest.raises(Refused) as err:
        ENGINE.with_policy(REFUSE).fire(_agreed(), STAFF, "follow_up", VISIT, today=TODAY)
    assert err.value.code == "file_complete" and "调解协议书" in err.value.message


def test_a_visit_finding_it_not_performed_is_never_held_up_by_the_file() -> None:
    out = ENGINE.with_policy(REFUSE).fire(
        _agreed(), STAFF, "follow_up", {**VISIT, "performed": False}, today=TODAY
    )
    assert out.to_state is State.DEFAULTED and out.warnings == () and "file_incomplete" not in out.changes


def test_with_the_paper_attached_nothing_is_said() -> None:
    out = ENGINE.with_policy(REFUSE).fire(
        _agreed(papers=frozenset({"agreement"})), STAFF, "follow_up", VISIT, today=TODAY
    )
    assert out.to_state is State.CLOSED and out.warnings == () and out.changes["file_incomplete"] is False


def test_an_oral_agreement_needs_no_signed_paper_by_default() -> None:
    out = ENGINE.with_policy(REFUSE).fire(_agreed("oral"), STAFF, "follow_up", VISIT, today=TODAY)
    assert out.to_state is State.CLOSED and out.warnings == ()


def test_terminating_needs_the_signed_notice() -> None:
    out = ENGINE.fire(_mediating(), MEDIATOR, "terminate", STOP, today=TODAY)
    assert out.to_state is State.TERMINATED and "终止调解告知书" in out.warnings[0].message
    with pytest.raises(Refused, match="终止调解告知书"):
        ENGINE.with_policy(REFUSE).fire(_mediating(), MEDIATOR, "terminate", STOP, today=TODAY)
    done = ENGINE.with_policy(REFUSE).fire(
        _mediating(frozenset({"termination_notice"})), MEDIATOR, "terminate", STOP, today=TODAY
    )
    assert done.to_state is State.TERMINATED


def test_the_case_page_is_told_before_anything_is_typed() -> None:
    """Warn: allowed with a warning. Refuse: terminate is not allowed (why says so); the visit is
    allowed (it may find the agreement unperformed) and warns that closing is not possible yet."""
    warned = ENGINE.availability(_mediating(), MEDIATOR, "terminate")
    assert warned and warned.allowed and warned.warning and "终止调解告知书" in warned.warning
    refused = ENGINE.with_policy(REFUSE).availability(_mediating(), MEDIATOR, "terminate")
    assert refused and not refused.allowed and "终止调解告知书" in (refused.reason or "")
    visit = ENGINE.with_policy(REFUSE).availability(_agreed(), STAFF, "follow_up")
    assert visit and visit.allowed and "调解协议书" in (visit.warning or "")
    complete = ENGINE.availability(_agreed(papers=frozenset({"agreement"})), STAFF, "follow_up")
    assert complete and complete.warning is None


def test_policy_papers_are_checked_against_the_kinds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.toml"
    path.write_text('[file]\ncheck = "refuse"\nclose_oral = ["follow_up", "rights_notice"]\n')
    policy = load_policy(path)
    assert policy.file_check == "refuse" and policy.papers_required("close_oral") == (
        "follow_up",
        "rights_notice",
    )
    path.write_text('[file]\nterminate = ["notice"]\n')
    with pytest.raises(ValueError, match="unknown paper kind"):
        load_policy(path)
    with pytest.raises(ValueError, match="warn"):
        DEFAULT_POLICY.with_values({"file_check": "maybe"})
    assert check_kinds(["agreement"]) == ("agreement",)


def test_ending_and_missing() -> None:
    assert ending_of("closed", "oral") == "close_oral" and ending_of("closed", "written") == "close_written"
    assert ending_of("terminated", None) == "terminate" and ending_of("withdrawn", None) is None
    assert missing_papers(["termination_notice", "agreement"], ["agreement"]) == ("termination_notice",)
