"""The sandbox control plane under ``/_sandbox/``: JSON in, JSON out; mounted only in sandbox mode.

Only loopback clients may use it (others get 403): it can wipe every account. Routes::

    POST   /_sandbox/reset      {} = all data, {"account": NAME} = one account
    POST   /_sandbox/seed       a fixture (JSON, or YAML with PyYAML) -> the accounts' secrets
    GET    /_sandbox/clock      {"now", "frozen", "offset_seconds"}
    POST   /_sandbox/clock      {"freeze": true | ISO} {"set": ISO} {"advance": SECONDS}
                                {"unfreeze": true} {"reset": true}
    GET    /_sandbox/faults     the faults in force
    POST   /_sandbox/faults     {"function", "code"?, "times"?, "latency_ms"?, "account"?}
    DELETE /_sandbox/faults     clear them
    GET    /_sandbox/requests   the request log (?account= &function= &code=)
    DELETE /_sandbox/requests   clear it
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from planfix_server.pipeline.transport import is_loopback
from planfix_server.sandbox.clock import parse_moment
from planfix_server.sandbox.control import Sandbox, UnknownAccount, attach
from planfix_server.sandbox.faults import FaultError
from planfix_server.sandbox.fixtures import FixtureError, parse_fixture

if TYPE_CHECKING:
    from planfix_server.app import Server

PREFIX = "/_sandbox"
Endpoint = Callable[[Request], Awaitable[Response]]


class BadRequest(ValueError):
    """Answered 400 with the message."""


def routes(server: Server) -> list[BaseRoute]:
    if not server.settings.sandbox:
        return []
    sandbox = attach(server)
    control = Control(sandbox)
    return [
        Route(f"{PREFIX}/reset", _guard(control.reset), methods=["POST"]),
        Route(f"{PREFIX}/seed", _guard(control.seed), methods=["POST"]),
        Route(f"{PREFIX}/clock", _guard(control.clock), methods=["GET", "POST"]),
        Route(f"{PREFIX}/faults", _guard(control.faults), methods=["GET", "POST", "DELETE"]),
        Route(f"{PREFIX}/requests", _guard(control.requests), methods=["GET", "DELETE"]),
    ]


def _guard(endpoint: Endpoint) -> Endpoint:
    """Loopback clients only; bad input is a 400 with the reason, never a traceback."""

    async def guarded(request: Request) -> Response:
        client = request.client.host if request.client is not None else ""
        if not is_loopback(client):
            return JSONResponse({"error": "the sandbox control plane answers loopback clients only"}, 403)
        try:
            return await endpoint(request)
        except (BadRequest, FixtureError, FaultError) as exc:
            return JSONResponse({"error": str(exc)}, 400)

    return guarded


async def _json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body is a JSON object")
    return data


def _number(data: dict[str, Any], name: str) -> float:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{name}: a number")
    return float(value)


class Control:
    """The endpoints, over one sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def reset(self, request: Request) -> Response:
        data = await _json(request)
        account = data.get("account")
        if account is not None and not isinstance(account, str):
            raise BadRequest("account: the name of an account")
        try:
            await run_in_threadpool(self.sandbox.reset, account)
        except UnknownAccount:
            return JSONResponse({"error": f"no account named {account!r}"}, 404)
        return JSONResponse({"reset": account or "all"})

    async def seed(self, request: Request) -> Response:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        kind = "yaml" if "yaml" in content_type else "json" if "json" in content_type else None
        fixture = parse_fixture(body, kind=kind)
        return JSONResponse(await run_in_threadpool(self.sandbox.seed, fixture))

    async def clock(self, request: Request) -> Response:
        clock = self.sandbox.clock
        if request.method == "POST":
            data = await _json(request)
            known = {"freeze", "set", "advance", "unfreeze", "reset"}
            if not data or set(data) - known:
                raise BadRequest(f"expected one or more of {', '.join(sorted(known))}")
            freeze = data.get("freeze")
            if isinstance(freeze, str) and "set" in data:
                raise BadRequest("freeze at a moment, or set one, not both")
            try:
                # One request may combine them; they apply in this order.
                moment = parse_moment(str(data["set"])) if "set" in data else None
                if data.get("reset"):
                    clock.reset()
                if isinstance(freeze, str):
                    clock.freeze(parse_moment(freeze))
                elif freeze is True:
                    clock.freeze(moment)  # {"set": …, "freeze": true}: stopped exactly there
                elif moment is not None:
                    clock.set(moment)
                if "advance" in data:
                    clock.advance(_number(data, "advance"))
                if data.get("unfreeze"):
                    clock.unfreeze()
            except ValueError as exc:
                raise BadRequest(str(exc)) from None
        return JSONResponse(clock.state())

    async def faults(self, request: Request) -> Response:
        faults = self.sandbox.faults
        if request.method == "DELETE":
            account = request.query_params.get("account")
            return JSONResponse({"removed": faults.clear(account=account)})
        if request.method == "POST":
            data = await _json(request)
            unknown = set(data) - {"function", "code", "times", "latency_ms", "account"}
            if unknown or not isinstance(data.get("function"), str):
                raise BadRequest("expected function, and code, times, latency_ms, account")
            code = data.get("code")
            times, latency = data.get("times"), data.get("latency_ms", 0)
            if (times is not None and not isinstance(times, int)) or not isinstance(latency, int):
                raise BadRequest("times and latency_ms are whole numbers")
            if not isinstance(data.get("account"), str | None):
                raise BadRequest("account: the name of an account")
            fault = faults.add(
                data["function"],
                code=None if code is None else str(code),
                times=times,
                latency_ms=latency,
                account=data.get("account"),
            )
            return JSONResponse(fault.describe(), 201)
        return JSONResponse({"faults": [fault.describe() for fault in faults.active()]})

    async def requests(self, request: Request) -> Response:
        log = self.sandbox.requests
        query = request.query_params
        if request.method == "DELETE":
            log.clear(account=query.get("account"))
            return JSONResponse({"cleared": True})
        found = log.entries(
            account=query.get("account"), function=query.get("function"), code=query.get("code")
        )
        return JSONResponse({"requests": [entry.describe() for entry in found]})
