"""Fixture files: accounts and their data, loaded in one transaction (a bad fixture changes nothing).

A fixture is JSON (or YAML when PyYAML is installed)::

    {"accounts": [{"name": "acme", "plan": "premium", "timezone": "UTC",
                   "owner": {"login": "owner", "password": "secret"},
                   "users": [...], "user_groups": [...], "api_keys": [...], "tokens": [...]}]}

``name``, ``plan``, ``timezone``, ``status``, ``data_centre`` and ``owner`` describe the account
itself; every other key of an account is a *section*, loaded by the function registered for it
with ``@section("name")``. Sections run in their ``order``; references between them go through
``SeedContext.remember``/``ref`` (by login, by name), and work that needs a later section
(group memberships need the groups) is queued with ``SeedContext.later``.

A domain adds its sections in a module ``planfix_server.domain.<area>.fixtures``; it is found
and imported on first use, so the loader core never changes for a new section. The built-in
sections (users, user groups, API keys, tokens) are in ``planfix_server.sandbox.sections``.

``load_sections`` loads sections alone into an account that exists already (e.g. one provisioned
by a test).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import pkgutil
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from planfix_server import security
from planfix_server.api.errors import ApiError
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import create_user
from planfix_server.security import Passwords
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from planfix_server.store.records import AccountRecord
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import users as users_table
from planfix_server.store.uow import AccountUnitOfWork

Fixture = dict[str, Any]
SectionLoader = Callable[["SeedContext", Any, str], None]

ACCOUNT_FIELDS = ("name", "plan", "timezone", "status", "data_centre", "owner")
OWNER_FIELDS = ("login", "password", "name", "last_name", "email")
NAME_LIMIT = 100
_ABSENT = object()
# The users of an account, to make them referable by login when sections go into an existing account.
_ACCOUNT_USERS = Scoped(
    select(users_table).where(users_table.c.account_id == bindparam("tenant")).order_by(users_table.c.id)
)


class FixtureError(ValueError):
    """A fixture that cannot be loaded; the message names the place (``accounts[0].users[1].role``)."""


# -- the registry of sections


@dataclass(frozen=True)
class Section:
    name: str
    load: SectionLoader
    order: int
    default: Any = _ABSENT  # used when an account leaves the section out; _ABSENT: skip it


SECTIONS: dict[str, Section] = {}


def section(
    name: str, *, order: int = 100, default: Any = _ABSENT
) -> Callable[[SectionLoader], SectionLoader]:
    """Register the loader of an account's section ``name``.

    The loader gets the context of the account being loaded, the section's value and its place
    in the fixture (for error messages). Lower ``order`` runs first; ``default`` stands in for a
    section the account leaves out (e.g. one generated API key).
    """

    def register(load: SectionLoader) -> SectionLoader:
        if name in SECTIONS and SECTIONS[name].load is not load:
            raise RuntimeError(f"fixture section {name!r} registered twice")
        if name in ACCOUNT_FIELDS:
            raise RuntimeError(f"{name!r} is a field of the account, not a section")
        SECTIONS[name] = Section(name, load, order, default)
        return load

    return register


_discovered = False


def discover_sections() -> dict[str, Section]:
    """Import the built-in sections and every ``planfix_server.domain.<area>.fixtures`` module."""
    global _discovered
    if not _discovered:
        importlib.import_module("planfix_server.sandbox.sections")
        import planfix_server.domain as domain

        for info in pkgutil.iter_modules(domain.__path__):
            name = f"planfix_server.domain.{info.name}.fixtures"
            if info.ispkg and importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
        _discovered = True
    return SECTIONS


# -- reading values


class Item:
    """One mapping of a fixture, read field by field; a field not listed is an error."""

    def __init__(self, data: Any, where: str, fields: Collection[str]) -> None:
        if not isinstance(data, Mapping):
            raise FixtureError(f"{where}: expected a mapping, got {_kind(data)}")
        unknown = [str(key) for key in data if key not in fields]
        if unknown:
            raise FixtureError(
                f"{where}: unknown field {', '.join(map(repr, unknown))}; allowed: {', '.join(fields)}"
            )
        self.data = data
        self.where = where

    def at(self, name: str) -> str:
        return f"{self.where}.{name}"

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, default: str | None = None, *, choices: Collection[str] = ()) -> str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise FixtureError(f"{self.at(name)}: expected text, got {_kind(value)} (quote it in YAML)")
        if choices and value not in choices:
            raise FixtureError(f"{self.at(name)}: {value!r} is not one of {', '.join(choices)}")
        return value

    def need(self, name: str, default: str | None = None, *, choices: Collection[str] = ()) -> str:
        """A text that must be there and not blank (``default`` when left out)."""
        value = self.text(name, default, choices=choices)
        if value is None or not value.strip():
            raise FixtureError(f"{self.at(name)}: required")
        return value.strip()

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise FixtureError(f"{self.at(name)}: expected true or false, got {_kind(value)}")
        return value

    def texts(self, name: str) -> list[str] | None:
        """A list of texts; None when left out."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(one, str) for one in value):
            raise FixtureError(f"{self.at(name)}: expected a list of texts")
        return [one.strip() for one in value]


