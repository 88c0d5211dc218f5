"""the old ledger brought in: uploads, remembered mappings, import runs, imported rows, the imported
number series; a case number is unique in its community

"""

import sqlalchemy as sa
from alembic import op


revision: str = "0012"
down_revision: str | None = "0011"


def upgrade() -> None:
    op.create_table(
        "ledger_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community_id", "sha256", name="uq_ledger_upload_content"),
    )
    op.create_index("ix_ledger_upload_community_id", "ledger_upload", ["community_id"])
    op.create_table(
        "ledger_mapping",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("community_id"),
    )
    op.create_table(
        "ledger_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["upload_id"], ["ledger_upload.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_import_upload_id", "ledger_import", ["upload_id"])
    op.create_table(
        "ledger_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["ledger_import.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community_id", "key", name="uq_ledger_row_key"),
    )
    op.create_index("ix_ledger_row_case", "ledger_row", ["case_id"])
    op.create_table(
        "imported_number_counter",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.PrimaryKeyConstraint("community_id", "year"),
    )
    # An index, not a table constraint: SQLite adds it without copying the case table.
    op.create_index("uq_case_community_number", "case", ["community_id", "number"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_case_community_number", table_name="case")
    op.drop_table("imported_number_counter")
    op.drop_index("ix_ledger_row_case", table_name="ledger_row")
    op.drop_table("ledger_row")
    op.drop_index("ix_ledger_import_upload_id", table_name="ledger_import")
    op.drop_table("ledger_import")
    op.drop_table("ledger_mapping")
    op.drop_index("ix_ledger_upload_community_id", table_name="ledger_upload")
    op.drop_table("ledger_upload")
