"""The sandbox of one server: its clock, faults and request log, and reset and seed.

``attach(server)`` installs the sandbox on a server (once): the clock becomes ``server.clock``,
the fault injector a ``before_dispatch`` hook, the request log an ``after_answer`` hook. The
control plane routes, the in-process server and the pytest plugin all drive this one object.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, text
from sqlalchemy.engine import Connection

from planfix_server.pipeline.usage import UsageRecorder
from planfix_server.sandbox.clock import SandboxClock
from planfix_server.sandbox.faults import FaultInjector
from planfix_server.sandbox.fixtures import Fixture, read_fixture, seed
from planfix_server.sandbox.request_log import RequestLog
from planfix_server.store import accounts
from planfix_server.store.db import WRITE, is_sqlite
from planfix_server.store.tables import SEQUENCES, TENANT_TABLES, metadata
from planfix_server.store.tables import accounts as accounts_table

if TYPE_CHECKING:
    from planfix_server.app import Server

_ATTRIBUTE = "_planfix_sandbox"


class UnknownAccount(LookupError):
    """Reset of an account that does not exist."""


class Sandbox:
    """The test knobs of one server."""

    def __init__(self, server: Server) -> None:
        self.server = server
        # Wrap whatever clock the server had, so a test's own fake clock still drives it.
        self.clock = SandboxClock(server.clock)
        self.faults = FaultInjector()
        self.requests = RequestLog()

    def reset(self, account: str | None = None) -> None:
        """Delete all data (ids start again from 1), or one account with all its data.

        Either way the limiter's counters are cleared. A full reset also clears every fault, the
        request log and the clock (back to real time); an account's reset clears the faults scoped
        to that account and its entries in the request log.
        """
        server = self.server
        with server.engine.connect() as connection:
            connection.info[WRITE] = True
            if account is None:
                wipe_all(connection)
            else:
                found = accounts.find(connection, account)
                if found is None:
                    raise UnknownAccount(account)
                # Pending usage counts go to the database first, so none is left for a deleted id.
                server.usage.flush(connection, server.clock())
                wipe_account(connection, found.id)
            connection.commit()
        if account is None:
            # Ids start again, so counts kept for an old account id must not reach a new one.
            server.usage = UsageRecorder()
            server.definitions.clear()
            self.faults.clear()
            self.requests.clear()
            self.clock.reset()
        else:
            self.faults.clear(account=account)
            self.requests.clear(account=account)
        server.limiter.reset()

    def seed(self, fixture: Fixture | Mapping[str, Any] | str | bytes | Path) -> dict[str, Any]:
        """Load a fixture (a mapping, a file path, or JSON/YAML text) in one transaction."""
        if isinstance(fixture, Path):
            fixture = read_fixture(fixture)
        return seed(
            self.server.engine,
            fixture,
            passwords=self.server.passwords,
            now=self.server.clock(),
            data_centre=self.server.settings.data_centre,
        )


def attach(server: Server) -> Sandbox:
    """The sandbox of ``server``, installed on first use."""
    found = getattr(server, _ATTRIBUTE, None)
    if isinstance(found, Sandbox):
        return found
    sandbox = Sandbox(server)
    server.clock = sandbox.clock
    server.before_dispatch.append(sandbox.faults)
    server.after_answer.append(sandbox.requests)
    # Kept on the server itself, so the sandbox lives and dies with it.
    setattr(server, _ATTRIBUTE, sandbox)
    return sandbox


def wipe_all(connection: Connection) -> None:
    """Empty every table but the schema version, and restart the identifiers."""
    if is_sqlite(connection):
        # Children first; ``accounts`` and the counters restart from 1 once empty.
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
        return
    names = ", ".join(table.name for table in metadata.sorted_tables)
    connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    for sequence in SEQUENCES.values():
        connection.execute(text(f"ALTER SEQUENCE {sequence.name} RESTART WITH 1"))


def wipe_account(connection: Connection, account_id: int) -> None:
    """Delete one account and every row of it, children first."""
    for table in reversed(TENANT_TABLES):
        connection.execute(delete(table).where(table.c.account_id == account_id))
    connection.execute(delete(accounts_table).where(accounts_table.c.id == account_id))
