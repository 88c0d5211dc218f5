"""the work desk's indexes and the agreement's dates on the case, reminders (inbox messages, deliveries,
channel choices) and holiday overrides

"""
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'


def upgrade() -> None:
    # The desk asks for one person's or one community's open cases by deadline: both indexes end in the
    # deadline, so "due within 3 days" and "overdue" are index ranges (the first replaces assignee+state).
    # The newest agreement's effective date and follow-up date are kept on the case too, so that follow-up
    # visits due and confirmation windows closing are index ranges as well.
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_effective_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_due', sa.Date(), nullable=True))
    op.execute(
        'UPDATE "case" SET agreement_effective_on = newest.effective_on, follow_up_due = newest.follow_up_due'
        ' FROM (SELECT a.case_id, a.effective_on, a.follow_up_due FROM agreement a'
        '       WHERE NOT EXISTS (SELECT 1 FROM agreement b WHERE b.case_id = a.case_id AND b.id > a.id)) AS newest'
        ' WHERE newest.case_id = "case".id'
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_assignee_state')
        batch_op.create_index('ix_case_assignee_state_deadline', ['assignee_id', 'state', 'deadline'], unique=False)
        batch_op.create_index('ix_case_community_state_deadline', ['community_id', 'state', 'deadline'], unique=False)
        batch_op.create_index('ix_case_assignee_state_follow_up', ['assignee_id', 'state', 'follow_up_due'], unique=False)
        batch_op.create_index('ix_case_community_state_follow_up', ['community_id', 'state', 'follow_up_due'], unique=False)
        batch_op.create_index('ix_case_assignee_state_effective', ['assignee_id', 'state', 'agreement_effective_on'], unique=False)
    op.create_table('holiday_override',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('inbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'day', name='uq_inbox_message_user_day')
    )
    with op.batch_alter_table('inbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_message_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('reminder_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('by_webhook', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbox_message.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id', 'channel', name='uq_delivery_message_channel')
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_delivery_user_channel', ['user_id', 'channel', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_user_channel')
        batch_op.drop_index('ix_delivery_status')

    op.drop_table('delivery')
    op.drop_table('reminder_preference')
    with op.batch_alter_table('inbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_message_user_read')

    op.drop_table('inbox_message')
    op.drop_table('holiday_override')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_assignee_state_effective')
        batch_op.drop_index('ix_case_community_state_follow_up')
        batch_op.drop_index('ix_case_assignee_state_follow_up')
        batch_op.drop_index('ix_case_community_state_deadline')
        batch_op.drop_index('ix_case_assignee_state_deadline')
        batch_op.create_index('ix_case_assignee_state', ['assignee_id', 'state'], unique=False)
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch would copy the table, which the cases' foreign
    # keys refuse once there are events and agreements.
    op.drop_column('case', 'follow_up_due')
    op.drop_column('case', 'agreement_effective_on')
