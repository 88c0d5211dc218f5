"""One vocabulary: categories and sources in vocabulary_term; the policy's category rules by id

The lists are seeded from the policy file in force (TIAOJIE_POLICY_FILE, else the default file): an
administered category list (the old ``category`` table) is kept as it was, in its order; a name that
cases were filed with but no list holds becomes an inactive entry, so the admin pages and the report
show it. The stored policy's category rules (names) become ids; a name that no category has any more
(a rule left behind by a rename) is dropped and recorded in the admin log.

"""
import json
import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'

RULES = ('major_categories', 'general_categories')
DEFAULT_FILE = Path(__file__).resolve().parents[2] / 'workflow' / 'default_policy.toml'

term = sa.table(
    'vocabulary_term',
    sa.column('id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('name', sa.String),
    sa.column('active', sa.Boolean),
    sa.column('position', sa.Integer),
)
setting = sa.table('setting', sa.column('key', sa.String), sa.column('value', sa.JSON))
admin_event = sa.table(
    'admin_event',
    sa.column('action', sa.String),
    sa.column('target', sa.String),
    sa.column('reason', sa.String),
    sa.column('data', sa.JSON),
    sa.column('at', sa.DateTime(timezone=True)),
)


def _policy_file() -> dict:
    """The policy file's lists and rules, by name (this migration's own reading: it must not change)."""
    path = os.environ.get('TIAOJIE_POLICY_FILE') or DEFAULT_FILE
    with open(path, 'rb') as fh:
        raw = tomllib.load(fh)
    lists = raw.get('categories', {})
    triage = raw.get('triage', {})
    return {
        'category': list(lists.get('all', [])),
        'source': list(lists.get('sources', [])),
        **{key: list(triage.get(key, [])) for key in RULES},
    }


def _json(value: object) -> dict:
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value or {})


def upgrade() -> None:
    op.create_table(
        'vocabulary_term',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('category', 'source')", name='ck_vocabulary_term_kind'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'name', name='uq_vocabulary_term_kind_name'),
    )
    conn = op.get_bind()
    seeds = _policy_file()
    administered = conn.execute(
        sa.text('SELECT name, active FROM category ORDER BY position, id')
    ).all()
    lists = {
        'category': [(n, bool(a)) for n, a in administered] or [(n, True) for n in seeds['category']],
        'source': [(n, True) for n in seeds['source']],
    }
    rows = []
    for kind, column in (('category', 'category'), ('source', 'source')):
        names = [n for n, _a in lists[kind]]
        filed = conn.execute(sa.text(f'SELECT DISTINCT {column} FROM "case"')).scalars().all()
        lists[kind] += [(n, False) for n in sorted(set(filed) - set(names)) if n]
        rows += [
            {'kind': kind, 'name': n, 'active': a, 'position': i}
            for i, (n, a) in enumerate(lists[kind], start=1)
        ]
    if rows:
        op.bulk_insert(term, rows)
    op.drop_table('category')

    ids = dict(conn.execute(sa.text("SELECT name, id FROM vocabulary_term WHERE kind = 'category'")).all())
    stored = conn.execute(sa.select(setting.c.value).where(setting.c.key == 'policy')).scalar()
    value = _json(stored)
    dropped = {}
    for key in RULES:
        names = value.get(key, seeds[key])
        value[key] = sorted(ids[n] for n in names if n in ids)
        missing = [n for n in names if n not in ids]
        if missing:
            dropped[key] = missing
    value.pop('categories', None)
    value.pop('sources', None)
    if stored is None:
        op.bulk_insert(setting, [{'key': 'policy', 'value': value}])
    else:
        conn.execute(setting.update().where(setting.c.key == 'policy').values(value=value))
    if dropped:
        conn.execute(
            admin_event.insert().values(
                action='migrate_vocabulary',
                target='policy',
                reason='分级规则中这些纠纷类型名称已不存在（改名后遗留），已移除',
                data=dropped,
                at=datetime.now(UTC),
            )
        )


def downgrade() -> None:
    conn = op.get_bind()
    names = dict(conn.execute(sa.text("SELECT id, name FROM vocabulary_term WHERE kind = 'category'")).all())
    stored = conn.execute(sa.select(setting.c.value).where(setting.c.key == 'policy')).scalar()
    if stored is not None:
        value = _json(stored)
        for key in RULES:
            if key in value:
                value[key] = sorted(names[i] for i in value[key] if i in names)
        conn.execute(setting.update().where(setting.c.key == 'policy').values(value=value))
    op.create_table(
        'category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    conn.execute(
        sa.text(
            "INSERT INTO category (name, active, position) SELECT name, active, position "
            "FROM vocabulary_term WHERE kind = 'category' ORDER BY position, id"
        )
    )
    op.drop_table('vocabulary_term')
