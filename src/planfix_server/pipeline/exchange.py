"""The state of one request as it moves through the pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from planfix_server.api.registry import MethodSpec
from planfix_server.pipeline.credentials import Credentials
from planfix_server.store.records import AccountRecord, ApiKeyRecord, TokenRecord, UserRecord
from planfix_server.wire.envelope import Envelope


@dataclass(slots=True)
class Exchange:
    body: bytes
    authorization: str
    client: str
    base_url: str
    request_id: str
    now: dt.datetime
    envelope: Envelope | None = None
    spec: MethodSpec | None = None
    connection: Connection | None = None
    account: AccountRecord | None = None
    key: ApiKeyRecord | None = None
    secret: str = ""
    user: UserRecord | None = None
    token: TokenRecord | None = None
    remaining: int | None = None
    credentials: Credentials | None = None  # what the account step fetched for the identity step

    @property
    def method(self) -> str:
        return self.envelope.method if self.envelope is not None else ""
