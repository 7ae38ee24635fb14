"""Projects, project groups, processes and statuses, custom fields, tasks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 05:38:30.841293
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


ID_TABLES = ("project_groups", "projects", "status_sets", "custom_fields", "tasks")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ID_TABLES:
            op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    op.create_table(
        "custom_fields",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("object_kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("options", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_custom_fields_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_custom_fields")),
    )
    with op.batch_alter_table("custom_fields", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_fields_account_id_object_kind"), ["account_id", "object_kind"], unique=False
        )

    op.create_table(
        "project_groups",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_project_groups_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_project_groups")),
    )
    op.create_table(
        "status_sets",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("accept_status_id", sa.Integer(), nullable=False),
        sa.Column("auto_accept", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_status_sets_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_status_sets")),
    )
    op.create_table(
        "task_statuses",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), server_default="", nullable=False),
        sa.Column("name_en", sa.String(length=200), server_default="", nullable=False),
        sa.Column("color", sa.String(length=20), server_default="", nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("has_deadline", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_task_statuses_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_task_statuses")),
    )
    op.create_table(
        "custom_values",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("object_kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "field_id"],
            ["custom_fields.account_id", "custom_fields.id"],
            name=op.f("fk_custom_values_account_id_field_id_custom_fields"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "object_kind", "object_id", "field_id", name=op.f("pk_custom_values")
        ),
    )
    op.create_table(
        "status_set_members",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("set_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "set_id"],
            ["status_sets.account_id", "status_sets.id"],
            name=op.f("fk_status_set_members_account_id_set_id_status_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "status_id"],
            ["task_statuses.account_id", "task_statuses.id"],
            name=op.f("fk_status_set_members_account_id_status_id_task_statuses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "set_id", "status_id", name=op.f("pk_status_set_members")),
    )
    op.create_table(
        "status_transitions",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("set_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("from_status", sa.Integer(), nullable=False),
        sa.Column("to_status", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "set_id"],
            ["status_sets.account_id", "status_sets.id"],
            name=op.f("fk_status_transitions_account_id_set_id_status_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "set_id", "from_status", "to_status", "actor", name=op.f("pk_status_transitions")
        ),
    )
    op.create_table(
        "projects",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("general", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("template_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_template", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "group_id"],
            ["project_groups.account_id", "project_groups.id"],
            name=op.f("fk_projects_account_id_group_id_project_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "owner_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_projects_account_id_owner_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "parent_id"],
            ["projects.account_id", "projects.id"],
            name=op.f("fk_projects_account_id_parent_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "template_id"],
            ["projects.account_id", "projects.id"],
            name=op.f("fk_projects_account_id_template_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_projects_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_projects")),
        sa.UniqueConstraint("account_id", "general", name=op.f("uq_projects_account_id_general")),
    )
    op.create_table(
        "project_people",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("project_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "project_id"],
            ["projects.account_id", "projects.id"],
            name=op.f("fk_project_people_account_id_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "project_id", "role", "kind", "person_id", name=op.f("pk_project_people")
        ),
    )
    with op.batch_alter_table("project_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_people_account_id_kind_person_id"),
            ["account_id", "kind", "person_id"],
            unique=False,
        )

    op.create_table(
        "tasks",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("general", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=20), server_default="task", nullable=False),
        sa.Column("is_periodic", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("importance", sa.String(length=10), server_default="AVERAGE", nullable=False),
        sa.Column("status_set_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("check_result", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("template_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("project_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_has_time", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_has_time", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("duration_unit", sa.Integer(), server_default="0", nullable=False),
        sa.Column("is_summary", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("additional_description", sa.Text(), server_default="", nullable=False),
        sa.Column("periodicity", sa.Text(), nullable=True),
        sa.Column("delayed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "owner_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_tasks_account_id_owner_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "parent_id"],
            ["tasks.account_id", "tasks.id"],
            name=op.f("fk_tasks_account_id_parent_id_tasks"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "project_id"],
            ["projects.account_id", "projects.id"],
            name=op.f("fk_tasks_account_id_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "status_set_id"],
            ["status_sets.account_id", "status_sets.id"],
            name=op.f("fk_tasks_account_id_status_set_id_status_sets"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "template_id"],
            ["tasks.account_id", "tasks.id"],
            name=op.f("fk_tasks_account_id_template_id_tasks"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_tasks_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("account_id", "general", name=op.f("uq_tasks_account_id_general")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tasks_account_id_owner_id_id"), ["account_id", "owner_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tasks_account_id_parent_id"), ["account_id", "parent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tasks_account_id_project_id_id"), ["account_id", "project_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tasks_account_id_id_type_status_owner_id_general"),
            ["account_id", "id", "type", "status", "owner_id", "general"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_tasks_account_id_type_general_id"),
            ["account_id", "type", "general", "id"],
            unique=False,
        )

    op.create_table(
        "task_people",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "task_id"],
            ["tasks.account_id", "tasks.id"],
            name=op.f("fk_task_people_account_id_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "task_id", "role", "kind", "person_id", name=op.f("pk_task_people")
        ),
    )
    with op.batch_alter_table("task_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_people_account_id_kind_person_id_role_task_id"),
            ["account_id", "kind", "person_id", "role", "task_id"],
            unique=False,
        )

    op.create_table(
        "task_stars",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "task_id"],
            ["tasks.account_id", "tasks.id"],
            name=op.f("fk_task_stars_account_id_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "user_id"],
            ["users.account_id", "users.id"],
            name=op.f("fk_task_stars_account_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "task_id", "user_id", name=op.f("pk_task_stars")),
    )
    op.create_table(
        "task_counts",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("is_periodic", sa.Boolean(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_task_counts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "type", "is_periodic", name=op.f("pk_task_counts")),
    )
    for statement in TASK_COUNT_TRIGGERS[op.get_bind().dialect.name == "sqlite"]:
        op.execute(statement)


# task_counts follows every insert, delete and change of kind of a task, whoever writes it. SQLite
# has row triggers only; PostgreSQL counts a whole statement at once (COPY of a million rows too).
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO task_counts (account_id, type, is_periodic, count)
    VALUES (NEW.account_id, NEW.type, NEW.is_periodic, 1)
    ON CONFLICT (account_id, type, is_periodic) DO UPDATE SET count = count + 1;
    END""",
    """CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN
    UPDATE task_counts SET count = count - 1
    WHERE account_id = OLD.account_id AND type = OLD.type AND is_periodic = OLD.is_periodic;
    END""",
    """CREATE TRIGGER task_counts_update AFTER UPDATE OF type, is_periodic ON tasks
    WHEN OLD.type IS NOT NEW.type OR OLD.is_periodic IS NOT NEW.is_periodic BEGIN
    UPDATE task_counts SET count = count - 1
    WHERE account_id = OLD.account_id AND type = OLD.type AND is_periodic = OLD.is_periodic;
    INSERT INTO task_counts (account_id, type, is_periodic, count)
    VALUES (NEW.account_id, NEW.type, NEW.is_periodic, 1)
    ON CONFLICT (account_id, type, is_periodic) DO UPDATE SET count = count + 1;
    END""",
)
# Each statement's rows are added up by kind: removed -1, added +1; no change, no write.
_PG_TRIGGERS = (
    """CREATE FUNCTION task_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO task_counts (account_id, type, is_periodic, count)
        SELECT account_id, type, is_periodic, count(*) FROM added GROUP BY account_id, type, is_periodic
        ON CONFLICT (account_id, type, is_periodic) DO UPDATE SET count = task_counts.count + EXCLUDED.count;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_insert()""",
    """CREATE FUNCTION task_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE task_counts SET count = task_counts.count - gone.n
        FROM (
            SELECT account_id, type, is_periodic, count(*) AS n FROM removed
            GROUP BY account_id, type, is_periodic
        ) AS gone
        WHERE task_counts.account_id = gone.account_id AND task_counts.type = gone.type
            AND task_counts.is_periodic = gone.is_periodic;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_delete()""",
    """CREATE FUNCTION task_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO task_counts (account_id, type, is_periodic, count)
        SELECT account_id, type, is_periodic, sum(n)
        FROM (
            SELECT account_id, type, is_periodic, -1 AS n FROM removed
            UNION ALL
            SELECT account_id, type, is_periodic, 1 AS n FROM added
        ) AS changes
        GROUP BY account_id, type, is_periodic
        HAVING sum(n) <> 0
        ON CONFLICT (account_id, type, is_periodic) DO UPDATE SET count = task_counts.count + EXCLUDED.count;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_update()""",
)
TASK_COUNT_TRIGGERS = {True: _SQLITE_TRIGGERS, False: _PG_TRIGGERS}


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        for table in ID_TABLES:
            op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS task_counts_{event}" + ("" if sqlite else " ON tasks"))
        if not sqlite:
            op.execute(f"DROP FUNCTION IF EXISTS task_counts_{event}()")
    op.drop_table("task_counts")
    op.drop_table("task_stars")
    with op.batch_alter_table("task_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_people_account_id_kind_person_id_role_task_id"))

    op.drop_table("task_people")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_account_id_type_general_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_account_id_id_type_status_owner_id_general"))
        batch_op.drop_index(batch_op.f("ix_tasks_account_id_project_id_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_account_id_parent_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_account_id_owner_id_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("project_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_people_account_id_kind_person_id"))

    op.drop_table("project_people")
    op.drop_table("projects")
    op.drop_table("status_transitions")
    op.drop_table("status_set_members")
    op.drop_table("custom_values")
    op.drop_table("task_statuses")
    op.drop_table("status_sets")
    op.drop_table("project_groups")
    with op.batch_alter_table("custom_fields", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_fields_account_id_object_kind"))

    op.drop_table("custom_fields")
