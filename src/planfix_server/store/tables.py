"""The schema. Every tenant table starts its key with ``account_id``; references include it.

So a row of one account can never point at a row of another, in the database itself, and the
schema is ready to be distributed by ``account_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], dt.datetime | None]:
        """process_result_value after the driver type's own conversion, in one function.

        Page reads convert hundreds of these columns. On SQLite, where this type writes naive UTC
        ISO text, the text with ``+00:00`` appended parses straight into the aware value:
        ``datetime.replace`` costs ten times the parse.
        """
        parse = self.impl_instance.result_processor(dialect, coltype)
        utc = dt.UTC

        def aware(moment: Any) -> dt.datetime | None:
            if moment is None:
                return None
            if moment.tzinfo is None:
                return moment.replace(tzinfo=utc)  # type: ignore[no-any-return]
            return moment.astimezone(utc)  # type: ignore[no-any-return]

        if parse is None:  # the driver gives datetimes (PostgreSQL)
            return aware
        if dialect.name != "sqlite":
            return lambda value: aware(parse(value))
        from_text = dt.datetime.fromisoformat

        def process_text(value: Any) -> dt.datetime | None:
            if value is None:
                return None
            try:
                moment = from_text(value + "+00:00")
            except (TypeError, ValueError):  # text with a zone of its own, or not text
                return aware(parse(value))
            if moment.tzinfo is not utc:  # a date alone: "+" read as the date-time separator
                return aware(parse(value))
            return moment

        return process_text


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
    # Changed by triggers whenever the account's statuses, processes or custom fields change
    # (migration 0006): workers key the definitions they keep between requests on it.
    Column("definitions_tag", String(32), nullable=False, server_default=""),
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

# Tables whose ``id`` comes from store.ids (a sequence on PostgreSQL, a counter row on SQLite).
ID_TABLES = (
    "api_keys",
    "posts",
    "users",
    "user_groups",
    "tokens",
    "sessions",
    "actions",
    "project_groups",
    "projects",
    "status_sets",
    "custom_fields",
    "tasks",
    "contact_groups",
    "contacts",
    "handbook_groups",
    "handbooks",
    "handbook_fields",
    "handbook_records",
    "analitic_groups",
    "analitics",
    "analitic_fields",
    "analitic_data",
    "files",
    "file_versions",
)
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


# -- projects, project groups, processes and statuses, custom fields, tasks

project_groups = Table(
    "project_groups",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

projects = Table(
    "projects",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("general", BigInteger, nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("owner_id", Id, nullable=False),
    # A contact; the contacts table arrives with the contacts functions, and its key then.
    Column("client_id", Id),
    Column("group_id", Id),
    Column("parent_id", Id),
    Column("template_id", Id),
    Column("is_template", Boolean, nullable=False, server_default=false()),
    Column("status", String(20), nullable=False),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    Column("end_date", Date),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    ForeignKeyConstraint(["account_id", "group_id"], ["project_groups.account_id", "project_groups.id"]),
    ForeignKeyConstraint(["account_id", "parent_id"], ["projects.account_id", "projects.id"]),
    ForeignKeyConstraint(["account_id", "template_id"], ["projects.account_id", "projects.id"]),
    UniqueConstraint("account_id", "general"),
    # "Projects he owns" in every task visibility query.
    Index(None, "account_id", "owner_id"),
)

# Default assignees, participants, auditors and managers of a project: users or user groups.
project_people = Table(
    "project_people",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("project_id", Id, nullable=False, primary_key=True),
    Column("role", String(10), nullable=False, primary_key=True),  # worker, member, auditor, manager
    Column("kind", String(10), nullable=False, primary_key=True),  # user, group
    Column("person_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "project_id"], ["projects.account_id", "projects.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "kind", "person_id"),
)

# Processes ("status sets") and the statuses of an account. A status id is its wire number:
# 0-7 for the system statuses (shared by every process), 100 and up for custom ones.
status_sets = Table(
    "status_sets",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("is_default", Boolean, nullable=False, server_default=false()),
    Column("accept_status_id", Integer, nullable=False),
    Column("auto_accept", Boolean, nullable=False, server_default=false()),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

task_statuses = Table(
    "task_statuses",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Integer, nullable=False, primary_key=True),
    Column("token", String(20)),  # DRAFT, ACTIVE, … for system statuses
    Column("name", String(200), nullable=False),
    Column("name_ru", String(200), nullable=False, server_default=""),
    Column("name_en", String(200), nullable=False, server_default=""),
    Column("color", String(20), nullable=False, server_default=""),
    Column("is_active", Boolean, nullable=False),
    Column("has_deadline", Boolean, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

status_set_members = Table(
    "status_set_members",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("set_id", Id, nullable=False, primary_key=True),
    Column("status_id", Integer, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "set_id"], ["status_sets.account_id", "status_sets.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "status_id"], ["task_statuses.account_id", "task_statuses.id"], ondelete="CASCADE"
    ),
)

# Allowed transitions of a process and who may make them (owner side or assignee side).
status_transitions = Table(
    "status_transitions",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("set_id", Id, nullable=False, primary_key=True),
    Column("from_status", Integer, nullable=False, primary_key=True),
    Column("to_status", Integer, nullable=False, primary_key=True),
    Column("actor", String(10), nullable=False, primary_key=True),  # owner, worker
    ForeignKeyConstraint(
        ["account_id", "set_id"], ["status_sets.account_id", "status_sets.id"], ondelete="CASCADE"
    ),
)

# Custom field definitions per account and kind of object; XML API v1 cannot create them (CLI, fixtures).
custom_fields = Table(
    "custom_fields",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("object_kind", String(20), nullable=False),  # task, project, contact
    Column("name", String(200), nullable=False),
    Column("type", String(30), nullable=False),
    Column("options", Text),  # JSON: list values, unit, handbook id … depending on the type
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    Index(None, "account_id", "object_kind"),
)

custom_values = Table(
    "custom_values",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("object_kind", String(20), nullable=False, primary_key=True),
    Column("object_id", Id, nullable=False, primary_key=True),
    Column("field_id", Id, nullable=False, primary_key=True),
    Column("value", Text, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "field_id"], ["custom_fields.account_id", "custom_fields.id"], ondelete="CASCADE"
    ),
)

tasks = Table(
    "tasks",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("general", BigInteger, nullable=False),
    Column("type", String(20), nullable=False, server_default="task"),  # task, template
    Column("is_periodic", Boolean, nullable=False, server_default=false()),
    Column("title", String(1000), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("importance", String(10), nullable=False, server_default="AVERAGE"),
    Column("status_set_id", Id, nullable=False),
    Column("status", Integer, nullable=False),
    Column("check_result", Boolean, nullable=False, server_default=false()),
    Column("owner_id", Id, nullable=False),
    Column("parent_id", Id),
    Column("template_id", Id),
    Column("project_id", Id),
    Column("client_id", Id),  # a contact (key added with the contacts table)
    Column("created_at", Moment, nullable=False),
    Column("start_at", Moment),
    Column("start_has_time", Boolean, nullable=False, server_default=false()),
    Column("end_at", Moment),
    Column("end_has_time", Boolean, nullable=False, server_default=false()),
    Column("duration", Integer),
    Column("duration_unit", Integer, nullable=False, server_default="0"),
    Column("is_summary", Boolean, nullable=False, server_default=false()),
    Column("additional_description", Text, nullable=False, server_default=""),
    Column("periodicity", Text),  # JSON of the <periodicity> structure; NULL: not recurring
    Column("delayed_until", Moment),
    Column("done_at", Moment),
    Column("completed_at", Moment),
    Column("modified_at", Moment, nullable=False),
    Column("last_activity_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    ForeignKeyConstraint(["account_id", "parent_id"], ["tasks.account_id", "tasks.id"]),
    ForeignKeyConstraint(["account_id", "template_id"], ["tasks.account_id", "tasks.id"]),
    ForeignKeyConstraint(["account_id", "project_id"], ["projects.account_id", "projects.id"]),
    ForeignKeyConstraint(["account_id", "status_set_id"], ["status_sets.account_id", "status_sets.id"]),
    UniqueConstraint("account_id", "general"),
    # Each carries the id, so the ids of a page or of what a user may see come from indexes alone;
    # the last answers the list conditions of a task known by id without reading its row.
    Index(None, "account_id", "type", "general", "id"),
    Index(None, "account_id", "project_id", "id"),
    Index(None, "account_id", "owner_id", "id"),
    Index(None, "account_id", "id", "type", "status", "owner_id", "general"),
    Index(None, "account_id", "parent_id"),
    Index(None, "account_id", "client_id"),
)

# Assignees (workers), participants (members) and auditors: users or user groups. ``status`` is
# an assignee's own status where statuses are split (New/accepted/rejected per person).
task_people = Table(
    "task_people",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("task_id", Id, nullable=False, primary_key=True),
    Column("role", String(10), nullable=False, primary_key=True),  # worker, member, auditor
    Column("kind", String(10), nullable=False, primary_key=True),  # user, group
    Column("person_id", Id, nullable=False, primary_key=True),
    Column("status", Integer),
    ForeignKeyConstraint(["account_id", "task_id"], ["tasks.account_id", "tasks.id"], ondelete="CASCADE"),
    Index(None, "account_id", "kind", "person_id", "role", "task_id"),
)

task_stars = Table(
    "task_stars",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("task_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(["account_id", "task_id"], ["tasks.account_id", "tasks.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

# How many tasks of each kind an account holds, kept by triggers on tasks (migration 0003) whoever
# writes them: an unfiltered list of a large account is counted without walking its index.
task_counts = Table(
    "task_counts",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("type", String(20), nullable=False, primary_key=True),
    Column("is_periodic", Boolean, nullable=False, primary_key=True),
    Column("count", BigInteger, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)


# -- contacts and companies, and the history (actions) of tasks and contacts

contact_groups = Table(
    "contact_groups",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

# A contact (person), a company (``is_company``) or a contact template (``is_template``). Each has a
# row in ``users`` (role CONTACT) whose id is the contact's ``userid``: the identity under which it
# takes part in tasks, writes actions and, with PlanFix access, signs in.
contacts = Table(
    "contacts",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("general", BigInteger, nullable=False),
    Column("user_id", Id, nullable=False),
    Column("template_id", Id),
    Column("is_template", Boolean, nullable=False, server_default=false()),
    Column("is_company", Boolean, nullable=False, server_default=false()),
    Column("name", String(200), nullable=False, server_default=""),
    Column("mid_name", String(200), nullable=False, server_default=""),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("post", String(200), nullable=False, server_default=""),
    Column("email", String(254), nullable=False, server_default=""),
    Column("email_key", String(254)),  # lower-cased e-mail; unique per account when set
    Column("address", Text, nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("sex", String(10), nullable=False, server_default=""),
    Column("site", String(500), nullable=False, server_default=""),
    Column("skype", String(200), nullable=False, server_default=""),
    Column("facebook", String(500), nullable=False, server_default=""),
    Column("vk", String(500), nullable=False, server_default=""),
    Column("icq", String(50), nullable=False, server_default=""),
    Column("telegram_id", BigInteger),
    Column("telegram_username", String(200), nullable=False, server_default=""),
    Column("birthdate", Date),
    Column("lang", String(5), nullable=False, server_default=""),
    Column("can_be_worker", Boolean, nullable=False, server_default=false()),
    Column("can_be_client", Boolean, nullable=False, server_default=false()),
    Column("group_id", Id),
    # PlanFix access: none, invited (NOTICE_SEND), active, inactive (revoked after activation).
    Column("access", String(10), nullable=False, server_default="none"),
    Column("created_by", Id),
    Column("created_at", Moment, nullable=False),
    Column("modified_at", Moment, nullable=False),
    Column("last_comment_at", Moment),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"]),
    ForeignKeyConstraint(["account_id", "template_id"], ["contacts.account_id", "contacts.id"]),
    ForeignKeyConstraint(["account_id", "group_id"], ["contact_groups.account_id", "contact_groups.id"]),
    UniqueConstraint("account_id", "general"),
    UniqueConstraint("account_id", "user_id"),
    UniqueConstraint("account_id", "email_key"),
    Index(None, "account_id", "is_template", "is_company", "id"),
)

contact_phones = Table(
    "contact_phones",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("contact_id", Id, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False, primary_key=True),
    Column("number", String(100), nullable=False),
    Column("type_id", Integer, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
)

contact_emails = Table(
    "contact_emails",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("contact_id", Id, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False, primary_key=True),
    Column("email", String(254), nullable=False),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
)

# Responsible employees (kind user) and employee groups (kind group) of a contact.
contact_responsibles = Table(
    "contact_responsibles",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("contact_id", Id, nullable=False, primary_key=True),
    Column("kind", String(10), nullable=False, primary_key=True),
    Column("person_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "kind", "person_id"),
)

# The companies a contact belongs to (``contractors``).
contact_contractors = Table(
    "contact_contractors",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("contact_id", Id, nullable=False, primary_key=True),
    Column("company_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "company_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "company_id"),
)

# How a contact with PlanFix access wants to be notified (``contact.updateUserInfo``).
contact_notifications = Table(
    "contact_notifications",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    Column("jabber", String(254), nullable=False, server_default=""),
    Column("notify_by_email", Boolean, nullable=False, server_default=false()),
    Column("notify_by_jabber", Boolean, nullable=False, server_default=false()),
    Column("notify_by_planfix", Boolean, nullable=False, server_default=false()),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

# One entry of the history of a task (``task_id``) or of a contact (``contact_id``): a comment or
# a system event. Old/new values describe the status and date changes the action made.
actions = Table(
    "actions",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("type", String(40), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", Moment, nullable=False),
    Column("task_id", Id),
    Column("contact_id", Id),
    Column("is_hidden", Boolean, nullable=False, server_default=false()),
    Column("from_email", Boolean, nullable=False, server_default=false()),
    Column("old_status", Integer),
    Column("new_status", Integer),
    Column("old_end_at", Moment),
    Column("new_end_at", Moment),
    Column("end_changed", Boolean, nullable=False, server_default=false()),
    Column("old_start_at", Moment),
    Column("new_start_at", Moment),
    Column("start_changed", Boolean, nullable=False, server_default=false()),
    Column("modified_at", Moment),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    ForeignKeyConstraint(["account_id", "task_id"], ["tasks.account_id", "tasks.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "owner_id", "created_at"),
    # Pages and counts of one history come from these alone (the hidden flag and author included).
    Index("ix_actions_task_history", "account_id", "task_id", "created_at", "id", "is_hidden", "owner_id"),
    Index(
        "ix_actions_contact_history", "account_id", "contact_id", "created_at", "id", "is_hidden", "owner_id"
    ),
    Index(None, "account_id", "created_at", "id"),
)

# Who an action notifies (``notifiedList``); a hidden action is seen only by them and its author.
action_notified = Table(
    "action_notified",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("action_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "action_id"], ["actions.account_id", "actions.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

# Actions a user has not read yet (``isNotRead``): written for the people an action notifies,
# removed when that user reads the action.
action_unread = Table(
    "action_unread",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("user_id", Id, nullable=False, primary_key=True),
    Column("action_id", Id, nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["account_id", "action_id"], ["actions.account_id", "actions.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(["account_id", "user_id"], ["users.account_id", "users.id"], ondelete="CASCADE"),
)

# Handbooks (directories): account-defined tables of records in a tree of group records.
# XML API v1 cannot create handbooks, their groups or fields (CLI, fixtures); records it can.
handbook_groups = Table(
    "handbook_groups",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

handbooks = Table(
    "handbooks",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("group_id", Id),  # none: outside any group
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "group_id"], ["handbook_groups.account_id", "handbook_groups.id"]),
)

# One column of a handbook. ``type`` is the API's field type (22-handbooks-analitics.md §1, plus
# FILES); ``options`` the JSON list of values of a LIST field; ``target_handbook_id`` the handbook
# a HANDBOOK / HANDBOOKSET field points at; ``is_displayed`` marks the record's caption field.
handbook_fields = Table(
    "handbook_fields",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("handbook_id", Id, nullable=False),
    Column("num", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("type", String(30), nullable=False),
    Column("options", Text),
    Column("target_handbook_id", Id),
    Column("is_displayed", Boolean, nullable=False, server_default=false()),
    ForeignKeyConstraint(
        ["account_id", "handbook_id"], ["handbooks.account_id", "handbooks.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "handbook_id", "num"),
)

# A record (``key``) of a handbook; a group record (``is_group``) holds others (``parent_key``).
handbook_records = Table(
    "handbook_records",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),  # the record's ``key``
    Column("handbook_id", Id, nullable=False),
    Column("parent_key", Id),  # none: top level
    Column("is_group", Boolean, nullable=False, server_default=false()),
    Column("name", String(500), nullable=False, server_default=""),
    Column("archived", Boolean, nullable=False, server_default=false()),
    Column("created_at", Moment, nullable=False),
    Column("modified_at", Moment),
    ForeignKeyConstraint(
        ["account_id", "handbook_id"], ["handbooks.account_id", "handbooks.id"], ondelete="CASCADE"
    ),
    # One level of the tree, paged by key.
    Index(None, "account_id", "handbook_id", "parent_key", "id"),
)

# The stored value of one field of one record (the field type's canonical form).
handbook_values = Table(
    "handbook_values",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("record_id", Id, nullable=False, primary_key=True),
    Column("field_id", Id, nullable=False, primary_key=True),
    Column("value", Text, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "record_id"],
        ["handbook_records.account_id", "handbook_records.id"],
        ondelete="CASCADE",
    ),
    ForeignKeyConstraint(
        ["account_id", "field_id"], ["handbook_fields.account_id", "handbook_fields.id"], ondelete="CASCADE"
    ),
)

# Analitics (data tags): record types whose data rows are attached to actions. Defined by the CLI
# and fixtures, as XML API v1 has no function to create them.
analitic_groups = Table(
    "analitic_groups",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
)

analitics = Table(
    "analitics",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("group_id", Id),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "group_id"], ["analitic_groups.account_id", "analitic_groups.id"]),
)

# A field of an analitic (``itemData.fieldId``); ``handbook_id`` for HANDBOOK / HANDBOOKSET fields.
analitic_fields = Table(
    "analitic_fields",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("analitic_id", Id, nullable=False),
    Column("num", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("type", String(30), nullable=False),
    Column("options", Text),
    Column("handbook_id", Id),
    ForeignKeyConstraint(
        ["account_id", "analitic_id"], ["analitics.account_id", "analitics.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "analitic_id", "num"),
)

# One data row (``key``) of an analitic, attached to an action (and through it to a task).
analitic_data = Table(
    "analitic_data",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),  # the row's ``key``
    Column("analitic_id", Id, nullable=False),
    Column("action_id", Id, nullable=False),
    Column("task_id", Id),  # the action's task, kept here for getDataByCondition
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "analitic_id"], ["analitics.account_id", "analitics.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "action_id"], ["actions.account_id", "actions.id"], ondelete="CASCADE"
    ),
    Index(None, "account_id", "analitic_id", "task_id", "id"),
    Index(None, "account_id", "action_id"),
)

# The value of one field in one data row, in the field type's stored form (dates ISO, so ranges
# compare as text).
analitic_values = Table(
    "analitic_values",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("data_id", Id, nullable=False, primary_key=True),
    Column("field_id", Id, nullable=False, primary_key=True),
    Column("value", Text, nullable=False),
    ForeignKeyConstraint(
        ["account_id", "data_id"], ["analitic_data.account_id", "analitic_data.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "field_id"], ["analitic_fields.account_id", "analitic_fields.id"], ondelete="CASCADE"
    ),
)

# The objects a data row's field refers to (users, contacts, tasks, handbook records …), one row
# each, so ``filter.userid`` and renames find them without parsing values.
analitic_value_refs = Table(
    "analitic_value_refs",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("data_id", Id, nullable=False, primary_key=True),
    Column("field_id", Id, nullable=False, primary_key=True),
    Column("ref_id", Id, nullable=False, primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
    ForeignKeyConstraint(
        ["account_id", "data_id", "field_id"],
        ["analitic_values.account_id", "analitic_values.data_id", "analitic_values.field_id"],
        ondelete="CASCADE",
    ),
    Index(None, "account_id", "field_id", "ref_id"),
)

# A file (``id``): a name in one place (a task, a project, a contact, or a FILES field of a
# handbook record), optionally attached to an action; its content lives in its versions.
files = Table(
    "files",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("source_type", String(20), nullable=False),  # FILESYSTEM, INTERNET
    Column("task_id", Id),
    Column("project_id", Id),
    Column("contact_id", Id),
    Column("action_id", Id),
    Column("record_id", Id),  # a handbook record's FILES field (``field_id``)
    Column("field_id", Id),
    Column("owner_id", Id, nullable=False),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    ForeignKeyConstraint(["account_id", "task_id"], ["tasks.account_id", "tasks.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(
        ["account_id", "project_id"], ["projects.account_id", "projects.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "contact_id"], ["contacts.account_id", "contacts.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["account_id", "record_id"],
        ["handbook_records.account_id", "handbook_records.id"],
        ondelete="CASCADE",
    ),
    Index(None, "account_id", "task_id", "id"),
    Index(None, "account_id", "project_id", "id"),
    Index(None, "account_id", "contact_id", "id"),
    Index(None, "account_id", "action_id"),
    Index(None, "account_id", "owner_id", "id"),
    Index(None, "account_id", "record_id", "field_id"),
)

# One stored version (``uniqueId``) of a file. ``storage_key`` names the blob in the blob store
# (FILESYSTEM); ``url`` is the link of an INTERNET file. Several versions, of several files (a
# project file referenced into a task), may share one blob.
file_versions = Table(
    "file_versions",
    metadata,
    Column("account_id", Id, nullable=False, primary_key=True),
    Column("id", Id, nullable=False, primary_key=True),
    Column("file_id", Id, nullable=False),
    Column("version", Integer, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("size_bytes", BigInteger, nullable=False, server_default="0"),
    Column("content_type", String(200), nullable=False, server_default="application/octet-stream"),
    Column("sha256", String(64), nullable=False, server_default=""),
    Column("storage_key", String(200)),
    Column("url", Text),
    Column("owner_id", Id, nullable=False),
    Column("created_at", Moment, nullable=False),
    ForeignKeyConstraint(["account_id", "file_id"], ["files.account_id", "files.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["account_id", "owner_id"], ["users.account_id", "users.id"]),
    UniqueConstraint("account_id", "file_id", "version"),
    Index(None, "storage_key"),
)

TENANT_TABLES = tuple(table for table in metadata.sorted_tables if "account_id" in table.c)