def entries(data: Any, where: str) -> Iterator[tuple[Any, str]]:
    """The elements of a list section with their places (``where[0]``, ``where[1]``, …)."""
    if not isinstance(data, list):
        raise FixtureError(f"{where}: expected a list, got {_kind(data)}")
    for index, value in enumerate(data):
        yield value, f"{where}[{index}]"


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


# -- loading


@dataclass
class SeedContext:
    """What a section loader works with: one account, inside the fixture's transaction."""

    connection: Connection
    account: AccountRecord
    uow: AccountUnitOfWork
    now: dt.datetime
    passwords: Passwords
    owner_login: str
    result: dict[str, Any]  # this account's part of the answer; sections add their keys
    refs: dict[str, dict[str, int]] = field(default_factory=dict)
    _later: list[tuple[str, Callable[[], None]]] = field(default_factory=list)

    def remember(self, kind: str, name: str, ident: int, where: str) -> None:
        """Make ``name`` of ``kind`` (``users`` by login, ``user_groups`` by name …) referable."""
        known = self.refs.setdefault(kind, {})
        if name in known:
            raise FixtureError(f"{where}: {name!r} appears twice in {kind}")
        known[name] = ident

    def ref(self, kind: str, name: str, where: str) -> int:
        found = self.refs.get(kind, {}).get(name)
        if found is None:
            raise FixtureError(f"{where}: no {kind} entry {name!r} in this account")
        return found

    def later(self, where: str, step: Callable[[], None]) -> None:
        """Run ``step`` after every section of the account (for references to later sections)."""
        self._later.append((where, step))

    def at(self, where: str) -> AbstractContextManager[None]:
        """Turn the domain's refusals (an ApiError, a constraint) into a FixtureError at ``where``."""
        return refusals_at(where)

    def run_later(self) -> None:
        for where, step in self._later:
            with self.at(where):
                step()


@contextmanager
def refusals_at(where: str) -> Iterator[None]:
    try:
        yield
    except ApiError as exc:
        raise FixtureError(f"{where}: {exc}") from None
    except IntegrityError as exc:
        raise FixtureError(f"{where}: conflicts with existing data ({type(exc.orig).__name__})") from None


