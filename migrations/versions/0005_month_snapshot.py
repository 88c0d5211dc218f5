"""closed months' statistics per community (month_snapshot)"""
import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'


def upgrade() -> None:
    op.create_table(
        'month_snapshot',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted', sa.Integer(), nullable=False),
        sa.Column('success', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.PrimaryKeyConstraint('month', 'community_id'),
    )


def downgrade() -> None:
    op.drop_table('month_snapshot')
