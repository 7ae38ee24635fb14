"""The account management pages under ``/account/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from planfix_server.app import Server


def routes(server: Server) -> list[BaseRoute]:
    return []
