"""One vocabulary (issue 12, point 4): the lists the intake form, the service, the report and the exports
read, and the triage rules that refer to categories by id."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import Case, Term, TermKind
from services import clock
from services.cases import intake
from services.errors import Invalid
from services.permissions import actor_for
from services.policy import current_policy, update_policy
from services.statistics.months import Month
from services.statistics.report import monthly_report
from services.statistics.scope import resolve_scope
from services.vocabulary import (
    active_categories,
    active_sources,
    create_term,
    names_by_id,
    update_term,
)
from tests.factories import Factory
from workflow import Actor, Role

DOMAIN_CATEGORIES = [
    "婚姻家庭", "邻里", "房屋宅基地", "合同", "生产经营", "损害赔偿", "山林土地", "征地拆迁",
    "环境污染", "劳动争议", "消费", "医疗", "道路交通事故", "物业", "其他",
]  # fmt: skip
DOMAIN_GENERAL = {"婚姻家庭", "房屋宅基地", "征地拆迁", "劳动争议", "医疗", "道路交通事故"}
ADMIN = Actor(id=0, roles=frozenset({Role.ADMIN}), community_ids=None)


def _term(session: Session, kind: TermKind, name: str) -> Term:
    return session.exec(select(Term).where(Term.kind == kind.value, Term.name == name)).one()


def test_the_migrated_lists_and_rules_are_domain_mds(session: Session) -> None:
    assert active_categories(session) == DOMAIN_CATEGORIES
    assert active_sources(session) == ["当事人申请", "主动调解", "委托移送"]
    policy = current_policy(session)
    names = names_by_id(session, TermKind.CATEGORY)
    assert {names[i] for i in policy.general_categories} == DOMAIN_GENERAL
    assert policy.major_categories == frozenset()


def test_a_renamed_category_keeps_its_general_rule(factory: Factory, session: Session) -> None:
    """The bug: the policy stored names, so renaming 婚姻家庭 in admin silently dropped it from 一般."""
    family = _term(session, TermKind.CATEGORY, "婚姻家庭")
    assert family.id is not None
    update_term(session=session, term_id=family.id, name="婚姻家庭纠纷")
    case = factory.case("registered", category="婚姻家庭纠纷")
    assert case.severity_computed == "general"
    assert "纠纷类型：婚姻家庭纠纷" in case.triage_reasons
    with pytest.raises(Invalid) as err:
        factory.case("registered", category="婚姻家庭")
    assert err.value.field == "category"


def test_a_case_keeps_the_name_it_was_filed_with(factory: Factory, session: Session) -> None:
    case = factory.case("registered", category="物业")
    term = _term(session, TermKind.CATEGORY, "物业")
    assert term.id is not None
    update_term(session=session, term_id=term.id, name="物业服务")
    assert session.get(Case, case.id, populate_existing=True).category == "物业"  # type: ignore[union-attr]


def test_a_source_added_in_admin_is_taken_and_reported_in_the_lists_order(
    factory: Factory, session: Session
) -> None:
    """The bug: sources lived in three places, and the report grouped by the built-in list."""
    create_term(session=session, kind=TermKind.SOURCE, name="网格上报")
    moved = _term(session, TermKind.SOURCE, "网格上报")
    assert moved.id is not None
    update_term(session=session, term_id=moved.id, position=0)
    case = factory.case("accepted", source="网格上报")
    assert case.source == "网格上报"
    month = Month.of(clock.now())
    report = monthly_report(session, resolve_scope(session, ADMIN, "all"), month)
    assert [r.key for r in report.sources] == ["网格上报", "当事人申请", "主动调解", "委托移送"]
    assert report.sources[0].accepted == 1


def test_a_deactivated_source_is_refused_and_the_report_still_shows_its_cases(
    factory: Factory, session: Session
) -> None:
    case = factory.case("accepted", source="委托移送")
    term = _term(session, TermKind.SOURCE, "委托移送")
    assert term.id is not None
    update_term(session=session, term_id=term.id, active=False)
    assert "委托移送" not in active_sources(session)
    with pytest.raises(Invalid) as err:
        intake(session=session, actor=factory.staff(), data=factory.intake_input(source="委托移送"))
    assert err.value.field == "source"
    report = monthly_report(session, resolve_scope(session, ADMIN, "all"), Month.of(clock.now()))
    assert {r.key: r.accepted for r in report.sources}["委托移送"] == 1
    assert case.source == "委托移送"


def test_names_are_unique_within_a_list_and_the_last_active_one_stays(session: Session) -> None:
    create_term(session=session, kind=TermKind.SOURCE, name="邻里")  # a source may share a category's name
    with pytest.raises(Invalid, match="名称已存在"):
        create_term(session=session, kind=TermKind.SOURCE, name="主动调解")
    with pytest.raises(Invalid, match="1–20"):
        create_term(session=session, kind=TermKind.CATEGORY, name="长" * 21)
    for name in ["当事人申请", "主动调解", "委托移送"]:
        update_term(session=session, term_id=_term(session, TermKind.SOURCE, name).id or 0, active=False)
    last = _term(session, TermKind.SOURCE, "邻里")
    with pytest.raises(Invalid, match="至少须保留一个启用的案件来源"):
        update_term(session=session, term_id=last.id or 0, active=False)


def test_the_policy_takes_category_ids_it_knows_and_never_one_rule_for_both(
    factory: Factory, session: Session
) -> None:
    admin = actor_for(session, factory.user("admin", communities=[]))
    ids = {v: k for k, v in names_by_id(session, TermKind.CATEGORY).items()}
    policy = update_policy(
        session=session,
        actor=admin,
        values={"major_categories": [ids["医疗"]], "general_categories": [ids["婚姻家庭"]]},
        reason="医疗纠纷较大",
    )
    assert policy.major_categories == {ids["医疗"]} and policy.general_categories == {ids["婚姻家庭"]}
    with pytest.raises(Invalid) as err:
        update_policy(session=session, actor=admin, values={"major_categories": [9999]}, reason="x")
    assert err.value.field == "major_categories"
    with pytest.raises(Invalid) as err:
        update_policy(
            session=session,
            actor=admin,
            values={"major_categories": [ids["合同"]], "general_categories": [ids["合同"]]},
            reason="x",
        )
    assert "合同" in err.value.message
