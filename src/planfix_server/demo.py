"""The demo account that ``serve`` creates on an empty database, so a first call works at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from planfix_server import security
from planfix_server.domain.access.service import provision_account
from planfix_server.security import Passwords
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from planfix_server.store.tables import accounts as accounts_table

DEMO_PLAN = "premium"
DEMO_OWNER = "owner"


@dataclass(frozen=True)
class DemoAccount:
    """The demo's secrets: shown once, when it is created (only digests are stored)."""

    account: str
    api_key: str
    signature_key: str
    token: str
    owner_id: int
    owner_login: str
    owner_password: str


def ensure_demo(
    engine: Engine, name: str, data_centre: str, passwords: Passwords, now: dt.datetime | None = None
) -> DemoAccount | None:
    """Create the demo account if the database has no account at all; None when it has some."""
    now = now or dt.datetime.now(dt.UTC)
    password = security.new_password()
    with engine.connect() as connection:
        # The count and the insert share one write transaction, so two starts cannot both create it.
        connection.info[WRITE] = True
        if connection.execute(select(func.count()).select_from(accounts_table)).scalar_one():
            connection.rollback()
            return None
        made = provision_account(
            connection,
            now,
            name=name,
            plan=DEMO_PLAN,
            owner_login=DEMO_OWNER,
            owner_password_hash=passwords.hash(password),
            data_centre=data_centre,
            owner_name="Demo owner",
        )
        connection.commit()
    return DemoAccount(
        account=made.account.name,
        api_key=made.key.api_key,
        signature_key=made.key.signature_key,
        token=made.token,
        owner_id=made.owner.id,
        owner_login=made.owner.login,
        owner_password=password,
    )


def demo_exists(engine: Engine, name: str) -> bool:
    with engine.connect() as connection:
        return accounts.find(connection, name) is not None
