"""case tally (counts per state), the community/id index of the case list, a covering event index"""
import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'


def upgrade() -> None:
    op.create_table(
        'case_tally',
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('tier', sa.String(length=10), nullable=False),
        sa.Column('severity', sa.String(length=10), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.PrimaryKeyConstraint('community_id', 'state', 'category', 'tier', 'severity'),
    )
    op.execute(
        "INSERT INTO case_tally (community_id, state, category, tier, severity, n) "
        "SELECT community_id, state, category, COALESCE(tier, ''), COALESCE(severity, severity_computed), "
        'COUNT(*) FROM "case" '
        "GROUP BY community_id, state, category, COALESCE(tier, ''), COALESCE(severity, severity_computed)"
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_community_id', ['community_id', 'id'], unique=False)
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_trigger_at')
        batch_op.create_index(
            'ix_event_trigger_at_cover', ['trigger', 'at', 'community_id', 'to_state', 'case_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_trigger_at_cover')
        batch_op.create_index('ix_event_trigger_at', ['trigger', 'at'], unique=False)
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_community_id')
    op.drop_table('case_tally')
