"""The schema. Every tenant table starts its key with ``account_id``; references include it.

So a row of one account can never point at a row of another, in the database itself, and the
schema is ready to be distributed by ``account_id``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


Moment = UtcDateTime()

accounts = Table(
    "accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("plan", String(20), nullable=False),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("data_centre", String(50), nullable=False),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("created_at", Moment, nullable=False),
)

# Identifiers unique per table (SQLite has no sequences; PostgreSQL uses these rows too, under a
# row lock, so both behave alike).
id_counters = Table(
    "id_counters",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Per-account visible numbers ("general"), one counter per kind of object.
account_counters = Table(
    "account_counters",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("kind", String(30), nullable=False, primary_key=True),
    Column("value", BigInteger, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("key_hint", String(12), nullable=False),
    Column("signature_key", String(64), nullable=False),
    Column("blocked", Boolean, nullable=False, server_default=false()),
    Column("require_signature", Boolean, nullable=False, server_default=false()),
    Column("created_at", Moment, nullable=False),
    Column("last_used_at", Moment),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    UniqueConstraint("account_id", "key_hash"),
)

posts = Table(
    "posts",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

users = Table(
    "users",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("general", BigInteger, nullable=False),
    Column("login", String(200), nullable=False),
    Column("password_hash", String(200)),
    Column("name", String(200), nullable=False, server_default=""),
    Column("mid_name", String(200), nullable=False, server_default=""),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("email", String(254)),
    Column("email_key", String(254)),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("birthdate", Date),
    Column("sex", String(10)),
    Column("telegram_id", BigInteger),
    Column("timezone", String(64), nullable=False, server_default=""),
    Column("is_invisible_out_of_group", Boolean, nullable=False, server_default=false()),
    Column("is_blind_out_of_group", Boolean, nullable=False, server_default=false()),
    Column("post_id", Id),
    Column("userpic_version", String(32)),
    Column("is_owner", Boolean, nullable=False, server_default=false()),
    Column("is_robot", Boolean, nullable=False, server_default=false()),
    Column("created_at", Moment, nullable=False),
    Column("last_seen_at", Moment),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "post_id"], ["posts.account_id", "posts.id"]),
    UniqueConstraint("account_id", "login"),
    UniqueConstraint("account_id", "email_key"),
    UniqueConstraint("account_id", "general"),
)

user_emails = Table(
    "user_emails",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False, primary_key=True),
    Column("email", String(254), nullable=False),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

user_phones = Table(
    "user_phones",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False, primary_key=True),
    Column("number", String(100), nullable=False),
    Column("type_id", Integer, nullable=False),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

user_pictures = Table(
    "user_pictures",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    Column("content_type", String(50), nullable=False),
    Column("data", LargeBinary, nullable=False),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

user_groups = Table(
    "user_groups",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

user_group_members = Table(
    "user_group_members",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("group_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "group_id"], ["user_groups.account_id", "user_groups.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
    Index(None, "account_id", "user_id"),
)

user_group_heads = Table(
    "user_group_heads",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("group_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "group_id"], ["user_groups.account_id", "user_groups.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("token_hint", String(12), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("methods", Text),
    Column("revoked_at", Moment),
    Column("created_at", Moment, nullable=False),
    Column("last_used_at", Moment),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
    UniqueConstraint("account_id", "token_hash"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("sid_hash", String(64), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
    UniqueConstraint("account_id", "sid_hash"),
    Index(None, "expires_at"),
)

# The history of tasks and contacts. This issue needs who added what, and when.
actions = Table(
    "actions",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("type", String(40), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    Index(None, "account_id", "owner_id", "created_at"),
)


# Tables whose ``id`` comes from store.ids (a sequence on PostgreSQL, a counter row on SQLite).
ID_TABLES = ("api_keys", "posts", "users", "user_groups", "tokens", "sessions", "actions")
SEQUENCES = {name: Sequence(f"{name}_id_seq", metadata=metadata) for name in ID_TABLES}

# Requests counted against the daily quota, per account and day (the account's time zone);
# the history behind the usage chart of the account pages.
api_usage = Table(
    "api_usage",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("day", Date, nullable=False, primary_key=True),
    Column("count", BigInteger, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

TENANT_TABLES = tuple(table for table in metadata.sorted_tables if "account_id" in table.c)
