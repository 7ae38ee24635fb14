"""API keys, tokens and sessions of one account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.records import ApiKeyRecord, TokenRecord, from_row
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import api_keys, sessions, tokens

_ACCOUNT: BindParameter[int] = bindparam("tenant")

_KEY_BY_HASH = Scoped(
    select(api_keys).where(api_keys.c.account_id == _ACCOUNT, api_keys.c.key_hash == bindparam("key_hash"))
)
_KEYS = Scoped(select(api_keys).where(api_keys.c.account_id == _ACCOUNT).order_by(api_keys.c.id))
_SET_KEY = Scoped(
    update(api_keys)
    .where(api_keys.c.account_id == _ACCOUNT, api_keys.c.key_hash == bindparam("b_key_hash"))
    .values(blocked=bindparam("b_blocked"))
)
_KEY_BY_ID = Scoped(
    select(api_keys).where(api_keys.c.account_id == _ACCOUNT, api_keys.c.id == bindparam("key_id"))
)
_BLOCK_KEY_BY_ID = Scoped(
    update(api_keys)
    .where(api_keys.c.account_id == _ACCOUNT, api_keys.c.id == bindparam("key_id"))
    .values(blocked=bindparam("b_blocked"))
)
_REQUIRE_SIGNATURE = Scoped(
    update(api_keys)
    .where(api_keys.c.account_id == _ACCOUNT, api_keys.c.id == bindparam("key_id"))
    .values(require_signature=bindparam("b_required"))
)
_DELETE_KEY = Scoped(
    delete(api_keys).where(api_keys.c.account_id == _ACCOUNT, api_keys.c.id == bindparam("key_id"))
)
_TOUCH_KEY = Scoped(
    update(api_keys)
    .where(api_keys.c.account_id == _ACCOUNT, api_keys.c.id == bindparam("key_id"))
    .values(last_used_at=bindparam("now"))
)

_TOKEN_BY_HASH = Scoped(
    select(tokens).where(tokens.c.account_id == _ACCOUNT, tokens.c.token_hash == bindparam("token_hash"))
)
_TOKENS = Scoped(select(tokens).where(tokens.c.account_id == _ACCOUNT).order_by(tokens.c.id))
_REVOKE_TOKEN = Scoped(
    update(tokens)
    .where(
        tokens.c.account_id == _ACCOUNT,
        tokens.c.token_hash == bindparam("b_token_hash"),
        tokens.c.revoked_at.is_(None),
    )
    .values(revoked_at=bindparam("now"))
)
_TOKEN_BY_ID = Scoped(
    select(tokens).where(tokens.c.account_id == _ACCOUNT, tokens.c.id == bindparam("token_id"))
)
_REVOKE_TOKEN_BY_ID = Scoped(
    update(tokens)
    .where(
        tokens.c.account_id == _ACCOUNT,
        tokens.c.id == bindparam("token_id"),
        tokens.c.revoked_at.is_(None),
    )
    .values(revoked_at=bindparam("now"))
)
_TOUCH_TOKEN = Scoped(
    update(tokens)
    .where(tokens.c.account_id == _ACCOUNT, tokens.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)

_PURGE_SESSIONS = Scoped(
    delete(sessions).where(sessions.c.account_id == _ACCOUNT, sessions.c.expires_at < bindparam("now"))
)


class AccessRepository(Repository):
    def key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        row = self.first(_KEY_BY_HASH, key_hash=key_hash)
        return None if row is None else from_row(ApiKeyRecord, row)

    def keys(self) -> list[ApiKeyRecord]:
        return [from_row(ApiKeyRecord, row) for row in self.rows(_KEYS)]

    def set_key_blocked(self, key_hash: str, blocked: bool) -> bool:
        return self.execute(_SET_KEY, b_key_hash=key_hash, b_blocked=blocked) > 0

    def key(self, key_id: int) -> ApiKeyRecord | None:
        row = self.first(_KEY_BY_ID, key_id=key_id)
        return None if row is None else from_row(ApiKeyRecord, row)

    def set_key_blocked_by_id(self, key_id: int, blocked: bool) -> bool:
        return self.execute(_BLOCK_KEY_BY_ID, key_id=key_id, b_blocked=blocked) > 0

    def set_key_require_signature(self, key_id: int, required: bool) -> bool:
        return self.execute(_REQUIRE_SIGNATURE, key_id=key_id, b_required=required) > 0

    def delete_key(self, key_id: int) -> bool:
        """Remove a key for good: its calls answer 0001 from then on."""
        return self.execute(_DELETE_KEY, key_id=key_id) > 0

    def touch_key(self, key_id: int, now: dt.datetime) -> None:
        self.execute(_TOUCH_KEY, key_id=key_id, now=now)

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self.first(_TOKEN_BY_HASH, token_hash=token_hash)
        return None if row is None else from_row(TokenRecord, row)

    def tokens(self) -> list[TokenRecord]:
        return [from_row(TokenRecord, row) for row in self.rows(_TOKENS)]

    def revoke_token(self, token_hash: str, now: dt.datetime) -> bool:
        return self.execute(_REVOKE_TOKEN, b_token_hash=token_hash, now=now) > 0

    def token(self, token_id: int) -> TokenRecord | None:
        row = self.first(_TOKEN_BY_ID, token_id=token_id)
        return None if row is None else from_row(TokenRecord, row)

    def revoke_token_by_id(self, token_id: int, now: dt.datetime) -> bool:
        return self.execute(_REVOKE_TOKEN_BY_ID, token_id=token_id, now=now) > 0

    def touch_token(self, token_id: int, now: dt.datetime) -> None:
        self.execute(_TOUCH_TOKEN, token_id=token_id, now=now)

    def purge_sessions(self, now: dt.datetime) -> int:
        return self.execute(_PURGE_SESSIONS, now=now)
