"""Plain typed records read from the store (what services and handlers work with)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def from_row(cls: type[T], row: Any) -> T:
    """Build a record from a row whose column names match the record's fields."""
    fields = getattr(row, "_fields", None)
    if fields is None:  # a mapping
        names = cls.__dataclass_fields__  # type: ignore[attr-defined]
        return cls(**{name: row[name] for name in names if name in row})
    # By position: looking each field up by name in the row cost more than the query of a list page.
    plan = _PLANS.get((cls, fields))
    if plan is None:
        plan = _PLANS[(cls, fields)] = _positions(cls, fields)
    return cls(**{name: row[index] for index, name in plan})


# (record class, a row's column names) -> where each field sits; a handful of query shapes each.
_PLANS: dict[tuple[type[Any], tuple[str, ...]], tuple[tuple[int, str], ...]] = {}


def _positions(cls: type[Any], fields: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """(position in the row, field) of each of the record's fields that a row of ``fields`` has."""
    names = cls.__dataclass_fields__
    first = {name: index for index, name in reversed(list(enumerate(fields)))}
    return tuple((first[name], name) for name in names if name in first)


@dataclass(frozen=True, slots=True)
class AccountRecord:
    id: int
    name: str
    plan: str
    status: str
    data_centre: str
    timezone: str
    created_at: dt.datetime
    definitions_tag: str = ""  # see store/shared.py


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    account_id: int
    id: int
    key_hint: str
    signature_key: str
    blocked: bool
    require_signature: bool
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    account_id: int
    id: int
    token_hint: str
    user_id: int
    methods: str | None
    revoked_at: dt.datetime | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None

    @property
    def allowed_methods(self) -> frozenset[str] | None:
        """None: every function; otherwise the whitelist."""
        if not self.methods:
            return None
        return frozenset(name.strip() for name in self.methods.split(",") if name.strip())


@dataclass(frozen=True, slots=True)
class PhoneRecord:
    number: str
    type_id: int
    type_name: str


@dataclass(frozen=True, slots=True)
class GroupRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class UserRecord:
    account_id: int
    id: int
    general: int
    login: str
    name: str
    mid_name: str
    last_name: str
    email: str | None
    role: str
    status: str
    birthdate: dt.date | None
    sex: str | None
    telegram_id: int | None
    timezone: str
    is_invisible_out_of_group: bool
    is_blind_out_of_group: bool
    post_id: int | None
    userpic_version: str | None
    is_owner: bool
    is_robot: bool
    created_at: dt.datetime
    last_seen_at: dt.datetime | None
    password_hash: str | None = field(default=None, repr=False)

    @property
    def is_active(self) -> bool:
        return self.status == "ACTIVE"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.name, self.mid_name) if part)
