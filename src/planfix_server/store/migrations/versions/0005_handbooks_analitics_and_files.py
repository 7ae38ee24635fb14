"""Handbooks and their records, analitics and their data rows, files and their versions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:20:01.975896
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID_TABLES = (
    "handbook_groups",
    "handbooks",
    "handbook_fields",
    "handbook_records",
    "analitic_groups",
    "analitics",
    "analitic_fields",
    "analitic_data",
    "files",
    "file_versions",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ID_TABLES:
            op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    op.create_table(
        "analitic_groups",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_analitic_groups_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_analitic_groups")),
    )
    op.create_table(
        "handbook_groups",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_handbook_groups_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_handbook_groups")),
    )
    op.create_table(
        "analitics",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "group_id"],
            ["analitic_groups.account_id", "analitic_groups.id"],
            name=op.f("fk_analitics_account_id_group_id_analitic_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_analitics_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_analitics")),
    )
    op.create_table(
        "handbooks",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "group_id"],
            ["handbook_groups.account_id", "handbook_groups.id"],
            name=op.f("fk_handbooks_account_id_group_id_handbook_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_handbooks_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_handbooks")),
    )
    op.create_table(
        "analitic_fields",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("analitic_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("num", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("options", sa.Text(), nullable=True),
        sa.Column("handbook_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "analitic_id"],
            ["analitics.account_id", "analitics.id"],
            name=op.f("fk_analitic_fields_account_id_analitic_id_analitics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_analitic_fields")),
    )
    with op.batch_alter_table("analitic_fields", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analitic_fields_account_id_analitic_id_num"),
            ["account_id", "analitic_id", "num"],
            unique=False,
        )

    op.create_table(
        "handbook_fields",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("handbook_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("num", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("options", sa.Text(), nullable=True),
        sa.Column("target_handbook_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_displayed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "handbook_id"],
            ["handbooks.account_id", "handbooks.id"],
            name=op.f("fk_handbook_fields_account_id_handbook_id_handbooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_handbook_fields")),
    )
    with op.batch_alter_table("handbook_fields", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handbook_fields_account_id_handbook_id_num"),
            ["account_id", "handbook_id", "num"],
            unique=False,
        )

    op.create_table(
        "handbook_records",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("handbook_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("parent_key", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_group", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("name", sa.String(length=500), server_default="", nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "handbook_id"],
            ["handbooks.account_id", "handbooks.id"],
            name=op.f("fk_handbook_records_account_id_handbook_id_handbooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_handbook_records")),
    )
    with op.batch_alter_table("handbook_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handbook_records_account_id_handbook_id_parent_key_id"),
            ["account_id", "handbook_id", "parent_key", "id"],
            unique=False,
        )

    op.create_table(
        "handbook_values",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "field_id"],
            ["handbook_fields.account_id", "handbook_fields.id"],
            name=op.f("fk_handbook_values_account_id_field_id_handbook_fields"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "record_id"],
            ["handbook_records.account_id", "handbook_records.id"],
            name=op.f("fk_handbook_values_account_id_record_id_handbook_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "record_id", "field_id", name=op.f("pk_handbook_values")),
    )
    op.create_table(
        "files",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("project_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("field_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "contact_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_files_account_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "owner_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_files_account_id_owner_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "project_id"],
            ["projects.account_id", "projects.id"],
            name=op.f("fk_files_account_id_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "record_id"],
            ["handbook_records.account_id", "handbook_records.id"],
            name=op.f("fk_files_account_id_record_id_handbook_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "task_id"],
            ["tasks.account_id", "tasks.id"],
            name=op.f("fk_files_account_id_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_files")),
    )
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_files_account_id_action_id"), ["account_id", "action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_files_account_id_contact_id_id"), ["account_id", "contact_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_files_account_id_owner_id_id"), ["account_id", "owner_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_files_account_id_project_id_id"), ["account_id", "project_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_files_account_id_record_id_field_id"),
            ["account_id", "record_id", "field_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_files_account_id_task_id_id"), ["account_id", "task_id", "id"], unique=False
        )

    op.create_table(
        "analitic_data",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("analitic_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "action_id"],
            ["actions.account_id", "actions.id"],
            name=op.f("fk_analitic_data_account_id_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "analitic_id"],
            ["analitics.account_id", "analitics.id"],
            name=op.f("fk_analitic_data_account_id_analitic_id_analitics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_analitic_data")),
    )
    with op.batch_alter_table("analitic_data", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analitic_data_account_id_action_id"), ["account_id", "action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analitic_data_account_id_analitic_id_task_id_id"),
            ["account_id", "analitic_id", "task_id", "id"],
            unique=False,
        )

    op.create_table(
        "file_versions",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("file_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "content_type", sa.String(length=200), server_default="application/octet-stream", nullable=False
        ),
        sa.Column("sha256", sa.String(length=64), server_default="", nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "file_id"],
            ["files.account_id", "files.id"],
            name=op.f("fk_file_versions_account_id_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "owner_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_file_versions_account_id_owner_id_users"),
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_file_versions")),
        sa.UniqueConstraint(
            "account_id", "file_id", "version", name=op.f("uq_file_versions_account_id_file_id_version")
        ),
    )
    with op.batch_alter_table("file_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_versions_storage_key"), ["storage_key"], unique=False)

    op.create_table(
        "analitic_values",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("data_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "data_id"],
            ["analitic_data.account_id", "analitic_data.id"],
            name=op.f("fk_analitic_values_account_id_data_id_analitic_data"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "field_id"],
            ["analitic_fields.account_id", "analitic_fields.id"],
            name=op.f("fk_analitic_values_account_id_field_id_analitic_fields"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "data_id", "field_id", name=op.f("pk_analitic_values")),
    )
    op.create_table(
        "analitic_value_refs",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("data_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "data_id", "field_id"],
            ["analitic_values.account_id", "analitic_values.data_id", "analitic_values.field_id"],
            name=op.f("fk_analitic_value_refs_account_id_data_id_field_id_analitic_values"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "data_id", "field_id", "ref_id", name=op.f("pk_analitic_value_refs")
        ),
    )
    with op.batch_alter_table("analitic_value_refs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analitic_value_refs_account_id_field_id_ref_id"),
            ["account_id", "field_id", "ref_id"],
            unique=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ID_TABLES:
            op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
    with op.batch_alter_table("analitic_value_refs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analitic_value_refs_account_id_field_id_ref_id"))

    op.drop_table("analitic_value_refs")
    op.drop_table("analitic_values")
    with op.batch_alter_table("file_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_versions_storage_key"))

    op.drop_table("file_versions")
    with op.batch_alter_table("analitic_data", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analitic_data_account_id_analitic_id_task_id_id"))
        batch_op.drop_index(batch_op.f("ix_analitic_data_account_id_action_id"))

    op.drop_table("analitic_data")
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_files_account_id_task_id_id"))
        batch_op.drop_index(batch_op.f("ix_files_account_id_record_id_field_id"))
        batch_op.drop_index(batch_op.f("ix_files_account_id_project_id_id"))
        batch_op.drop_index(batch_op.f("ix_files_account_id_owner_id_id"))
        batch_op.drop_index(batch_op.f("ix_files_account_id_contact_id_id"))
        batch_op.drop_index(batch_op.f("ix_files_account_id_action_id"))

    op.drop_table("files")
    op.drop_table("handbook_values")
    with op.batch_alter_table("handbook_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handbook_records_account_id_handbook_id_parent_key_id"))

    op.drop_table("handbook_records")
    with op.batch_alter_table("handbook_fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handbook_fields_account_id_handbook_id_num"))

    op.drop_table("handbook_fields")
    with op.batch_alter_table("analitic_fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analitic_fields_account_id_analitic_id_num"))

    op.drop_table("analitic_fields")
    op.drop_table("handbooks")
    op.drop_table("analitics")
    op.drop_table("handbook_groups")
    op.drop_table("analitic_groups")
