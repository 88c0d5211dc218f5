"""API clients and their intakes; user.kind; CHECK constraints on the case's enumerated columns; a new
case's source must be a source of the vocabulary; case_event (community_id, id) for the change feed

"""
import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'

# The values as they stand at this revision (a migration must not follow later changes of the enums).
CHECKS = {
    'ck_case_state': "state IN ('registered', 'not_accepted', 'accepted', 'assigned', 'mediating', "
    "'agreed', 'defaulted', 'closed', 'terminated', 'withdrawn')",
    'ck_case_severity_computed': "severity_computed IN ('minor', 'general', 'major')",
    'ck_case_severity': "severity IS NULL OR severity IN ('minor', 'general', 'major')",
    'ck_case_tier': "tier IS NULL OR tier IN ('volunteer', 'mediator', 'judge')",
    'ck_case_risk_level': "risk_level IN ('none', 'yellow', 'orange', 'red')",
}
TRIGGER = 'case_source_in_vocabulary'
SQLITE_TRIGGER = f"""
CREATE TRIGGER {TRIGGER} BEFORE INSERT ON "case"
WHEN NOT EXISTS (SELECT 1 FROM vocabulary_term WHERE kind = 'source' AND name = NEW.source)
BEGIN SELECT RAISE(ABORT, 'case.source is not a source of the vocabulary'); END
"""
PG_FUNCTION = f"""
CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM vocabulary_term WHERE kind = 'source' AND name = NEW.source) THEN
    RAISE EXCEPTION 'case.source % is not a source of the vocabulary', NEW.source
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$
"""
PG_TRIGGER = (
    f'CREATE TRIGGER {TRIGGER} BEFORE INSERT ON "case" FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()'
)


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=12), server_default='person', nullable=False)
        )
        batch_op.create_check_constraint('ck_user_kind', "kind IN ('person', 'api_client')")
    op.create_table(
        'api_client',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token_hint', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('window_count', sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('read', 'write')", name='ck_api_client_scope'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
        sa.UniqueConstraint('token_hash'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'api_intake',
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('external_ref', sa.String(length=100), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['client_id'], ['api_client.id']),
        sa.PrimaryKeyConstraint('client_id', 'external_ref'),
    )
    with op.batch_alter_table('api_intake', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_intake_case_id'), ['case_id'], unique=False)
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(name, condition)
    # After the batch above: on SQLite it rebuilds the table, which would drop a trigger made before.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(SQLITE_TRIGGER)
    else:
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_event_community_id', ['community_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_community_id')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'DROP TRIGGER IF EXISTS {TRIGGER}')
    else:
        op.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "case"')
        op.execute(f'DROP FUNCTION IF EXISTS {TRIGGER}()')
    with op.batch_alter_table('case', schema=None) as batch_op:
        for name in CHECKS:
            batch_op.drop_constraint(name, type_='check')
    with op.batch_alter_table('api_intake', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_intake_case_id'))
    op.drop_table('api_intake')
    op.drop_table('api_client')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('ck_user_kind', type_='check')
        batch_op.drop_column('kind')
