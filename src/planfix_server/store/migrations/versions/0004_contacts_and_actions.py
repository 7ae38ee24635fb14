"""Contacts, contact groups, and the history of tasks and contacts (actions).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:41:26.143451
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID_TABLES = ("contact_groups", "contacts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ID_TABLES:
            op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    op.create_table(
        "contact_groups",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_contact_groups_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_contact_groups")),
    )
    op.create_table(
        "contacts",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("general", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("template_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_template", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_company", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("mid_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("post", sa.String(length=200), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=True),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("sex", sa.String(length=10), server_default="", nullable=False),
        sa.Column("site", sa.String(length=500), server_default="", nullable=False),
        sa.Column("skype", sa.String(length=200), server_default="", nullable=False),
        sa.Column("facebook", sa.String(length=500), server_default="", nullable=False),
        sa.Column("vk", sa.String(length=500), server_default="", nullable=False),
        sa.Column("icq", sa.String(length=50), server_default="", nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("telegram_username", sa.String(length=200), server_default="", nullable=False),
        sa.Column("birthdate", sa.Date(), nullable=True),
        sa.Column("lang", sa.String(length=5), server_default="", nullable=False),
        sa.Column("can_be_worker", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("can_be_client", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("access", sa.String(length=10), server_default="none", nullable=False),
        sa.Column("created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_comment_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "group_id"],
            ["contact_groups.account_id", "contact_groups.id"],
            name=op.f("fk_contacts_account_id_group_id_contact_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "template_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contacts_account_id_template_id_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_contacts_account_id_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_contacts_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("account_id", "email_key", name=op.f("uq_contacts_account_id_email_key")),
        sa.UniqueConstraint("account_id", "general", name=op.f("uq_contacts_account_id_general")),
        sa.UniqueConstraint("account_id", "user_id", name=op.f("uq_contacts_account_id_user_id")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contacts_account_id_is_template_is_company_id"),
            ["account_id", "is_template", "is_company", "id"],
            unique=False,
        )

    op.create_table(
        "contact_contractors",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("company_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "company_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contact_contractors_account_id_company_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "contact_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contact_contractors_account_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "contact_id", "company_id", name=op.f("pk_contact_contractors")
        ),
    )
    with op.batch_alter_table("contact_contractors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_contractors_account_id_company_id"),
            ["account_id", "company_id"],
            unique=False,
        )

    op.create_table(
        "contact_emails",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "contact_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contact_emails_account_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "contact_id", "position", name=op.f("pk_contact_emails")),
    )
    op.create_table(
        "contact_phones",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "contact_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contact_phones_account_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "contact_id", "position", name=op.f("pk_contact_phones")),
    )
    op.create_table(
        "contact_responsibles",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "contact_id"],
            ["contacts.account_id", "contacts.id"],
            name=op.f("fk_contact_responsibles_account_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "contact_id", "kind", "person_id", name=op.f("pk_contact_responsibles")
        ),
    )
    with op.batch_alter_table("contact_responsibles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_responsibles_account_id_kind_person_id"),
            ["account_id", "kind", "person_id"],
            unique=False,
        )

    # The counterparty filters of contact.getList look tasks up by their client.
    op.create_index(op.f("ix_tasks_account_id_client_id"), "tasks", ["account_id", "client_id"], unique=False)
    op.create_index(
        op.f("ix_projects_account_id_owner_id"), "projects", ["account_id", "owner_id"], unique=False
    )
    op.create_table(
        "contact_notifications",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("jabber", sa.String(length=254), server_default="", nullable=False),
        sa.Column("notify_by_email", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notify_by_jabber", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notify_by_planfix", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_contact_notifications_account_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "user_id", name=op.f("pk_contact_notifications")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("contact_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.add_column(sa.Column("is_hidden", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("from_email", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("old_status", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("new_status", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("old_end_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("new_end_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("end_changed", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("old_start_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("new_start_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("start_changed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_actions_contact_history",
            ["account_id", "contact_id", "created_at", "id", "is_hidden", "owner_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_actions_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_actions_task_history",
            ["account_id", "task_id", "created_at", "id", "is_hidden", "owner_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_account_id_contact_id_contacts"),
            "contacts",
            ["account_id", "contact_id"],
            ["account_id", "id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_account_id_task_id_tasks"),
            "tasks",
            ["account_id", "task_id"],
            ["account_id", "id"],
            ondelete="CASCADE",
        )
    op.create_table(
        "action_notified",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "action_id"],
            ["actions.account_id", "actions.id"],
            name=op.f("fk_action_notified_account_id_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_action_notified_account_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "action_id", "user_id", name=op.f("pk_action_notified")),
    )
    op.create_table(
        "action_unread",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "action_id"],
            ["actions.account_id", "actions.id"],
            name=op.f("fk_action_unread_account_id_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_action_unread_account_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "user_id", "action_id", name=op.f("pk_action_unread")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ID_TABLES:
            op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
    op.drop_table("action_unread")
    op.drop_table("contact_notifications")
    op.drop_index(op.f("ix_tasks_account_id_client_id"), table_name="tasks")
    op.drop_index(op.f("ix_projects_account_id_owner_id"), table_name="projects")
    op.drop_table("action_notified")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_actions_account_id_task_id_tasks"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_actions_account_id_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_index("ix_actions_task_history")
        batch_op.drop_index(batch_op.f("ix_actions_account_id_created_at_id"))
        batch_op.drop_index("ix_actions_contact_history")
        batch_op.drop_column("modified_at")
        batch_op.drop_column("start_changed")
        batch_op.drop_column("new_start_at")
        batch_op.drop_column("old_start_at")
        batch_op.drop_column("end_changed")
        batch_op.drop_column("new_end_at")
        batch_op.drop_column("old_end_at")
        batch_op.drop_column("new_status")
        batch_op.drop_column("old_status")
        batch_op.drop_column("from_email")
        batch_op.drop_column("is_hidden")
        batch_op.drop_column("contact_id")
        batch_op.drop_column("task_id")

    with op.batch_alter_table("contact_responsibles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_responsibles_account_id_kind_person_id"))

    op.drop_table("contact_responsibles")
    op.drop_table("contact_phones")
    op.drop_table("contact_emails")
    with op.batch_alter_table("contact_contractors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_contractors_account_id_company_id"))

    op.drop_table("contact_contractors")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_account_id_is_template_is_company_id"))

    op.drop_table("contacts")
    op.drop_table("contact_groups")
