"""Set up the state a pipeline test needs, straight in the store (the API cannot make most of it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from planfix_server import security
from planfix_server.app import Server
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.access.service import IssuedKey, issue_key, issue_token
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from planfix_server.store.tables import sessions, users
from planfix_server.store.uow import AccountUnitOfWork
from tests.support import Tenant, now


@contextmanager
def writing(server: Server) -> Iterator[Connection]:
    """A write connection, committed at the end of the block."""
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        yield connection
        connection.commit()


def set_account(server: Server, tenant: Tenant, **fields: str) -> None:
    with writing(server) as connection:
        accounts.set_fields(connection, tenant.account_id, **fields)


def block_key(server: Server, tenant: Tenant) -> None:
    with writing(server) as connection:
        assert AccessRepository(connection, tenant.account_id).set_key_blocked(
            security.digest(tenant.api_key), True
        )


def revoke_token(server: Server, tenant: Tenant, token: str) -> None:
    with writing(server) as connection:
        assert AccessRepository(connection, tenant.account_id).revoke_token(security.digest(token), now())


def set_user_status(server: Server, tenant: Tenant, user_id: int, status: str) -> None:
    with writing(server) as connection:
        connection.execute(
            update(users)
            .where(users.c.account_id == tenant.account_id, users.c.id == user_id)
            .values(status=status)
        )


def new_token(server: Server, tenant: Tenant, user_id: int, methods: list[str] | None = None) -> str:
    with writing(server) as connection:
        return issue_token(AccountUnitOfWork(connection, tenant.account_id), now(), user_id, methods=methods)


def new_key(server: Server, tenant: Tenant, *, require_signature: bool) -> IssuedKey:
    with writing(server) as connection:
        return issue_key(
            AccountUnitOfWork(connection, tenant.account_id), now(), require_signature=require_signature
        )


def session_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(sessions)).scalar_one())
