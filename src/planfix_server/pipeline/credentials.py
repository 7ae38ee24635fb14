"""The credentials of a request in one round trip: the account by name, its API key, and its
token with the token's user.

Four lookups one after another cost four statement executions; one joined statement costs one.
Every part joins on the account found by name, so a key, token or user of another account never
matches. The steps that check them (``account``, ``identity``) keep their order and their codes:
this only fetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import Label

from planfix_server.store.records import AccountRecord, ApiKeyRecord, TokenRecord, UserRecord
from planfix_server.store.tables import accounts, api_keys, tokens, users

R = TypeVar("R")

_PREFIXES = {accounts: "a_", api_keys: "k_", tokens: "t_", users: "u_"}


def _labelled(table: Table) -> list[Label[Any]]:
    prefix = _PREFIXES[table]
    return [column.label(prefix + column.name) for column in table.c]


# A NULL hash (no key or no token to look for) matches nothing: the part comes back empty.
_CREDENTIALS = (
    select(*_labelled(accounts), *_labelled(api_keys), *_labelled(tokens), *_labelled(users))
    .select_from(accounts)
    .outerjoin(
        api_keys, and_(api_keys.c.account_id == accounts.c.id, api_keys.c.key_hash == bindparam("key_hash"))
    )
    .outerjoin(
        tokens, and_(tokens.c.account_id == accounts.c.id, tokens.c.token_hash == bindparam("token_hash"))
    )
    .outerjoin(users, and_(users.c.account_id == accounts.c.id, users.c.id == tokens.c.user_id))
    .where(accounts.c.name == bindparam("name"))
)


@dataclass(frozen=True, slots=True)
class Credentials:
    account: AccountRecord
    key: ApiKeyRecord | None
    token: TokenRecord | None
    token_user: UserRecord | None  # the token's user; None without a token or when it is gone


def _fields(cls: type[Any], table: Table) -> tuple[tuple[str, str], ...]:
    """(record field, result column) pairs, worked out once rather than per request."""
    prefix = _PREFIXES[table]
    return tuple((name, prefix + name) for name in cls.__dataclass_fields__ if name in table.c)


_ACCOUNT_FIELDS = _fields(AccountRecord, accounts)
_KEY_FIELDS = _fields(ApiKeyRecord, api_keys)
_TOKEN_FIELDS = _fields(TokenRecord, tokens)
_USER_FIELDS = _fields(UserRecord, users)


def _part(cls: type[R], fields: tuple[tuple[str, str], ...], row: Row[Any]) -> R | None:
    mapping = row._mapping
    if mapping[fields[0][1]] is None:  # the first field is a key column: NULL only when nothing joined
        return None
    return cls(**{name: mapping[column] for name, column in fields})


def fetch(
    connection: Connection, account_name: str, key_hash: str | None, token_hash: str | None
) -> Credentials | None:
    """The account named ``account_name`` with the key and token of these digests; None: no account."""
    row = connection.execute(
        _CREDENTIALS, {"name": account_name, "key_hash": key_hash, "token_hash": token_hash}
    ).first()
    if row is None:
        return None
    account = _part(AccountRecord, _ACCOUNT_FIELDS, row)
    assert account is not None
    return Credentials(
        account=account,
        key=_part(ApiKeyRecord, _KEY_FIELDS, row),
        token=_part(TokenRecord, _TOKEN_FIELDS, row),
        token_user=_part(UserRecord, _USER_FIELDS, row),
    )
