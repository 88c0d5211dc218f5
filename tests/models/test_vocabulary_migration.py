"""Migration 0013 moves existing data into the one vocabulary, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from services.db import make_engine
from services.schema import upgrade
from services.vocabulary import active_categories, active_sources
from tests.factories import bj

CASE_SQL = (
    'INSERT INTO "case" (community_id, category, source, facts, people_involved, parties_count, injury, '
    "risk_level, severity_computed, triage_reasons, severity_overridden, state, rights_notified, "
    "refusal_recorded, mediation_started, extensions, escalations, registered_at, updated_at, version, "
    "place_xiaoqu, place_building) "
    "VALUES (1, :category, :source, '', 2, 2, false, 'none', 'minor', '', false, 'registered', false, "
    "false, false, 0, 0, :at, :at, 1, '', '')"
)


def _before_0013(url: str) -> None:
    """A database as a site had it before the vocabulary: an administered category list, a policy that
    names categories (one of them renamed away since), cases filed with names no list holds."""
    upgrade(url, "0012")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO community (id, name, short_name, street) VALUES (1, '幸福社区', '幸福', '')")
        )
        conn.execute(
            text("INSERT INTO category (name, active, position) VALUES (:n, :a, :p)"),
            [
                {"n": "邻里", "a": True, "p": 2},
                {"n": "医疗纠纷", "a": True, "p": 1},
                {"n": "宠物", "a": False, "p": 3},
            ],
        )
        policy = {"repeat_days": 90, "general_categories": ["医疗纠纷", "医疗"], "categories": ["x"]}
        conn.execute(
            text("INSERT INTO setting (key, value) VALUES ('policy', :v)"), {"v": json.dumps(policy)}
        )
        for category, source in [("邻里", "当事人申请"), ("旧类型", "来电")]:
            conn.execute(text(CASE_SQL), {"category": category, "source": source, "at": bj(2026, 1, 5)})
    engine.dispose()


def test_0013_keeps_the_administered_list_and_turns_the_rules_into_ids(empty_db_url: str) -> None:
    from sqlmodel import Session

    _before_0013(empty_db_url)
    upgrade(empty_db_url, "0013")
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        terms = conn.execute(
            text("SELECT id, kind, name, active FROM vocabulary_term ORDER BY kind, position, id")
        ).all()
        value = conn.execute(text("SELECT value FROM setting WHERE key = 'policy'")).scalar_one()
        logged = conn.execute(text("SELECT action, data FROM admin_event")).all()
    policy = json.loads(value) if isinstance(value, str) else value
    categories = [(name, active) for _i, kind, name, active in terms if kind == "category"]
    assert categories == [("医疗纠纷", True), ("邻里", True), ("宠物", False), ("旧类型", False)]
    sources = [(name, active) for _i, kind, name, active in terms if kind == "source"]
    assert sources == [("当事人申请", True), ("主动调解", True), ("委托移送", True), ("来电", False)]
    ids = {name: i for i, kind, name, _a in terms if kind == "category"}
    assert policy == {"repeat_days": 90, "general_categories": [ids["医疗纠纷"]], "major_categories": []}
    assert [(a, json.loads(d) if isinstance(d, str) else d) for a, d in logged] == [
        ("migrate_vocabulary", {"general_categories": ["医疗"]})
    ]
    with Session(engine) as session:
        assert active_categories(session) == ["医疗纠纷", "邻里"]
    engine.dispose()

    upgrade(empty_db_url, "head")
    from alembic import command

    from services.schema import alembic_config

    command.downgrade(alembic_config(empty_db_url), "0012")
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        back = conn.execute(text("SELECT name, active FROM category ORDER BY position, id")).all()
        value = conn.execute(text("SELECT value FROM setting WHERE key = 'policy'")).scalar_one()
    engine.dispose()
    assert [tuple(r) for r in back][:3] == [("医疗纠纷", True), ("邻里", True), ("宠物", False)]
    policy = json.loads(value) if isinstance(value, str) else value
    assert policy["general_categories"] == ["医疗纠纷"]


def test_a_sites_own_policy_file_seeds_its_lists(
    empty_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlmodel import Session

    path = tmp_path / "site.toml"
    site = '[triage]\ngeneral_categories = ["家事"]\n[categories]\nall = ["家事", "邻里"]\n'
    path.write_text(site + 'sources = ["来电", "来访"]\n', encoding="utf-8")
    monkeypatch.setenv("TIAOJIE_POLICY_FILE", str(path))
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    with Session(engine) as session:
        assert (active_categories(session), active_sources(session)) == (["家事", "邻里"], ["来电", "来访"])
        from services.policy import current_policy

        assert len(current_policy(session).general_categories) == 1
    engine.dispose()
