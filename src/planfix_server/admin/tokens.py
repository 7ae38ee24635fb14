"""Tokens: create one for a user or a new robot user (optionally limited to chosen functions), revoke."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.responses import Response

from planfix_server.admin.keys import FREE_PLAN
from planfix_server.admin.site import Site, Visit
from planfix_server.api.catalogue import ALL_FUNCTIONS, SECTIONS
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.users.queries import UserQuery, visibility
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import create_user
from planfix_server.domain.users.views import is_employee
from planfix_server.store.records import UserRecord

NEW_ROBOT = "new-robot"
MAX_LISTED_USERS = 500


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user: UserRecord
    methods: list[str]


def robot_login(users: UserRepository, name: str) -> str:
    """A free login ``robot.<name>`` (``robot.<name>.2``, … when taken)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "api"
    login, number = f"robot.{slug}", 1
    while users.id_with_login(login) is not None:
        number += 1
        login = f"robot.{slug}.{number}"
    return login


def tokens_page(
    site: Site, visit: Visit, issued: IssuedToken | None = None, error: str = "", status: int = 200
) -> Response:
    users = visit.uow.get(UserRepository)
    records = visit.uow.get(AccessRepository).tokens()
    names: dict[int, UserRecord | None] = {}
    for record in records:
        if record.user_id not in names:
            names[record.user_id] = users.by_id(record.user_id)
    active, _ = users.list_users(
        UserQuery(status="ACTIVE"), visibility(visit.user, set()), 0, MAX_LISTED_USERS
    )
    form = visit.form if error else None
    return site.render(
        visit,
        "tokens.html",
        status,
        section="tokens",
        tokens=records,
        owners=names,
        users=active,
        sections=SECTIONS,
        issued=issued,
        error=error,
        chosen_user=form.get("user") if form else str(visit.user.id),
        robot_name=form.get("robot_name") if form else "",
        chosen_methods=set(form.getlist("methods")) if form else set(),
        scope=form.get("scope") if form else "all",
    )


def show(site: Site, visit: Visit) -> Response:
    return tokens_page(site, visit)


def create(site: Site, visit: Visit) -> Response:
    if visit.account.plan == "free":
        return site.redirect(visit.request, "/account/tokens", FREE_PLAN, "error")
    form = visit.form
    methods = list(dict.fromkeys(form.getlist("methods")))
    unknown = [name for name in methods if name not in ALL_FUNCTIONS]
    if unknown:
        return tokens_page(site, visit, error=f"Unknown function: {', '.join(unknown)}.", status=400)
    # Any ticked function limits the token (the safer reading when the radio was left on "all").
    if form.get("scope") == "chosen" and not methods:
        return tokens_page(site, visit, error="Tick at least one function, or allow all of them.", status=400)
    users = visit.uow.get(UserRepository)
    chosen = form.get("user")
    if chosen == NEW_ROBOT:
        name = form.get("robot_name")
        if not name:
            return tokens_page(site, visit, error="Give the new robot user a name.", status=400)
        user = create_user(
            visit.uow, visit.now, login=robot_login(users, name), name=name[:200], role="ADMIN", is_robot=True
        )
    else:
        found = users.by_id(int(chosen)) if chosen.isdigit() else None
        if found is None or not found.is_active or not is_employee(found):
            return tokens_page(site, visit, error="Choose an active user for the token.", status=400)
        user = found
    token = issue_token(visit.uow, visit.now, user.id, methods or None)
    # Rendered, not redirected: the token exists only in this answer.
    return tokens_page(site, visit, IssuedToken(token, user, methods))


def revoke(site: Site, visit: Visit) -> Response:
    repo = visit.uow.get(AccessRepository)
    token = repo.token(int(visit.request.path_params["token_id"]))
    if token is None:
        return site.redirect(visit.request, "/account/tokens", "No such token.", "error")
    if not repo.revoke_token_by_id(token.id, visit.now):
        return site.redirect(
            visit.request, "/account/tokens", f"Token {token.token_hint}… was already revoked."
        )
    return site.redirect(
        visit.request,
        "/account/tokens",
        f"Token {token.token_hint}… revoked: calls made with it answer 0012.",
    )
