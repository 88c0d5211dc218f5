"""user.session_version (ending every session of a user); login_attempt keeps failures only"""
import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.execute(sa.text('DELETE FROM login_attempt WHERE ok'))
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_column('ok')


def downgrade() -> None:
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ok', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
