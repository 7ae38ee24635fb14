"""After a successful call: remember when the token, key and user were last used.

Written at most once a minute per object, in its own short transaction, so that reads stay
reads and the "last use" and "online" figures stay fresh enough.
"""

from __future__ import annotations

import datetime as dt

from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.pipeline.exchange import Exchange

TOUCH_INTERVAL = dt.timedelta(seconds=60)


def _due(last: dt.datetime | None, now: dt.datetime) -> bool:
    return last is None or now - last >= TOUCH_INTERVAL


def record_use(exchange: Exchange) -> None:
    connection, account, now = exchange.connection, exchange.account, exchange.now
    assert connection is not None and account is not None
    access = AccessRepository(connection, account.id)
    wrote = False
    if exchange.token is not None and _due(exchange.token.last_used_at, now):
        access.touch_token(exchange.token.id, now)
        wrote = True
    if exchange.key is not None and _due(exchange.key.last_used_at, now):
        access.touch_key(exchange.key.id, now)
        wrote = True
    if exchange.user is not None and _due(exchange.user.last_seen_at, now):
        UserRepository(connection, account.id).touch(exchange.user.id, now)
        wrote = True
    if wrote:
        connection.commit()