def parse_fixture(source: str | bytes, *, kind: str | None = None) -> Fixture:
    """A fixture from JSON or YAML text. ``kind``: "json", "yaml" or None (JSON if it starts with ``{``)."""
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    if kind is None:
        kind = "json" if text.lstrip().startswith("{") else "yaml"
    if kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FixtureError(f"not valid JSON: {exc}") from None
    elif kind == "yaml":
        try:
            # Optional (the ``sandbox`` extra), and without type stubs: imported by name.
            yaml: Any = importlib.import_module("yaml")
        except ImportError:
            raise FixtureError(
                "YAML fixtures need PyYAML: pip install 'planfix-server[sandbox]', or write JSON"
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise FixtureError(f"not valid YAML: {exc}") from None
    else:
        raise FixtureError(f"unknown fixture format {kind!r}; json or yaml")
    if not isinstance(data, dict):
        hint = " (to load a file, pass a pathlib.Path)" if isinstance(data, str) else ""
        raise FixtureError(f"a fixture is a mapping with 'accounts', not {_kind(data)}{hint}")
    return data


def read_fixture(path: str | Path) -> Fixture:
    """A fixture file; ``.yaml``/``.yml`` is YAML, ``.json`` JSON, anything else by its first character."""
    path = Path(path)
    suffix = path.suffix.lower()
    kind = "yaml" if suffix in (".yaml", ".yml") else "json" if suffix == ".json" else None
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise FixtureError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_fixture(source, kind=kind)


def load_fixture(
    connection: Connection,
    fixture: Fixture | Mapping[str, Any] | str | bytes,
    *,
    passwords: Passwords,
    now: dt.datetime,
    data_centre: str,
) -> dict[str, Any]:
    """Create what ``fixture`` describes on ``connection``; the caller commits (or rolls back).

    Returns, per account, its id, the owner and every secret (given or generated), so a test
    can use them: ``{"accounts": [{"name", "id", "owner", "users", "api_keys", "tokens", …}]}``.
    """
    if isinstance(fixture, str | bytes):
        fixture = parse_fixture(fixture)
    top = Item(fixture, "fixture", ("accounts",))
    sections = discover_sections()
    loaded = [
        _load_account(connection, data, where, sections, passwords, now, data_centre)
        for data, where in entries(top.data.get("accounts", []), "accounts")
    ]
    return {"accounts": loaded}


def _load_account(
    connection: Connection,
    data: Any,
    where: str,
    sections: Mapping[str, Section],
    passwords: Passwords,
    now: dt.datetime,
    data_centre: str,
) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise FixtureError(f"{where}: expected a mapping, got {_kind(data)}")
    unknown = [str(key) for key in data if key not in ACCOUNT_FIELDS and key not in sections]
    if unknown:
        raise FixtureError(
            f"{where}: unknown section {', '.join(map(repr, unknown))}; sections: "
            f"{', '.join(sorted(sections))}; account fields: {', '.join(ACCOUNT_FIELDS)}"
        )
    core = Item({k: v for k, v in data.items() if k in ACCOUNT_FIELDS}, where, ACCOUNT_FIELDS)
    name = core.need("name")
    if len(name) > NAME_LIMIT:
        raise FixtureError(f"{core.at('name')}: longer than {NAME_LIMIT} characters")
    where = f"{where} ({name})"
    plan = core.need("plan", "premium", choices=accounts.PLANS)
    timezone = core.need("timezone", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise FixtureError(f"{where}.timezone: unknown time zone {timezone!r}") from None
    status = core.need("status", "active", choices=accounts.STATUSES)
    centre = core.need("data_centre", data_centre)
    if accounts.find(connection, name) is not None:
        raise FixtureError(f"{where}: the account exists (reset it first, or choose another name)")
    owner = Item(data.get("owner") or {}, f"{where}.owner", OWNER_FIELDS)
    owner_login = owner.need("login", "owner")
    password = owner.text("password") or security.new_password()

    account = accounts.create(connection, name, plan, centre, timezone, now)
    if status != "active":
        accounts.set_fields(connection, account.id, status=status)
    uow = AccountUnitOfWork(connection, account.id)
    with refusals_at(owner.where):
        made = create_user(
            uow,
            now,
            login=owner_login,
            password_hash=passwords.hash(password),
            name=owner.text("name") or owner_login,
            last_name=owner.text("last_name") or "",
            email=owner.text("email"),
            role="ADMIN",
            is_owner=True,
        )
    result: dict[str, Any] = {
        "name": name,
        "id": account.id,
        "plan": plan,
        "owner": {"id": made.id, "login": owner_login, "password": password},
    }
    context = SeedContext(connection, account, uow, now, passwords, owner_login, result)
    context.remember("users", owner_login, made.id, owner.where)
    _load_sections(context, data, sections, where, defaults=True)
    return result


def _load_sections(
    context: SeedContext,
    data: Mapping[str, Any],
    sections: Mapping[str, Section],
    where: str,
    *,
    defaults: bool,
) -> None:
    """Every section ``data`` gives (with ``defaults``: also the defaulted ones), in their order."""
    for declared in sorted(sections.values(), key=lambda s: (s.order, s.name)):
        value = data.get(declared.name, declared.default if defaults else _ABSENT)
        if value is not _ABSENT:
            declared.load(context, value, f"{where}.{declared.name}")
    context.run_later()


def load_sections(
    connection: Connection,
    account: AccountRecord,
    data: Mapping[str, Any] | str | bytes,
    *,
    passwords: Passwords,
    now: dt.datetime,
    where: str = "sections",
) -> dict[str, Any]:
    """Load fixture sections into an account that exists already; the caller commits (or rolls back).

    ``data`` is an account's entry of a fixture without the account's own fields: only the
    sections it gives are loaded (none by default: the account has its keys and tokens). The
    account's users are referable by login. Returns what the sections answer, as ``load_fixture``
    does per account (``{"users": {login: id}, "handbooks": {...}, ...}``).
    """
    if isinstance(data, str | bytes):
        data = parse_fixture(data)
    if not isinstance(data, Mapping):
        raise FixtureError(f"{where}: expected a mapping of sections, got {_kind(data)}")
    sections = discover_sections()
    unknown = [str(key) for key in data if key not in sections]
    if unknown:
        raise FixtureError(
            f"{where}: unknown section {', '.join(map(repr, unknown))}; "
            f"sections: {', '.join(sorted(sections))}"
        )
    uow = AccountUnitOfWork(connection, account.id)
    users = uow.get(UserRepository).select_users(_ACCOUNT_USERS)
    owner = next((user for user in users if user.is_owner), None)
    if owner is None:
        raise FixtureError(f"{where}: the account {account.name!r} has no owner")
    context = SeedContext(connection, account, uow, now, passwords, owner.login, {})
    for user in users:
        context.remember("users", user.login, user.id, where)
    _load_sections(context, data, sections, where, defaults=False)
    return context.result


def seed(
    engine: Engine,
    fixture: Fixture | Mapping[str, Any] | str | bytes,
    *,
    passwords: Passwords,
    now: dt.datetime,
    data_centre: str,
) -> dict[str, Any]:
    """``load_fixture`` in a transaction of its own: all of it is committed, or none of it."""
    with engine.connect() as connection:
        connection.info[WRITE] = True
        loaded = load_fixture(connection, fixture, passwords=passwords, now=now, data_centre=data_centre)
        connection.commit()
    return loaded
