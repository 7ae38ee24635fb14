"""The credentials of a request in one round trip: the account by name, its API key, the token or
the session, and the user behind that token or session.

Five lookups one after another cost five statement executions; one joined statement costs one.
Every part joins on the account found by name, so a key, token, session or user of another account
never matches. The steps that check them (``account``, ``identity``) keep their order and their
codes: this only fetches.

The row is read by position, in the records' own field order: building the records from a wide
row by column name cost more than the statement itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Table, and_, bindparam, func, select
from sqlalchemy.engine import Connection

from planfix_server.store.records import AccountRecord, ApiKeyRecord, TokenRecord, UserRecord
from planfix_server.store.tables import accounts, api_keys, sessions, tokens, users

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class SessionRef:
    user_id: int
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Credentials:
    account: AccountRecord
    key: ApiKeyRecord | None
    token: TokenRecord | None
    session: SessionRef | None
    user: UserRecord | None  # the token's or the session's user; None without either, or when it is gone


class _Part(Generic[R]):
    """One record's columns, in its field order, and where they sit in the joined row."""

    def __init__(self, cls: type[R], table: Table, start: int) -> None:
        fields = [name for name in cls.__dataclass_fields__ if name in table.c]  # type: ignore[attr-defined]
        self.cls = cls
        self.columns: list[Column[Any]] = [table.c[name] for name in fields]
        self.start, self.stop = start, start + len(fields)

    def build(self, row: Sequence[Any]) -> R | None:
        values = row[self.start : self.stop]
        if values[0] is None:  # the first field is a key column: NULL only when nothing joined
            return None
        return self.cls(*values)


_ACCOUNT = _Part(AccountRecord, accounts, 0)
_KEY = _Part(ApiKeyRecord, api_keys, _ACCOUNT.stop)
_TOKEN = _Part(TokenRecord, tokens, _KEY.stop)
_SESSION = _Part(SessionRef, sessions, _TOKEN.stop)
_USER = _Part(UserRecord, users, _SESSION.stop)

# A NULL digest (no key, token or sid to look for) matches nothing: that part comes back empty.
# A request sends a token or a sid, never both (identity.uses_token), so one user join serves either.
_CREDENTIALS = (
    select(*_ACCOUNT.columns, *_KEY.columns, *_TOKEN.columns, *_SESSION.columns, *_USER.columns)
    .select_from(accounts)
    .outerjoin(
        api_keys, and_(api_keys.c.account_id == accounts.c.id, api_keys.c.key_hash == bindparam("key_hash"))
    )
    .outerjoin(
        tokens, and_(tokens.c.account_id == accounts.c.id, tokens.c.token_hash == bindparam("token_hash"))
    )
    .outerjoin(
        sessions, and_(sessions.c.account_id == accounts.c.id, sessions.c.sid_hash == bindparam("sid_hash"))
    )
    .outerjoin(
        users,
        and_(
            users.c.account_id == accounts.c.id,
            users.c.id == func.coalesce(tokens.c.user_id, sessions.c.user_id),
        ),
    )
    .where(accounts.c.name == bindparam("name"))
)


def fetch(
    connection: Connection,
    account_name: str,
    key_hash: str | None,
    token_hash: str | None,
    sid_hash: str | None = None,
) -> Credentials | None:
    """The account named ``account_name`` with the key, token and session of these digests; None: no
    account."""
    row = connection.execute(
        _CREDENTIALS,
        {"name": account_name, "key_hash": key_hash, "token_hash": token_hash, "sid_hash": sid_hash},
    ).first()
    if row is None:
        return None
    account = _ACCOUNT.build(row)
    assert account is not None
    return Credentials(
        account=account,
        key=_KEY.build(row),
        token=_TOKEN.build(row),
        session=_SESSION.build(row),
        user=_USER.build(row),
    )
