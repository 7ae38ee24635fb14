"""Users: list, create, deactivate and activate, reset a password (rules from domain/users/service)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.responses import Response

from planfix_server import security
from planfix_server.admin.auth import SESSION_COOKIE, SESSION_TTL, set_cookie
from planfix_server.admin.site import Site, Visit
from planfix_server.api import errors
from planfix_server.domain.contacts.identity import RESERVED_LOGIN_PREFIX
from planfix_server.domain.users.queries import UserQuery, visibility
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import UserChanges, change_status, create_user, update_user
from planfix_server.domain.users.views import is_employee
from planfix_server.store.records import UserRecord

PAGE_SIZE = 100
ROLES = {"USER": "Employee", "ADMIN": "Administrator"}
MIN_PASSWORD = 8
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Secret:
    """A password to show once: who it belongs to and what happened."""

    user: UserRecord
    password: str
    what: str


def _page_number(visit: Visit) -> int:
    text = visit.request.query_params.get("page", "1")
    return max(1, int(text)) if text.isdigit() else 1


def users_page(
    site: Site, visit: Visit, secret: Secret | None = None, error: str = "", status: int = 200
) -> Response:
    page = _page_number(visit)
    found, total = visit.uow.get(UserRepository).list_users(
        UserQuery(sort="NAME_ASC"), visibility(visit.user, set()), (page - 1) * PAGE_SIZE, PAGE_SIZE
    )
    form = visit.form if error else None
    return site.render(
        visit,
        "users.html",
        status,
        section="users",
        users=found,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        roles=ROLES,
        shown=secret,
        error=error,
        values={name: form.get(name) if form else "" for name in ("name", "login", "email", "role")},
    )


def show(site: Site, visit: Visit) -> Response:
    return users_page(site, visit)


def _password(visit: Visit) -> tuple[str, bool, str]:
    """(password, generated, error): the one typed, or a new random one when the field is empty."""
    typed = visit.form.raw("password")
    if not typed:
        return security.new_password(), True, ""
    if len(typed) < MIN_PASSWORD:
        return "", False, f"A password needs at least {MIN_PASSWORD} characters."
    return typed, False, ""


def create(site: Site, visit: Visit) -> Response:
    form = visit.form
    login, name, email, role = form.get("login"), form.get("name"), form.get("email"), form.get("role")
    problem = ""
    if not login:
        problem = "Give the user a login."
    elif login.startswith(RESERVED_LOGIN_PREFIX):
        problem = f"A login may not start with {RESERVED_LOGIN_PREFIX}."
    elif email and not _EMAIL.fullmatch(email):
        problem = "That e-mail address does not look right."
    elif role not in ROLES:
        problem = "Choose a role."
    password, generated, weak = _password(visit)
    problem = problem or weak
    if problem:
        return users_page(site, visit, error=problem, status=400)
    try:
        user = create_user(
            visit.uow,
            visit.now,
            login=login[:200],
            password_hash=site.server.passwords.hash(password),
            name=(name or login)[:200],
            email=email or None,
            role=role,
        )
    except errors.EmailInUse:
        return users_page(site, visit, error="That login or e-mail is already taken.", status=400)
    shown = Secret(user, password, "created") if generated else None
    if shown is None:
        return site.redirect(visit.request, "/account/users", f"User {user.login} created.")
    return users_page(site, visit, secret=shown)


def _target(visit: Visit) -> UserRecord | None:
    """The employee the page acts on; contacts are managed through their PlanFix access instead."""
    found = visit.uow.get(UserRepository).by_id(int(visit.request.path_params["user_id"]))
    return found if is_employee(found) else None


def set_status(site: Site, visit: Visit) -> Response:
    target = _target(visit)
    action = visit.request.path_params["action"]
    if target is None or action not in ("deactivate", "activate"):
        return site.redirect(visit.request, "/account/users", "No such user.", "error")
    wanted = "UNACTIVE" if action == "deactivate" else "ACTIVE"
    try:
        change_status(visit.uow, visit.user, target.id, wanted)
    except errors.ValueNotAllowedHere:
        reason = "yourself" if target.id == visit.user.id else "the account owner"
        return site.redirect(visit.request, "/account/users", f"You cannot deactivate {reason}.", "error")
    done = "deactivated: its calls answer 0014" if wanted == "UNACTIVE" else "active again"
    return site.redirect(visit.request, "/account/users", f"User {target.login} {done}.")


def reset_password(site: Site, visit: Visit) -> Response:
    target = _target(visit)
    if target is None:
        return site.redirect(visit.request, "/account/users", "No such user.", "error")
    if target.is_robot:
        return site.redirect(
            visit.request, "/account/users", "Robot users have no password; they use tokens.", "error"
        )
    password, generated, weak = _password(visit)
    if weak:
        return site.redirect(visit.request, "/account/users", weak, "error")
    update_user(
        visit.uow,
        visit.user,
        target.id,
        UserChanges(password=password),
        plan=visit.account.plan,
        hash_password=site.server.passwords.hash,
    )
    cookie = None
    if target.id == visit.user.id:
        # A new password ends the sessions of its user; keep this one alive with a fresh session.
        changed = visit.uow.get(UserRepository).by_id(target.id)
        assert changed is not None
        visit.session, cookie = site.sessions.issue(changed, visit.now)
    if generated:
        response = users_page(site, visit, secret=Secret(target, password, "reset"))
    else:
        response = site.redirect(visit.request, "/account/users", f"Password of {target.login} changed.")
    if cookie is not None:
        set_cookie(visit.request, response, SESSION_COOKIE, cookie, int(SESSION_TTL.total_seconds()))
    return response
