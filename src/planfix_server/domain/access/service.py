"""Accounts, API keys, tokens and sessions: creating them and checking them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from planfix_server import security
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.statuses.service import ensure_default_process
from planfix_server.domain.users.service import create_user
from planfix_server.store import accounts
from planfix_server.store.records import AccountRecord, UserRecord
from planfix_server.store.tables import api_keys, sessions, tokens
from planfix_server.store.uow import AccountUnitOfWork


@dataclass(frozen=True)
class IssuedKey:
    api_key: str
    signature_key: str


@dataclass(frozen=True)
class ProvisionedAccount:
    account: AccountRecord
    owner: UserRecord
    key: IssuedKey
    token: str


def issue_key(uow: AccountUnitOfWork, now: dt.datetime, *, require_signature: bool = False) -> IssuedKey:
    api_key, signature_key = security.new_key(), security.new_key()
    uow.get(AccessRepository).insert(
        api_keys,
        id=uow.next_id("api_keys"),
        key_hash=security.digest(api_key),
        key_hint=security.hint(api_key),
        signature_key=signature_key,
        blocked=False,
        require_signature=require_signature,
        created_at=now,
    )
    return IssuedKey(api_key, signature_key)


def issue_token(
    uow: AccountUnitOfWork, now: dt.datetime, user_id: int, methods: list[str] | None = None
) -> str:
    token = security.new_key()
    uow.get(AccessRepository).insert(
        tokens,
        id=uow.next_id("tokens"),
        token_hash=security.digest(token),
        token_hint=security.hint(token),
        user_id=user_id,
        methods=",".join(methods) if methods else None,
        created_at=now,
    )
    return token


def issue_session(uow: AccountUnitOfWork, now: dt.datetime, user_id: int, ttl_seconds: int) -> str:
    sid = security.new_key()
    repo = uow.get(AccessRepository)
    repo.purge_sessions(now)
    repo.insert(
        sessions,
        id=uow.next_id("sessions"),
        sid_hash=security.digest(sid),
        user_id=user_id,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=ttl_seconds),
    )
    return sid


def provision_account(
    connection: Connection,
    now: dt.datetime,
    *,
    name: str,
    plan: str,
    owner_login: str,
    owner_password_hash: str,
    data_centre: str,
    timezone: str = "UTC",
    owner_name: str = "",
) -> ProvisionedAccount:
    """A new account with its owner (an administrator), one API key pair and an owner's token."""
    if plan not in accounts.PLANS:
        raise ValueError(f"unknown plan {plan!r}; one of {', '.join(accounts.PLANS)}")
    if accounts.find(connection, name) is not None:
        raise ValueError(f"account {name!r} exists")
    account = accounts.create(connection, name, plan, data_centre, timezone, now)
    uow = AccountUnitOfWork(connection, account.id)
    owner = create_user(
        uow,
        now,
        login=owner_login,
        password_hash=owner_password_hash,
        name=owner_name or owner_login,
        role="ADMIN",
        is_owner=True,
    )
    ensure_default_process(uow)
    key = issue_key(uow, now)
    token = issue_token(uow, now, owner.id)
    return ProvisionedAccount(account, owner, key, token)
