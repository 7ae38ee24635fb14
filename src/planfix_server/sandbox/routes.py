"""The sandbox control plane under ``/_sandbox/``; mounted only in sandbox mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from planfix_server.app import Server


def routes(server: Server) -> list[BaseRoute]:
    if not server.settings.sandbox:
        return []
    return []
