"""Triage policy at every boundary of domain.md's table, and staff overrides."""

from decimal import Decimal

import pytest

from workflow import Policy, Refused, RiskLevel, Severity, Tier, TriageFacts, load_policy, triage
from workflow.triage import CATEGORY, DEFAULT_POLICY, REASONS_SEPARATOR, override, read_reasons


def facts(**kw: object) -> TriageFacts:
    base: dict[str, object] = {
        "category": "邻里",
        "claimed_amount": Decimal(0),
        "parties": 2,
        "people_involved": 2,
    }
    base.update(kw)
    return TriageFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "severity"),
    [
        (0, Severity.MINOR),
        (999, Severity.MINOR),
        (1000, Severity.GENERAL),
        (19999, Severity.GENERAL),
        (20000, Severity.MAJOR),
        ("999.99", Severity.MINOR),
        ("19999.99", Severity.GENERAL),
    ],
)
def test_amount_boundaries(amount: object, severity: Severity) -> None:
    assert triage(facts(claimed_amount=Decimal(str(amount)))).severity is severity


@pytest.mark.parametrize(("parties", "severity"), [(2, Severity.MINOR), (3, Severity.GENERAL)])
def test_party_boundary(parties: int, severity: Severity) -> None:
    assert triage(facts(parties=parties)).severity is severity


@pytest.mark.parametrize(("people", "severity"), [(9, Severity.MINOR), (10, Severity.MAJOR)])
def test_people_boundary(people: int, severity: Severity) -> None:
    assert triage(facts(people_involved=people)).severity is severity


@pytest.mark.parametrize(
    ("risk", "severity"),
    [
        (RiskLevel.NONE, Severity.MINOR),
        (RiskLevel.YELLOW, Severity.MINOR),
        (RiskLevel.ORANGE, Severity.GENERAL),
        (RiskLevel.RED, Severity.MAJOR),
    ],
)
def test_each_risk_level(risk: RiskLevel, severity: Severity) -> None:
    assert triage(facts(risk_level=risk)).severity is severity


def test_injury_is_major() -> None:
    result = triage(facts(injury=True))
    assert (result.severity, result.tier) == (Severity.MAJOR, Tier.JUDGE)


GENERAL = ["婚姻家庭", "房屋宅基地", "征地拆迁", "劳动争议", "医疗", "道路交通事故"]
OTHERS = ["邻里", "合同", "生产经营", "损害赔偿", "山林土地", "环境污染", "消费", "物业", "其他"]
# Vocabulary ids as a database would give them (the rules hold ids; tests/services/test_vocabulary.py
# checks that the migrated database's rules name domain.md's categories).
IDS = {name: i for i, name in enumerate([*GENERAL, *OTHERS], start=1)}
BY_ID = DEFAULT_POLICY.with_values({"general_categories": [IDS[name] for name in GENERAL]})


@pytest.mark.parametrize("category", GENERAL)
def test_general_categories(category: str) -> None:
    result = triage(facts(category=category, category_id=IDS[category]), BY_ID)
    assert (result.severity, result.tier) == (Severity.GENERAL, Tier.MEDIATOR)
    assert any(category in r for r in result.reasons)


@pytest.mark.parametrize("category", OTHERS)
def test_other_categories_stay_minor(category: str) -> None:
    assert triage(facts(category=category, category_id=IDS[category]), BY_ID).severity is Severity.MINOR


def test_the_rule_follows_the_id_not_the_name() -> None:
    renamed = facts(category="婚姻家庭纠纷", category_id=IDS["婚姻家庭"])
    assert triage(renamed, BY_ID).severity is Severity.GENERAL
    same_name_other_id = facts(category="婚姻家庭", category_id=IDS["其他"])
    assert triage(same_name_other_id, BY_ID).severity is Severity.MINOR


@pytest.mark.parametrize(
    ("days", "severity"),
    [(None, Severity.MINOR), (0, Severity.GENERAL), (180, Severity.GENERAL), (181, Severity.MINOR)],
)
def test_repeat_rule_180_days(days: int | None, severity: Severity) -> None:
    assert triage(facts(days_since_related_case=days)).severity is severity


def test_first_matching_row_wins() -> None:
    result = triage(
        facts(category="婚姻家庭", category_id=IDS["婚姻家庭"], claimed_amount=Decimal(50000)), BY_ID
    )
    assert result.severity is Severity.MAJOR


def test_policy_file_overrides_thresholds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "policy.toml"
    path.write_text('[triage]\ngeneral_amount = 500\ngeneral_categories = ["物业"]\n', encoding="utf-8")
    policy = load_policy(path)
    assert policy.major_amount == DEFAULT_POLICY.major_amount
    assert triage(facts(claimed_amount=Decimal(500)), policy).severity is Severity.GENERAL
    # Category names in the file only seed the database (migration 0013): the rules hold ids.
    assert policy.general_categories == frozenset()


def test_default_policy_matches_domain() -> None:
    p = DEFAULT_POLICY
    assert (p.major_amount, p.general_amount, p.major_people, p.general_parties, p.repeat_days) == (
        20000,
        1000,
        10,
        3,
        180,
    )
    assert (p.major_categories, p.general_categories) == (frozenset(), frozenset())
    assert isinstance(p, Policy)


def test_override_needs_a_reason() -> None:
    computed = triage(facts())
    with pytest.raises(Refused) as refused:
        override(computed, Severity.MAJOR, "  ")
    assert refused.value.field == "override_reason"
    result = override(computed, Severity.MAJOR, "当事人情绪激动，可能激化")
    assert (result.severity, result.tier, result.overridden, result.computed) == (
        Severity.MAJOR,
        Tier.JUDGE,
        True,
        Severity.MINOR,
    )
    assert result.override_reason == "当事人情绪激动，可能激化"


def test_override_to_same_severity_needs_no_reason() -> None:
    computed = triage(facts())
    assert override(computed, Severity.MINOR, None) == computed


def test_stored_reasons_read_back_as_the_texts_they_were_written_from() -> None:
    """A case stores its reasons in Chinese; reading them back gives each text with its values."""
    family = {"category": "婚姻家庭", "category_id": IDS["婚姻家庭"]}
    result = triage(
        facts(claimed_amount=Decimal("2500.50"), parties=3, days_since_related_case=9, **family), BY_ID
    )
    stored = REASONS_SEPARATOR.join(result.reasons)
    assert stored == "争议金额 ≥ 1,000 元；当事人 3 方以上；同一当事人或地址 180 日内有案；纠纷类型：婚姻家庭"
    read = read_reasons(stored)
    assert [r.source for r in read] == list(result.reasons)
    assert read[-1].msgid == CATEGORY.msgid and read[-1].params == {"category": "婚姻家庭"}
    assert [r.source for r in read_reasons("一般邻里小纠纷")] == ["一般邻里小纠纷"]
    assert [r.msgid for r in read_reasons("不知从何而来；")] == ["不知从何而来"]  # kept as it is
    assert read_reasons("") == []
