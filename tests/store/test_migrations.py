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
