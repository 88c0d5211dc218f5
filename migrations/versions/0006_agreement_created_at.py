"""index agreement.created_at (the monthly report counts agreements by the time they were recorded)"""
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'


def upgrade() -> None:
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_created_at')
