"""accounts.definitions_tag: a fresh random tag whenever an account's statuses, processes or
custom fields change.

Workers keep these definitions between requests, keyed by (account, tag), and read the tag with
the credentials of each request; database triggers change it, so no writer (a function, the CLI,
a fixture, another worker, a hand-written statement) can leave a worker with stale definitions.
New accounts get a random tag too, so an account id used again (after a sandbox reset) never
meets definitions kept for the old one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:05:00
"""

# The statements are put together from this module's own constants only.
# ruff: noqa: S608

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The tables whose rows make up an account's definitions.
DEFINITION_TABLES = (
    "status_sets",
    "task_statuses",
    "status_set_members",
    "status_transitions",
    "custom_fields",
)
_EVENTS = ("insert", "update", "delete")

_SQLITE_TAG = "lower(hex(randomblob(16)))"
_PG_TAG = "md5(random()::text || clock_timestamp()::text)"


def _sqlite_statements() -> list[str]:
    statements = [
        f"""CREATE TRIGGER accounts_definitions_tag AFTER INSERT ON accounts BEGIN
        UPDATE accounts SET definitions_tag = {_SQLITE_TAG} WHERE id = NEW.id;
        END""",
    ]
    for table in DEFINITION_TABLES:
        for event in _EVENTS:
            row = "OLD" if event == "delete" else "NEW"
            statements.append(
                f"""CREATE TRIGGER {table}_retag_{event} AFTER {event.upper()} ON {table} BEGIN
                UPDATE accounts SET definitions_tag = {_SQLITE_TAG} WHERE id = {row}.account_id;
                END"""
            )
    return statements


def _pg_statements() -> list[str]:
    # One statement, one tag per account it touched (a bulk load of statuses is one update).
    statements = [
        f"""CREATE FUNCTION accounts_definitions_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.definitions_tag := {_PG_TAG};
            RETURN NEW;
        END $$""",
        """CREATE TRIGGER accounts_definitions_tag BEFORE INSERT ON accounts
        FOR EACH ROW EXECUTE FUNCTION accounts_definitions_tag()""",
        *(
            f"""CREATE FUNCTION definitions_retag_{rows}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE accounts SET definitions_tag = {_PG_TAG}
            WHERE id IN (SELECT DISTINCT account_id FROM {rows});
            RETURN NULL;
        END $$"""
            for rows in ("added", "removed")
        ),
    ]
    for table in DEFINITION_TABLES:
        for event in _EVENTS:
            # A transition table serves one event only; an update keeps its account, so NEW will do.
            transition, function = (
                ("OLD TABLE AS removed", "definitions_retag_removed")
                if event == "delete"
                else ("NEW TABLE AS added", "definitions_retag_added")
            )
            statements.append(
                f"""CREATE TRIGGER {table}_retag_{event} AFTER {event.upper()} ON {table}
                REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"""
            )
    return statements


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "accounts", sa.Column("definitions_tag", sa.String(length=32), server_default="", nullable=False)
    )
    op.execute(f"UPDATE accounts SET definitions_tag = {_SQLITE_TAG if sqlite else _PG_TAG}")
    for statement in _sqlite_statements() if sqlite else _pg_statements():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in DEFINITION_TABLES:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_retag_{event}" + ("" if sqlite else f" ON {table}"))
    op.execute("DROP TRIGGER IF EXISTS accounts_definitions_tag" + ("" if sqlite else " ON accounts"))
    if not sqlite:
        for function in ("accounts_definitions_tag", "definitions_retag_added", "definitions_retag_removed"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    # Not a batch rebuild: on SQLite that drops and re-creates ``accounts``, and its cascades.
    op.execute("ALTER TABLE accounts DROP COLUMN definitions_tag")
