"""The HTTP routes beside the XML API: health check, metrics, user pictures."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from planfix_server.pipeline import metrics
from planfix_server.store import accounts


def routes(server: Server) -> list[Route]:
    async def healthz(_request: Request) -> Response:
        try:
            with server.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # the answer is the report
            return JSONResponse({"status": "error", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    async def metrics_endpoint(_request: Request) -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")

    async def root(request: Request) -> Response:
        """``/?action=getuserpic&account=…&id=…&h=…``: the avatar URL that ``userPic`` carries."""
        query = request.query_params
        if query.get("action") != "getuserpic":
            return PlainTextResponse("planfix-server: the XML API is at /xml/\n")
        return _userpic(server, query)

    return [
        Route("/healthz", healthz),
        Route("/metrics", metrics_endpoint),
        Route("/", root),
    ]


def _userpic(server: Server, query: Any) -> Response:
    missing = PlainTextResponse("not found\n", status_code=404)
    try:
        user_id = int(query.get("id", ""))
    except ValueError:
        return missing
    with server.engine.connect() as connection:
        account = accounts.find(connection, query.get("account", ""))
        if account is None:
            return missing
        repo = UserRepository(connection, account.id)
        user = repo.by_id(user_id)
        version = (user.userpic_version if user else None) or ""
        if not version or not hmac.compare_digest(version, query.get("h", "")):
            return missing
        picture = repo.picture(user_id)
    if picture is None:
        return missing
    content_type, data = picture
    return Response(data, media_type=content_type, headers={"cache-control": "private, max-age=86400"})
