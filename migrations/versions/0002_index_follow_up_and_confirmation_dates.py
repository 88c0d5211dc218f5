"""index follow-up and confirmation dates"""
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'


def upgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_visited_on'), ['visited_on'], unique=False)

    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judicial_confirmation_applied_on'), ['applied_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judicial_confirmation_applied_on'))

    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_visited_on'))

