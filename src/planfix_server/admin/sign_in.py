"""Signing in (account name, login, password) and signing out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from planfix_server.admin.auth import SIGN_IN_COOKIE, clear_cookie, set_cookie
from planfix_server.admin.site import Form, Site, Visit
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import is_admin
from planfix_server.store import accounts

WRONG = "The account name, login or password is wrong."


def safe_next(path: str) -> str:
    """Only a page of ours (no open redirect to another site)."""
    if path.startswith("/account/") and not path.startswith("/account//") and "\\" not in path:
        return path
    return "/account/"


def form_page(site: Site, request: Request, form: Form, *, error: str = "", status: int = 200) -> Response:
    now = site.server.clock()
    token, cookie = site.sessions.sign_in_form(request, now)
    response = site.html(
        request,
        "sign_in.html",
        status,
        csrf=token,
        error=error,
        account_name=form.get("account"),
        login=form.get("login"),
        next=safe_next(form.get("next") or request.query_params.get("next", "")),
    )
    if cookie is not None:
        set_cookie(request, response, SIGN_IN_COOKIE, cookie, 3600)
    return response


def show(site: Site, request: Request, form: Form) -> Response:
    if site.sessions.read(request, site.server.clock()) is not None:
        return site.redirect(request, "/account/")
    return form_page(site, request, form)


def sign_in(site: Site, request: Request, form: Form) -> Response:
    now = site.server.clock()
    if not site.sessions.sign_in_csrf_ok(request, form.get("csrf"), now):
        return form_page(
            site, request, form, error="The sign-in form had expired. Please sign in again.", status=403
        )
    name, login, password = form.get("account"), form.get("login"), form.raw("password")
    if not name or not login or not password:
        return form_page(site, request, form, error="Enter the account name, login and password.", status=400)
    address = request.client.host if request.client else ""
    wait = site.throttle.wait_seconds(address, name, login)
    if wait:
        minutes = max(1, round(wait / 60))
        return form_page(
            site,
            request,
            form,
            error=f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            status=429,
        )
    with site.server.engine.connect() as connection:
        account = accounts.find(connection, name)
        user = UserRepository(connection, account.id).by_login(login) if account else None
    # Verified even when there is no such user (against a decoy), so both take the same time.
    if not site.server.passwords.verify(user.password_hash if user else None, password) or user is None:
        site.throttle.failed(address, name, login)
        return form_page(site, request, form, error=WRONG, status=401)
    assert account is not None
    if user.is_robot or not user.is_active:
        return form_page(site, request, form, error="This user may not sign in.", status=403)
    if not is_admin(user):
        return site.refused(
            request,
            "Administrators only",
            f"{user.login} is not an administrator of {account.name}. Only administrators manage access "
            "to the API; ask one of them for a key or a token.",
        )
    response = site.redirect(request, safe_next(form.get("next")))
    site.sessions.start(request, response, user, now)
    clear_cookie(request, response, SIGN_IN_COOKIE)
    return response


def sign_out(site: Site, visit: Visit) -> Response:
    response = site.redirect(visit.request, "/account/sign-in", "You have signed out.")
    site.sessions.end(visit.request, response, visit.session, visit.now)
    return response
