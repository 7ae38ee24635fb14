"""Alembic environment: the engine comes from the caller (store.migrate)."""

from __future__ import annotations

from alembic import context

from planfix_server.store.db import WRITE
from planfix_server.store.tables import metadata

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    connection.info[WRITE] = True
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
