"""``planfix-server user|key|token …``: the people and the credentials of an account."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.engine import Connection

from planfix_server import security
from planfix_server.api import errors
from planfix_server.api.catalogue import ALL_FUNCTIONS
from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.access.service import issue_key, issue_token
from planfix_server.domain.users.queries import UserQuery, seen_by_everyone
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import create_user
from planfix_server.domain.users.views import is_employee
from planfix_server.store.records import UserRecord
from planfix_server.store.uow import AccountUnitOfWork

# More than any account has; the command lists every employee on one page.
MAX_LISTED = 1_000_000


def _moment(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def require_user(uow: AccountUnitOfWork, account: str, login: str, *, contacts: bool = False) -> UserRecord:
    """The employee with ``login`` (or a contact's user row too, when ``contacts``)."""
    found = uow.get(UserRepository).by_login(login)
    if found is None:
        raise fail(f"no user {login!r} in account {account!r}")
    if not contacts and not is_employee(found):
        raise fail(f"{login!r} is a contact of account {account!r}; `contact-access` manages its sign-in")
    return found


def _uow(connection: Connection, account: str) -> AccountUnitOfWork:
    return AccountUnitOfWork(connection, require_account(connection, account).id)


# -- users


@click.group("user")
def user() -> None:
    """Employees of an account."""


@user.command("create")
@click.argument("account")
@click.option("--login", required=True, help="Sign-in name.")
@click.option("--password", default=None, help="Password for auth.login. Default: none (tokens only).")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--name", default="", help="Display name. Default: the login.")
@click.option("--email", default=None, help="E-mail address.")
@with_runtime
def create_user_command(
    rt: Runtime, account: str, login: str, password: str | None, admin: bool, name: str, email: str | None
) -> None:
    """Add a user to ACCOUNT."""
    login = login.strip()
    if not login:
        raise fail("--login must not be empty")
    password_hash = rt.passwords().hash(password) if password else None
    with rt.writing() as connection:
        uow = _uow(connection, account)
        users = uow.get(UserRepository)
        if users.id_with_login(login) is not None:
            raise fail(f"login {login!r} is taken in account {account!r}")
        if email and users.id_with_email(email) is not None:
            raise fail(f"e-mail {email!r} is in use in account {account!r}")
        try:
            made = create_user(
                uow,
                now(),
                login=login,
                password_hash=password_hash,
                name=name or login,
                email=email,
                role="ADMIN" if admin else "USER",
            )
        except errors.ApiError as exc:
            raise fail(f"cannot create user {login!r}: {exc}") from None
    rt.emit({"id": made.id, "login": made.login})


def _set_status(rt: Runtime, account: str, login: str, status: str) -> None:
    with rt.writing() as connection:
        uow = _uow(connection, account)
        found = require_user(uow, account, login)
        if found.is_owner and status != "ACTIVE":
            raise fail(f"{login!r} owns account {account!r} and cannot be deactivated")
        uow.get(UserRepository).update_user(found.id, status=status)
    rt.emit({"id": found.id, "login": found.login, "status": status})


@user.command("list")
@click.argument("account")
@with_runtime
def list_users(rt: Runtime, account: str) -> None:
    """The employees of ACCOUNT (contacts are not listed: see `contact-access`)."""
    with rt.reading() as connection:
        users = _uow(connection, account).get(UserRepository)
        records, _ = users.list_users(UserQuery(sort="NAME_ASC"), seen_by_everyone(), 0, MAX_LISTED)
        found = [
            {"id": r.id, "login": r.login, "name": r.full_name, "role": r.role, "status": r.status}
            for r in records
        ]
    columns = ["id", "login", "name", "role", "status"]
    rt.emit({"users": found}, table(f"Users of {account}", columns, [[u[c] for c in columns] for u in found]))


@user.command("deactivate")
@click.argument("account")
@click.argument("login")
@with_runtime
def deactivate(rt: Runtime, account: str, login: str) -> None:
    """Deactivate user LOGIN of ACCOUNT: its calls answer 0014."""
    _set_status(rt, account, login, "UNACTIVE")


@user.command("activate")
@click.argument("account")
@click.argument("login")
@with_runtime
def activate(rt: Runtime, account: str, login: str) -> None:
    """Make user LOGIN of ACCOUNT active again."""
    _set_status(rt, account, login, "ACTIVE")


# -- API keys


@click.group("key")
def key() -> None:
    """API keys and their signature keys.

    The API key is the user name of the HTTP Basic header.
    """


@key.command("create")
@click.argument("account")
@click.option("--require-signature", is_flag=True, help="Refuse unsigned requests made with this key.")
@with_runtime
def create_key(rt: Runtime, account: str, require_signature: bool) -> None:
    """Issue an API key and its signature key for ACCOUNT (shown only now)."""
    with rt.writing() as connection:
        issued = issue_key(_uow(connection, account), now(), require_signature=require_signature)
    rt.emit({"api_key": issued.api_key, "signature_key": issued.signature_key})


def _block(rt: Runtime, account: str, api_key: str, blocked: bool) -> None:
    with rt.writing() as connection:
        uow = _uow(connection, account)
        if not uow.get(AccessRepository).set_key_blocked(security.digest(api_key), blocked):
            raise fail(f"no such API key in account {account!r}")
    rt.emit({"api_key": security.hint(api_key.strip().lower()), "blocked": blocked})


@key.command("block")
@click.argument("account")
@click.argument("api_key")
@with_runtime
def block(rt: Runtime, account: str, api_key: str) -> None:
    """Block API_KEY of ACCOUNT: its calls answer 0002."""
    _block(rt, account, api_key, True)


@key.command("unblock")
@click.argument("account")
@click.argument("api_key")
@with_runtime
def unblock(rt: Runtime, account: str, api_key: str) -> None:
    """Unblock API_KEY of ACCOUNT."""
    _block(rt, account, api_key, False)


@key.command("list")
@click.argument("account")
@with_runtime
def list_keys(rt: Runtime, account: str) -> None:
    """The API keys of ACCOUNT (first characters only)."""
    with rt.reading() as connection:
        records = _uow(connection, account).get(AccessRepository).keys()
        found = [
            {
                "id": record.id,
                "hint": record.key_hint,
                "blocked": record.blocked,
                "require_signature": record.require_signature,
                "created_at": _moment(record.created_at),
                "last_used_at": _moment(record.last_used_at),
            }
            for record in records
        ]
    columns = ["id", "hint", "blocked", "require_signature", "created_at", "last_used_at"]
    rt.emit(
        {"keys": found}, table(f"API keys of {account}", columns, [[k[c] for c in columns] for k in found])
    )


# -- tokens


def _login_of(users: UserRepository, user_id: int) -> str:
    found = users.by_id(user_id)
    return found.login if found is not None else f"#{user_id}"


def parse_methods(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise fail("--methods lists no function")
    unknown = [name for name in names if name not in ALL_FUNCTIONS]
    if unknown:
        raise fail(
            f"unknown function(s): {', '.join(unknown)}; `planfix-server methods` lists the 79 of XML API v1"
        )
    return names


@click.group("token")
def token() -> None:
    """Tokens: each acts as one user of an account.

    The token is the password of the HTTP Basic header.
    """


@token.command("create")
@click.argument("account")
@click.option(
    "--user",
    "login",
    required=True,
    help="Login of the user the token acts as: an employee, or a contact with active PlanFix access.",
)
@click.option("--methods", default=None, metavar="M1,M2,…", help="Allow only these functions (others 0020).")
@with_runtime
def create_token(rt: Runtime, account: str, login: str, methods: str | None) -> None:
    """Issue a token of ACCOUNT for a user (shown only now)."""
    allowed = parse_methods(methods)
    with rt.writing() as connection:
        uow = _uow(connection, account)
        found = require_user(uow, account, login, contacts=True)
        if not is_employee(found) and not found.is_active:
            # A token acts with the contact's rights, so only an activated access may have one.
            raise fail(f"{login!r} is a contact without active PlanFix access in account {account!r}")
        issued = issue_token(uow, now(), found.id, allowed)
    rt.emit({"token": issued})


@token.command("revoke")
@click.argument("account")
@click.argument("token_value", metavar="TOKEN")
@with_runtime
def revoke(rt: Runtime, account: str, token_value: str) -> None:
    """Revoke TOKEN of ACCOUNT: its calls answer 0012."""
    with rt.writing() as connection:
        repo = _uow(connection, account).get(AccessRepository)
        if not repo.revoke_token(security.digest(token_value), now()):
            raise fail(f"no such live token in account {account!r}")
    rt.emit({"token": security.hint(token_value.strip().lower()), "revoked": True})


@token.command("list")
@click.argument("account")
@with_runtime
def list_tokens(rt: Runtime, account: str) -> None:
    """The tokens of ACCOUNT (first characters only)."""
    with rt.reading() as connection:
        uow = _uow(connection, account)
        users = uow.get(UserRepository)
        found = [
            {
                "id": record.id,
                "hint": record.token_hint,
                "user": _login_of(users, record.user_id),
                "methods": record.methods,
                "revoked_at": _moment(record.revoked_at),
                "created_at": _moment(record.created_at),
                "last_used_at": _moment(record.last_used_at),
            }
            for record in uow.get(AccessRepository).tokens()
        ]
    columns = ["id", "hint", "user", "methods", "revoked_at", "created_at", "last_used_at"]
    rt.emit(
        {"tokens": found}, table(f"Tokens of {account}", columns, [[t[c] for c in columns] for t in found])
    )
