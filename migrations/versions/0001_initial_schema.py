"""initial schema"""
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None


def upgrade() -> None:

    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('community',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('short_name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('street', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('short_name')
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_street'), ['street'], unique=False)

    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_username'), ['username'], unique=False)

    op.create_table('setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('roles', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('admin_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('admin_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_event_at'), ['at'], unique=False)

    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('number_year', sa.Integer(), nullable=True),
    sa.Column('number_seq', sa.Integer(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('claimed_amount', sa.BigInteger(), nullable=True),
    sa.Column('people_involved', sa.Integer(), nullable=False),
    sa.Column('parties_count', sa.Integer(), nullable=False),
    sa.Column('injury', sa.Boolean(), nullable=False),
    sa.Column('place_xiaoqu', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('place_building', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('risk_level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reported_to', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('severity_computed', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('triage_reasons', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('severity_overridden', sa.Boolean(), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('rights_notified', sa.Boolean(), nullable=False),
    sa.Column('refusal_recorded', sa.Boolean(), nullable=False),
    sa.Column('mediation_started', sa.Boolean(), nullable=False),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'number_year', 'number_seq', name='uq_case_number')
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_accepted', ['accepted_at'], unique=False)
        batch_op.create_index('ix_case_assignee_state', ['assignee_id', 'state'], unique=False)
        batch_op.create_index('ix_case_community_accepted', ['community_id', 'accepted_at'], unique=False)
        batch_op.create_index('ix_case_community_category', ['community_id', 'category'], unique=False)
        batch_op.create_index('ix_case_community_state', ['community_id', 'state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_number'), ['number'], unique=False)
        batch_op.create_index('ix_case_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('case_counter',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('community_id', 'year')
    )
    op.create_table('user_community',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'community_id')
    )
    with op.batch_alter_table('user_community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_community_community_id'), ['community_id'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('performance', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('performance_due', sa.Date(), nullable=True),
    sa.Column('follow_up_due', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_agreement_community_effective', ['community_id', 'effective_on'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('from_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('to_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_event_case', ['case_id', 'id'], unique=False)
        batch_op.create_index('ix_event_community_at', ['community_id', 'at'], unique=False)
        batch_op.create_index('ix_event_to_state_at', ['to_state', 'at'], unique=False)
        batch_op.create_index('ix_event_trigger_at', ['trigger', 'at'], unique=False)

    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('id_number', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('address_xiaoqu', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('address_building', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('address_room', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index('ix_party_address', ['address_xiaoqu', 'address_building', 'address_room'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_phone'), ['phone'], unique=False)

    op.create_table('session_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_record_case_id'), ['case_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('performed', sa.Boolean(), nullable=False),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_case_id'), ['case_id'], unique=False)

    op.create_table('judicial_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('court', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judicial_confirmation_case_id'), ['case_id'], unique=False)



def downgrade() -> None:

    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judicial_confirmation_case_id'))

    op.drop_table('judicial_confirmation')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_case_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_record_case_id'))

    op.drop_table('session_record')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_phone'))
        batch_op.drop_index(batch_op.f('ix_party_name'))
        batch_op.drop_index(batch_op.f('ix_party_id_number'))
        batch_op.drop_index(batch_op.f('ix_party_case_id'))
        batch_op.drop_index('ix_party_address')

    op.drop_table('party')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_trigger_at')
        batch_op.drop_index('ix_event_to_state_at')
        batch_op.drop_index('ix_event_community_at')
        batch_op.drop_index('ix_event_case')

    op.drop_table('case_event')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_community_effective')
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('user_community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_community_community_id'))

    op.drop_table('user_community')
    op.drop_table('case_counter')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_state_deadline')
        batch_op.drop_index(batch_op.f('ix_case_number'))
        batch_op.drop_index('ix_case_community_state')
        batch_op.drop_index('ix_case_community_category')
        batch_op.drop_index('ix_case_community_accepted')
        batch_op.drop_index('ix_case_assignee_state')
        batch_op.drop_index('ix_case_accepted')

    op.drop_table('case')
    with op.batch_alter_table('admin_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_event_at'))

    op.drop_table('admin_event')
    op.drop_table('user')
    op.drop_table('setting')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempt_username'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_address'))

    op.drop_table('login_attempt')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_street'))

    op.drop_table('community')
    op.drop_table('category')
