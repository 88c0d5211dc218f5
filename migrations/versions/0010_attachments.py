"""attachment and attachment_download; case.file_incomplete (ended with a required signed paper missing)"""
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0007'


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('thumbnail', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('id_numbers', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_case', ['case_id', 'id'], unique=False)
        batch_op.create_index('ix_attachment_sha256', ['sha256'], unique=False)

    op.create_table('attachment_download',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachment_download', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_download_attachment', ['attachment_id', 'id'], unique=False)

    # A plain default ('0', not an expression), so SQLite adds the column in place instead of copying
    # the whole table (which would also trip over the rows that refer to it).
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_incomplete', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_index('ix_case_file_incomplete', ['file_incomplete', 'community_id', 'state'], unique=False)
    # No case has attachments yet: under the default policy (workflow/default_policy.toml [file]) every
    # terminated case and every case closed after a written agreement lacks its signed paper. Another
    # policy in force is applied to a case as papers are attached to it.
    op.execute(sa.text(
        'UPDATE "case" SET file_incomplete = true WHERE state = \'terminated\' OR (state = \'closed\' AND '
        '(SELECT a.kind FROM agreement a WHERE a.case_id = "case".id ORDER BY a.id DESC LIMIT 1) = \'written\')'
    ))



def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_incomplete')
        batch_op.drop_column('file_incomplete')

    with op.batch_alter_table('attachment_download', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_download_attachment')

    op.drop_table('attachment_download')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_sha256')
        batch_op.drop_index('ix_attachment_case')

    op.drop_table('attachment')
