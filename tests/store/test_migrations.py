"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from planfix_server.store.db import make_engine
from planfix_server.store.migrate import alembic_config, current, upgrade
from planfix_server.store.tables import metadata


def test_migrated_schema_matches_the_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)  # already at head: a no-op that must not fail
        assert current(engine) is not None
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_upgrade_from_empty_sqlite(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/fresh.sqlite3")
    try:
        assert current(engine) is None
        upgrade(engine)
        assert current(engine) == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    finally:
        engine.dispose()


def test_upgrade_in_place_keeps_the_rows_of_earlier_revisions(tmp_path: object) -> None:
    """A database at 0003 with users, tasks and actions keeps every row through the later revisions."""
    import datetime as dt

    from sqlalchemy import insert, select, text

    from planfix_server.store.db import WRITE
    from planfix_server.store.tables import accounts, actions, tasks, users

    engine = make_engine(f"sqlite:///{tmp_path}/old.sqlite3")
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    try:
        upgrade(engine, "0003")
        with engine.connect() as connection:
            connection.info[WRITE] = True
            connection.execute(
                insert(accounts).values(id=1, name="old", plan="premium", data_centre="ru", created_at=moment)
            )
            connection.execute(
                insert(users).values(
                    account_id=1,
                    id=1,
                    general=1,
                    login="owner",
                    role="ADMIN",
                    status="ACTIVE",
                    created_at=moment,
                )
            )
            connection.execute(
                text("INSERT INTO status_sets (account_id, id, name, accept_status_id) VALUES (1, 1, 'p', 2)")
            )
            connection.execute(
                insert(tasks).values(
                    account_id=1,
                    id=1,
                    general=1,
                    title="kept",
                    status_set_id=1,
                    status=2,
                    owner_id=1,
                    created_at=moment,
                    modified_at=moment,
                    last_activity_at=moment,
                )
            )
            # The actions table of 0003 had only these columns.
            connection.execute(
                text(
                    "INSERT INTO actions (account_id, id, type, owner_id, description, created_at)"
                    " VALUES (1, 1, 'ACTION', 1, 'old comment', '2026-01-01 00:00:00')"
                )
            )
            connection.commit()
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(select(tasks.c.title)).scalars().all() == ["kept"]
            kept = connection.execute(
                select(actions.c.description, actions.c.task_id, actions.c.is_hidden)
            ).one()
            assert tuple(kept) == ("old comment", None, False)
            assert connection.execute(select(users.c.login)).scalars().all() == ["owner"]
    finally:
        engine.dispose()
