"""``GET /files/{account id}/{uniqueId}/{token}``: the permanent download links (``downloadLink``).

Answered as ``file.download`` is: HTTP 200 with the content streamed, or HTTP 302 to an internet
file. The token is the credential (domain/files/links.py): no sign-in, no API key; like the API, a
link is served over HTTPS only (403 otherwise, but on the loopback plain-HTTP sandbox listener). A
wrong token, an unknown or deleted version, another account's id in the path, or an account that is
not active (frozen, in maintenance: its API answers 0010 / 0011) all answer the same plain 404, so a
link tells nothing about files it does not name.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import PlainTextResponse
from starlette.routing import Route

from planfix_server.api import errors
from planfix_server.api.download import Download
from planfix_server.app import Server
from planfix_server.domain.files import links
from planfix_server.domain.files.content import download_of
from planfix_server.domain.files.repository import FileRepository
from planfix_server.pipeline.transport import is_secure, send_download
from planfix_server.store import accounts

log = logging.getLogger("planfix_server.requests")

PATH = "/files/{account_id:int}/{unique_id:int}/{token:str}"
_MISSING = PlainTextResponse("not found\n", status_code=404)
_HTTPS_REQUIRED = PlainTextResponse("HTTPS required\n", status_code=403)


class FileLinks:
    """The ASGI endpoint of the links (a class, so it can stream the way the XML endpoint does)."""

    def __init__(self, server: Server) -> None:
        self.server = server

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not is_secure(scope, self.server.settings.plain_http):
            # The token is a credential: it does not travel in clear text.
            await _HTTPS_REQUIRED(scope, receive, send)
            return
        params = scope["path_params"]
        account_id, unique_id = int(params["account_id"]), int(params["unique_id"])
        if not links.verify(self.server.settings, account_id, unique_id, params["token"]):
            await _MISSING(scope, receive, send)
            return
        try:
            download = self._find(account_id, unique_id)
        except errors.FileSystemError as exc:
            log.warning("download link %s/%s: %s", account_id, unique_id, exc.detail)
            await PlainTextResponse("file content unavailable\n", status_code=500)(scope, receive, send)
            return
        if download is None:
            await _MISSING(scope, receive, send)
            return
        await send_download(send, download, [])

    def _find(self, account_id: int, unique_id: int) -> Download | None:
        # The token was made for this account's version, and the query is scoped to that account.
        with self.server.engine.connect() as connection:
            account = accounts.find_by_id(connection, account_id)
            if account is None or account.status != "active":
                return None
            row = FileRepository(connection, account_id).version(unique_id)
        return None if row is None else download_of(self.server.settings, row)


def routes(server: Server) -> list[Route]:
    return [Route(PATH, FileLinks(server), methods=["GET"])]
