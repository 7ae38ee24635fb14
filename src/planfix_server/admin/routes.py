"""The account management pages under ``/account/``: the routes, read top to bottom."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from limits.storage import Storage
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from planfix_server.admin import keys, overview, sign_in, tokens, users
from planfix_server.admin.auth import Sessions, SignInThrottle
from planfix_server.admin.signing import Signer, secret_key
from planfix_server.admin.site import Site

if TYPE_CHECKING:
    from planfix_server.app import Server

STATIC = Path(__file__).parent / "static"


def make_site(server: Server) -> Site:
    # Read (or made) on first use, once per worker.
    secret = cache(partial(secret_key, server.settings))
    storage = server.limiter.storage  # memory for one worker, Redis when workers share counters
    assert isinstance(storage, Storage)
    return Site(server, Sessions(secret, storage), SignInThrottle(storage), Signer(secret, "notice"))


def routes(server: Server) -> list[BaseRoute]:
    site = make_site(server)
    page, endpoint = site.page, site.endpoint

    async def to_pages(_request: Request) -> Response:
        return RedirectResponse("/account/", status_code=308)

    return [
        Route("/account", to_pages),
        Mount(
            "/account",
            routes=[
                Route("/", page(partial(overview.overview, site))),
                Route("/sign-in", endpoint(partial(sign_in.show, site)), methods=["GET"]),
                Route("/sign-in", endpoint(partial(sign_in.sign_in, site)), methods=["POST"]),
                Route("/sign-out", page(partial(sign_in.sign_out, site)), methods=["POST"]),
                Route("/keys", page(partial(keys.show, site)), methods=["GET"]),
                Route("/keys", page(partial(keys.create, site), write=True), methods=["POST"]),
                Route(
                    "/keys/{key_id:int}/{action}",
                    page(partial(keys.change, site), write=True),
                    methods=["POST"],
                ),
                Route("/tokens", page(partial(tokens.show, site)), methods=["GET"]),
                Route("/tokens", page(partial(tokens.create, site), write=True), methods=["POST"]),
                Route(
                    "/tokens/{token_id:int}/revoke",
                    page(partial(tokens.revoke, site), write=True),
                    methods=["POST"],
                ),
                Route("/users", page(partial(users.show, site)), methods=["GET"]),
                Route("/users", page(partial(users.create, site), write=True), methods=["POST"]),
                Route(
                    "/users/{user_id:int}/password",
                    page(partial(users.reset_password, site), write=True),
                    methods=["POST"],
                ),
                Route(
                    "/users/{user_id:int}/{action:str}",
                    page(partial(users.set_status, site), write=True),
                    methods=["POST"],
                ),
                Mount("/static", StaticFiles(directory=STATIC), name="account-static"),
            ],
        ),
    ]
