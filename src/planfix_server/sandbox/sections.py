"""The built-in fixture sections of an account: users, user groups, API keys and tokens.

Secrets may be given with fixed values, so tests can hard-code them (the store keeps only their
digests, as for generated ones); left out, they are generated and returned by the loader.
"""

from __future__ import annotations

from typing import Any

from planfix_server import security
from planfix_server.api.catalogue import ALL_FUNCTIONS
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import (
    ROLES,
    STATUSES,
    TECHADMIN_PLANS,
    create_user,
    set_group_head,
)
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section
from planfix_server.store.tables import api_keys, tokens

USER_FIELDS = ("login", "password", "name", "mid_name", "last_name", "email", "role", "status", "groups")
GROUP_FIELDS = ("name", "heads")
KEY_FIELDS = ("api_key", "signature_key", "require_signature", "blocked")
TOKEN_FIELDS = ("token", "user", "methods", "revoked")


def _secret(item: Item, name: str, *, basic_user: bool = False) -> str:
    """A fixed secret from the fixture, or a fresh one."""
    value = item.text(name)
    if value is None:
        return security.new_key()
    if not value or value != value.strip() or any(ch.isspace() for ch in value):
        raise FixtureError(f"{item.at(name)}: a secret is one word without spaces")
    if basic_user and ":" in value:
        # The API key is the user name of HTTP Basic, which ends at the first colon.
        raise FixtureError(f"{item.at(name)}: an API key cannot contain ':'")
    return value


@section("users", order=10, default=[])
def load_users(context: SeedContext, data: Any, where: str) -> None:
    """Employees: login, password (none: tokens only), names, e-mail, role, status, groups."""
    repo = context.uow.get(UserRepository)
    for value, place in entries(data, where):
        item = Item(value, place, USER_FIELDS)
        login = item.need("login")
        role = item.need("role", "USER", choices=ROLES)
        if role == "TECHADMIN" and context.account.plan not in TECHADMIN_PLANS:
            raise FixtureError(f"{item.at('role')}: TECHADMIN needs the {', '.join(TECHADMIN_PLANS)} plan")
        password = item.text("password")
        with context.at(place):
            made = create_user(
                context.uow,
                context.now,
                login=login,
                password_hash=context.passwords.hash(password) if password else None,
                name=item.text("name") or login,
                mid_name=item.text("mid_name") or "",
                last_name=item.text("last_name") or "",
                email=item.text("email"),
                role=role,
                status=item.need("status", "ACTIVE", choices=STATUSES),
            )
        context.remember("users", login, made.id, place)
        groups = item.texts("groups")
        if groups:

            def join(user_id: int = made.id, names: list[str] = groups, at: str = item.at("groups")) -> None:
                repo.add_memberships(user_id, [context.ref("user_groups", name, at) for name in names])

            context.later(item.at("groups"), join)
    context.result["users"] = dict(context.refs["users"])


@section("user_groups", order=20)
def load_user_groups(context: SeedContext, data: Any, where: str) -> None:
    """User groups by name, with their heads (logins); members are listed on the users."""
    repo = context.uow.get(UserRepository)
    made: dict[str, int] = {}
    for value, place in entries(data, where):
        item = Item(value, place, GROUP_FIELDS)
        name = item.need("name")
        group_id = context.uow.next_id("user_groups")
        with context.at(place):
            repo.add_group(group_id, name, context.now)
        context.remember("user_groups", name, group_id, place)
        made[name] = group_id
        for login in item.texts("heads") or []:
            user_id = context.ref("users", login, item.at("heads"))
            with context.at(item.at("heads")):
                set_group_head(context.uow, group_id, user_id)
    context.result["user_groups"] = made


@section("api_keys", order=30, default=[{}])
def load_api_keys(context: SeedContext, data: Any, where: str) -> None:
    """API keys with their signature keys; left out: one generated pair."""
    repo = context.uow.get(AccessRepository)
    issued: list[dict[str, Any]] = []
    seen: set[str] = set()
    for value, place in entries(data, where):
        item = Item(value, place, KEY_FIELDS)
        api_key = _secret(item, "api_key", basic_user=True)
        digest = security.digest(api_key)
        if digest in seen:
            raise FixtureError(f"{item.at('api_key')}: the same key twice")
        seen.add(digest)
        signature_key = _secret(item, "signature_key")
        require_signature, blocked = item.flag("require_signature"), item.flag("blocked")
        with context.at(place):
            repo.insert(
                api_keys,
                id=context.uow.next_id("api_keys"),
                key_hash=digest,
                key_hint=security.hint(api_key),
                signature_key=signature_key,
                blocked=blocked,
                require_signature=require_signature,
                created_at=context.now,
            )
        issued.append(
            {
                "api_key": api_key,
                "signature_key": signature_key,
                "require_signature": require_signature,
                "blocked": blocked,
            }
        )
    context.result["api_keys"] = issued


@section("tokens", order=40, default=[{}])
def load_tokens(context: SeedContext, data: Any, where: str) -> None:
    """Tokens bound to users (default: the owner), optionally limited to some functions."""
    repo = context.uow.get(AccessRepository)
    issued: list[dict[str, Any]] = []
    seen: set[str] = set()
    for value, place in entries(data, where):
        item = Item(value, place, TOKEN_FIELDS)
        token = _secret(item, "token")
        digest = security.digest(token)
        if digest in seen:
            raise FixtureError(f"{item.at('token')}: the same token twice")
        seen.add(digest)
        login = item.need("user", context.owner_login)
        user_id = context.ref("users", login, item.at("user"))
        methods = item.texts("methods")
        if methods is not None:
            unknown = [name for name in methods if name not in ALL_FUNCTIONS]
            if unknown or not methods:
                raise FixtureError(
                    f"{item.at('methods')}: "
                    + (f"unknown function(s) {', '.join(unknown)}" if unknown else "lists no function")
                )
        revoked = item.flag("revoked")
        with context.at(place):
            repo.insert(
                tokens,
                id=context.uow.next_id("tokens"),
                token_hash=digest,
                token_hint=security.hint(token),
                user_id=user_id,
                methods=",".join(methods) if methods else None,
                revoked_at=context.now if revoked else None,
                created_at=context.now,
            )
        issued.append({"token": token, "user": login, "methods": methods, "revoked": revoked})
    context.result["tokens"] = issued
